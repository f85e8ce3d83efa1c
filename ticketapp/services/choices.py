"""The choices an agent picks from when editing a ticket: categories, teams, agents."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ticketapp.models import STAFF_ROLES, Category, Team, User
from ticketapp.services.actor import Actor, require_staff


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class EditChoices:
    categories: list[Choice]
    teams: list[Choice]
    assignees: list[Choice]


def edit_choices(session: Session, actor: Actor) -> EditChoices:
    """Options for the ticket page's field editors (staff only)."""
    require_staff(actor)
    categories = session.exec(select(Category.id, Category.name).order_by(col(Category.name)))
    teams = session.exec(select(Team.id, Team.name).order_by(col(Team.name)))
    agents = session.exec(
        select(User.id, User.name)
        .where(col(User.role).in_(list(STAFF_ROLES)), col(User.is_active).is_(True))
        .order_by(col(User.name))
    )
    return EditChoices(
        categories=[Choice(i, n) for i, n in categories.all()],
        teams=[Choice(i, n) for i, n in teams.all()],
        assignees=[Choice(i, n) for i, n in agents.all()],
    )
