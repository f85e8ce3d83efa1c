"""People and categories to pick from on the filing form and the ticket list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from ticketapp.i18n import N_
from ticketapp.models import Category, Ticket, User
from ticketapp.services.actor import Actor, require_role, require_staff
from ticketapp.services.errors import ValidationError
from ticketapp.services.ids import int_in

MAX_QUERY = 100


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str
    role: str


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def categories(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Every category (id, name), by name: anyone signed in may file into any of them."""
    require_role(actor, "requester", "agent", "manager")
    rows = session.exec(select(Category.id, Category.name).order_by(col(Category.name))).all()
    return [(int(i), n) for i, n in rows if i is not None]


def find_people(session: Session, actor: Actor, query: object, limit: int = 8) -> list[Person]:
    """Active users whose name or email contains `query` (staff only: filing on behalf)."""
    require_staff(actor)
    text = str(query or "").strip()[:MAX_QUERY]
    if not text:
        return []
    like = _like(text)
    stmt = (
        select(User)
        .where(
            col(User.is_active).is_(True),
            or_(
                func.lower(User.name).like(like, escape="\\"),
                func.lower(User.email).like(like, escape="\\"),
            ),
        )
        .order_by(col(User.role) != "requester", col(User.name))
        .limit(max(1, min(int(limit), 20)))
    )
    return [Person(u.id, u.name, u.email, u.role) for u in session.exec(stmt).all()]  # type: ignore[arg-type]


def person(session: Session, actor: Actor, user_id: object) -> Person | None:
    """One active user by id (staff only), or None."""
    require_staff(actor)
    try:
        uid = int(str(user_id))
    except (TypeError, ValueError):
        return None
    user = session.get(User, uid)
    if user is None or not user.is_active:
        return None
    return Person(user.id, user.name, user.email, user.role)  # type: ignore[arg-type]


def requesters_with_tickets(session: Session, actor: Actor, limit: int = 500) -> list[Person]:
    """People who filed at least one ticket, by name (the ticket list's requester filter)."""
    require_staff(actor)
    filed = select(Ticket.requester_id).distinct()
    stmt = select(User).where(col(User.id).in_(filed)).order_by(col(User.name)).limit(limit)
    return [Person(u.id, u.name, u.email, u.role) for u in session.exec(stmt).all()]  # type: ignore[arg-type]


def list_people(
    session: Session,
    actor: Actor,
    query: object = "",
    role: object = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Person], int]:
    """Active users by name (staff only: the REST API's user list), one page, and the total."""
    require_staff(actor)
    stmt = select(User).where(col(User.is_active).is_(True))
    text = str(query or "").strip()[:MAX_QUERY]
    if text:
        like = _like(text)
        stmt = stmt.where(
            or_(
                func.lower(User.name).like(like, escape="\\"),
                func.lower(User.email).like(like, escape="\\"),
            )
        )
    if role not in (None, ""):
        if role not in ("requester", "agent", "manager"):
            raise ValidationError("Choose a role.", "role")
        stmt = stmt.where(User.role == role)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    page_no = int_in(page, 1, 1_000_000, "page", N_("Bad page."))
    size = int_in(page_size, 1, 200, "page_size", N_("Bad page size."))
    rows = session.exec(
        stmt.order_by(col(User.name), col(User.id)).offset((page_no - 1) * size).limit(size)
    ).all()
    return [Person(u.id, u.name, u.email, u.role) for u in rows], total  # type: ignore[arg-type]
