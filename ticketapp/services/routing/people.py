"""Teams' assignment modes and agents' availability and skills (managers; an agent may set
their own availability)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import (
    STAFF_ROLES,
    AgentSkill,
    AutoAssign,
    Category,
    Team,
    TeamMember,
    User,
)
from ticketapp.services import security_log
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.routing.common import optional_enum, optional_id


@dataclass(frozen=True)
class TeamRouting:
    id: int
    name: str
    mode: str
    members: int


def list_teams(session: Session, actor: Actor) -> list[TeamRouting]:
    require_staff(actor)
    counts = dict(
        session.exec(select(TeamMember.team_id, func.count()).group_by(TeamMember.team_id)).all()
    )
    return [
        TeamRouting(t.id, t.name, t.auto_assign, counts.get(t.id, 0))  # type: ignore[arg-type]
        for t in session.exec(select(Team).order_by(col(Team.name))).all()
    ]


@security_log.audited("routing_changed", i18n.N_("Team"))
def create_team(
    session: Session, actor: Actor, name: object, description: object = ""
) -> TeamRouting:
    """A new team (managers), assigning nobody automatically until a mode is set."""
    require_manager(actor)
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError("Give the team a name.", "name")
    if len(text) > 80:
        raise ValidationError("Keep the name under {n} characters.", "name", n=80)
    about = str(description or "").strip()
    if len(about) > 500:
        raise ValidationError("Keep the description under {n} characters.", "description", n=500)
    taken = session.exec(select(Team.id).where(func.lower(Team.name) == text.lower())).first()
    if taken is not None:
        raise ValidationError("A team with this name already exists.", "name")
    team = Team(name=text, description=about)
    session.add(team)
    session.flush()
    return TeamRouting(team.id, team.name, team.auto_assign, 0)  # type: ignore[arg-type]


@security_log.audited("routing_changed", i18n.N_("Team"))
def set_team_mode(session: Session, actor: Actor, team_id: object, mode: object) -> None:
    require_manager(actor)
    team = session.get(Team, optional_id(session, Team, team_id, "team", "team") or 0)
    if team is None:
        raise NotFound("That team no longer exists.")
    team.auto_assign = optional_enum(mode, AutoAssign, "mode", "mode") or AutoAssign.OFF
    session.add(team)
    session.flush()


@dataclass(frozen=True)
class AgentRouting:
    id: int
    name: str
    email: str
    available: bool
    skills: list[int]


def list_agents(session: Session, actor: Actor) -> list[AgentRouting]:
    require_staff(actor)
    users = session.exec(
        select(User)
        .where(col(User.role).in_(list(STAFF_ROLES)), col(User.is_active).is_(True))
        .order_by(col(User.name))
    ).all()
    skills: dict[int, list[int]] = {}
    for uid, cid in session.exec(select(AgentSkill.user_id, AgentSkill.category_id)).all():
        skills.setdefault(uid, []).append(cid)
    return [
        AgentRouting(u.id, u.name, u.email, u.is_available, sorted(skills.get(u.id, [])))  # type: ignore[arg-type]
        for u in users
    ]


def _staff_user(session: Session, actor: Actor, user_id: object) -> User:
    try:
        uid = int(str(user_id))
    except ValueError:
        raise NotFound("That agent no longer exists.") from None
    if uid != actor.id:
        require_manager(actor)
    else:
        require_staff(actor)
    user = session.get(User, uid)
    if user is None or user.role not in STAFF_ROLES:
        raise NotFound("That agent no longer exists.")
    return user


def my_availability(session: Session, actor: Actor) -> bool:
    require_staff(actor)
    user = session.get(User, actor.id)
    return bool(user and user.is_available)


def set_availability(session: Session, actor: Actor, user_id: object, available: bool) -> None:
    """Managers for anyone; agents for themselves."""
    user = _staff_user(session, actor, user_id)
    user.is_available = available is True
    session.add(user)
    session.flush()


@security_log.audited("routing_changed", i18n.N_("Skills of user"))
def set_skill(
    session: Session, actor: Actor, user_id: object, category_id: object, skilled: bool
) -> None:
    user = _staff_user(session, actor, user_id)
    require_manager(actor)
    cid = optional_id(session, Category, category_id, "category", "category")
    if cid is None:
        raise ValidationError("Choose a category.", "category")
    exists = session.get(AgentSkill, (user.id, cid))
    if skilled and exists is None:
        session.add(AgentSkill(user_id=user.id, category_id=cid))  # type: ignore[arg-type]
    elif not skilled and exists is not None:
        session.execute(
            delete(AgentSkill).where(
                col(AgentSkill.user_id) == user.id, col(AgentSkill.category_id) == cid
            )
        )
    session.flush()
