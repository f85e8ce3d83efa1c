"""WIP limits per column (managers set them; a move past one is refused) and the choices for
the board's filter menus."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import BoardWipLimit, Category, Team, User, utcnow
from ticketapp.services import lifecycle, tickets
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.board.cards import column_counts
from ticketapp.services.errors import ValidationError

# --- WIP limits -----------------------------------------------------------------------------

MAX_WIP_LIMIT = 10_000


def wip_limits(session: Session, actor: Actor) -> dict[str, int]:
    require_staff(actor)
    return dict(session.exec(select(BoardWipLimit.status, BoardWipLimit.wip_limit)).all())


def set_wip_limit(session: Session, actor: Actor, status: object, limit: object) -> int | None:
    """Managers set (or with None/""/0 clear) a column's WIP limit. Returns the new limit."""
    require_manager(actor)
    target = lifecycle.parse_status(status)
    row = session.get(BoardWipLimit, target.value)
    if limit in (None, "", 0, "0"):
        if row is not None:
            session.delete(row)
        return None
    if isinstance(limit, bool):
        raise ValidationError("Enter a whole number.", "wip_limit")
    try:
        n = int(str(limit).strip())
    except (TypeError, ValueError):
        raise ValidationError("Enter a whole number.", "wip_limit") from None
    if not 1 <= n <= MAX_WIP_LIMIT:
        raise ValidationError("Enter a number from 1 to {max}.", "wip_limit", max=MAX_WIP_LIMIT)
    if row is None:
        row = BoardWipLimit(status=target.value, wip_limit=n)
    row.wip_limit = n
    row.updated_by_id = actor.id
    row.updated_at = utcnow()
    session.add(row)
    return n


def wip_exceeded(session: Session, actor: Actor, ticket_id: object, to_status: object) -> str:
    """A warning when moving the ticket into `to_status` would go over that column's limit
    ("" when fine or when the card is already in that column)."""
    require_staff(actor)
    target = lifecycle.parse_status(to_status)
    ticket = tickets.get_ticket_for(session, actor, ticket_id)
    if ticket.status == target:
        return ""
    limit = session.get(BoardWipLimit, target.value)
    if limit is None:
        return ""
    count = column_counts(session)[target.value]
    if count + 1 <= limit.wip_limit:
        return ""
    return i18n._n(
        "{column} has {n} card and a limit of {limit}. "
        "Moving #{number} there puts it over the limit.",
        "{column} has {n} cards and a limit of {limit}. "
        "Moving #{number} there puts it over the limit.",
        count,
        column=i18n._(lifecycle.label(target)),
        limit=limit.wip_limit,
        number=ticket.number,
    )


# --- filter choices -------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def filter_options(session: Session, actor: Actor) -> dict[str, list[Choice]]:
    """What the board's filter menus offer: active staff, teams, categories."""
    require_staff(actor)
    staff = session.exec(
        select(User.id, User.name)
        .where(col(User.role).in_(["agent", "manager"]), col(User.is_active).is_(True))
        .order_by(col(User.name))
    ).all()
    teams = session.exec(select(Team.id, Team.name).order_by(col(Team.name))).all()
    cats = session.exec(select(Category.id, Category.name).order_by(col(Category.name))).all()
    return {
        "assignees": [Choice(str(i), n) for i, n in staff],
        "teams": [Choice(str(i), n) for i, n in teams],
        "categories": [Choice(str(i), n) for i, n in cats],
    }
