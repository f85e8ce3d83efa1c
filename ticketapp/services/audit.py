"""A ticket's audit trail: writing its TicketEvents (in the caller's transaction) and reading
who changed it last."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import TicketEvent, User, utcnow
from ticketapp.services.actor import Actor


def record_event(
    session: Session,
    ticket_id: int,
    actor: Actor | None,
    kind: str,
    field_name: str | None = None,
    old: object = None,
    new: object = None,
    at: datetime | None = None,
) -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket_id,
            actor_id=actor.id if actor else None,
            created_at=at or utcnow(),
            kind=kind,
            field=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
        )
    )


def last_changed_by(session: Session, ticket_id: int) -> str:
    """Who made the ticket's last change, for a message read now (in the current locale)."""
    row = session.exec(
        select(TicketEvent.actor_id, User.name)
        .join(User, col(User.id) == TicketEvent.actor_id, isouter=True)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(col(TicketEvent.id).desc())
        .limit(1)
    ).first()
    if row is None:
        return i18n._("someone else")
    return row[1] or i18n._("an automatic rule")
