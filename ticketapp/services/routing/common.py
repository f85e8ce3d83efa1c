"""What triage and assignment share: open statuses, priority weights, mode labels, and the
ticket event an automatic rule writes (actor: none, with the reason)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ticketapp.models import (
    AutoAssign,
    Priority,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from ticketapp.services.errors import ValidationError

PRIORITY_WEIGHT = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 4, Priority.URGENT: 8}
OPEN_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.OPEN,
    TicketStatus.IN_PROGRESS,
    TicketStatus.WAITING,
)
MODE_LABELS = {
    AutoAssign.OFF: "Off",
    AutoAssign.ROUND_ROBIN: "Round-robin",
    AutoAssign.LEAST_LOADED: "Least loaded",
}


def routing_event(
    session: Session,
    ticket: Ticket,
    kind: str,
    field_name: str,
    old: object,
    new: object,
    reason: str,
    now: datetime,
) -> None:
    assert ticket.id is not None
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            actor_id=None,
            created_at=now,
            kind=kind,
            field=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
            reason=reason,
        )
    )


def optional_id(
    session: Session, model: type, value: object, field_name: str, what: str
) -> int | None:
    """An optional id form field naming an existing row (empty, "none", "any": None)."""
    if value in (None, "", "none", "any"):
        return None
    try:
        obj_id = int(str(value))
    except ValueError:
        raise ValidationError(f"Choose a {what}.", field_name) from None
    if session.get(model, obj_id) is None:
        raise ValidationError(f"That {what} no longer exists.", field_name)
    return obj_id


def optional_enum(value: object, enum: type, field_name: str, what: str) -> str | None:
    """An optional choice form field (empty, "none", "any": None)."""
    if value in (None, "", "none", "any"):
        return None
    try:
        return enum(str(value)).value
    except ValueError:
        raise ValidationError(f"Choose a {what}.", field_name) from None
