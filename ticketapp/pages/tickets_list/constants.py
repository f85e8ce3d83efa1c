"""Page size, sorts, saved views and filter choices of the ticket list."""

from __future__ import annotations

from ticketapp.models import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    Priority,
    TicketStatus,
    TicketType,
)
from ticketapp.services import lifecycle

PAGE_SIZE = 25
ANY = "any"
ACTIVE = "active"
SORTS = {
    "number": "Number",
    "title": "Title",
    "status": "Status",
    "priority": "Priority",
    "updated_at": "Updated",
    "created_at": "Created",
}
ACTIVE_VALUES = [s.value for s in lifecycle.ACTIVE_STATUSES]
SAVED_VIEWS = [
    ("My open", {"assignee": "me", "status": ACTIVE}),
    ("Unassigned", {"assignee": "unassigned", "status": ACTIVE}),
    ("All open", {"status": ACTIVE}),
]
STATUS_OPTIONS = [(ANY, "Any status"), (ACTIVE, "Open (not resolved or closed)")] + [
    (s.value, STATUS_LABELS[s]) for s in TicketStatus
]
PRIORITY_OPTIONS = [(ANY, "Any priority")] + [(p.value, PRIORITY_LABELS[p]) for p in Priority]
TYPE_OPTIONS = [(ANY, "Any type")] + [(t.value, TYPE_LABELS[t]) for t in TicketType]
