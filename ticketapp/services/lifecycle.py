"""The one ticket status state machine. Every status change, from any page, goes through here."""

from __future__ import annotations

from ticketapp import i18n
from ticketapp.models import STATUS_LABELS, TicketStatus
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ValidationError

S = TicketStatus

# Staff may make every move listed here (Zendesk-like).
TRANSITIONS: dict[TicketStatus, tuple[TicketStatus, ...]] = {
    S.NEW: (S.OPEN, S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED),
    S.OPEN: (S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED),
    S.IN_PROGRESS: (S.OPEN, S.WAITING, S.RESOLVED, S.CLOSED),
    S.WAITING: (S.OPEN, S.IN_PROGRESS, S.RESOLVED, S.CLOSED),
    S.RESOLVED: (S.OPEN, S.IN_PROGRESS, S.CLOSED),
    S.CLOSED: (S.OPEN,),
}
# Reopening a closed ticket is a person's decision, never the system's.
STAFF_ONLY: frozenset[tuple[TicketStatus, TicketStatus]] = frozenset({(S.CLOSED, S.OPEN)})
# A requester changes status only by replying (waiting/resolved -> open).
REQUESTER_TRANSITIONS: frozenset[tuple[TicketStatus, TicketStatus]] = frozenset(
    {(S.WAITING, S.OPEN), (S.RESOLVED, S.OPEN)}
)
# Statuses that still need work (saved views "My open", "All open").
ACTIVE_STATUSES: tuple[TicketStatus, ...] = (S.NEW, S.OPEN, S.IN_PROGRESS, S.WAITING)
BOARD_STATUSES: tuple[TicketStatus, ...] = tuple(TicketStatus)


def parse_status(value: object, field: str = "status") -> TicketStatus:
    try:
        return TicketStatus(str(value))
    except ValueError:
        raise ValidationError("Choose a valid status.", field) from None


def label(status: str) -> str:
    try:
        return STATUS_LABELS[TicketStatus(status)]
    except ValueError:
        return str(status)


def _permitted(current: TicketStatus, target: TicketStatus, actor: Actor | None) -> bool:
    if target not in TRANSITIONS[current]:
        return False
    if actor is None:  # the system (auto-close)
        return (current, target) not in STAFF_ONLY
    if actor.is_staff:
        return True
    return (current, target) in REQUESTER_TRANSITIONS


def allowed_targets(current: str, actor: Actor | None) -> list[TicketStatus]:
    """Where `actor` (None = the system) may move a ticket from `current`, in board order."""
    cur = parse_status(current)
    return [t for t in TRANSITIONS[cur] if _permitted(cur, t, actor)]


def can_transition(current: str, target: str, actor: Actor | None) -> bool:
    try:
        return _permitted(parse_status(current), parse_status(target), actor)
    except ValidationError:
        return False


def check_transition(current: str, target: object, actor: Actor | None) -> TicketStatus:
    """Return the target status, or raise ValidationError naming the allowed targets."""
    cur = parse_status(current)
    tgt = parse_status(target)
    if _permitted(cur, tgt, actor):
        return tgt
    allowed = [i18n._(STATUS_LABELS[t]) for t in allowed_targets(cur, actor)]
    if not allowed:
        raise ValidationError(
            "Can't move from {old} to {new}: this ticket cannot move from here.",
            "status",
            old=i18n.later(STATUS_LABELS[cur]),
            new=i18n.later(STATUS_LABELS[tgt]),
        )
    raise ValidationError(
        "Can't move from {old} to {new}. Allowed: {allowed}.",
        "status",
        old=i18n.later(STATUS_LABELS[cur]),
        new=i18n.later(STATUS_LABELS[tgt]),
        allowed=", ".join(allowed),
    )
