"""Page size, sorts, saved views and filter choices of the ticket list."""

from __future__ import annotations

from ticketapp.i18n import N_
from ticketapp.models import (
    CHANNEL_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    Priority,
    TicketChannel,
    TicketStatus,
    TicketType,
)
from ticketapp.services import lifecycle

PAGE_SIZE = 25
ANY = "any"
ACTIVE = "active"
SORTS = {
    "number": N_("Number"),
    "title": N_("Title"),
    "status": N_("Status"),
    "priority": N_("Priority"),
    "updated_at": N_("Updated"),
    "created_at": N_("Created"),
}
ACTIVE_VALUES = [s.value for s in lifecycle.ACTIVE_STATUSES]
SAVED_VIEWS = [
    (N_("My open"), {"assignee": "me", "status": ACTIVE}),
    (N_("Unassigned"), {"assignee": "unassigned", "status": ACTIVE}),
    (N_("All open"), {"status": ACTIVE}),
]
STATUS_OPTIONS = [(ANY, N_("Any status")), (ACTIVE, N_("Open (not resolved or closed)"))] + [
    (s.value, STATUS_LABELS[s]) for s in TicketStatus
]
PRIORITY_OPTIONS = [(ANY, N_("Any priority"))] + [(p.value, PRIORITY_LABELS[p]) for p in Priority]
CHANNEL_OPTIONS = [(ANY, N_("Any channel"))] + [(c.value, CHANNEL_LABELS[c]) for c in TicketChannel]
TYPE_OPTIONS = [(ANY, N_("Any type"))] + [(t.value, TYPE_LABELS[t]) for t in TicketType]
