"""What triage and assignment share: open statuses, priority weights, mode labels, and the
ticket event an automatic rule writes (actor: none, with the reason)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from ticketapp.i18n import N_
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
    AutoAssign.OFF: N_("Off"),
    AutoAssign.ROUND_ROBIN: N_("Round-robin"),
    AutoAssign.LEAST_LOADED: N_("Least loaded"),
}
# What a form field names -> (the message for a bad value, the message for a row gone since).
_REFUSALS = {
    "type": (N_("Choose a type."), N_("That type no longer exists.")),
    "category": (N_("Choose a category."), N_("That category no longer exists.")),
    "team": (N_("Choose a team."), N_("That team no longer exists.")),
    "priority": (N_("Choose a priority."), N_("That priority no longer exists.")),
    "mode": (N_("Choose a mode."), N_("That mode no longer exists.")),
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
    """An optional id form field naming an existing row (empty, "none", "any": None);
    `what` ("team", "category", ...) picks the messages."""
    if value in (None, "", "none", "any"):
        return None
    try:
        obj_id = int(str(value))
    except ValueError:
        raise ValidationError(_REFUSALS[what][0], field_name) from None
    if session.get(model, obj_id) is None:
        raise ValidationError(_REFUSALS[what][1], field_name)
    return obj_id


def optional_enum(value: object, enum: type, field_name: str, what: str) -> str | None:
    """An optional choice form field (empty, "none", "any": None)."""
    if value in (None, "", "none", "any"):
        return None
    try:
        return enum(str(value)).value
    except ValueError:
        raise ValidationError(_REFUSALS[what][0], field_name) from None
