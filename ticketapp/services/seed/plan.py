"""What the demo seed works with: its constants, a ticket's plan and the beats of its story,
and the rows that wait for ticket (and comment) ids before they are written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ticketapp.demo_data import TicketScript
from ticketapp.models import (
    Comment,
    Ticket,
    TicketEvent,
    TicketStatus,
    User,
)

FIRST_NUMBER = 1001
SEED = 42
SPAN_DAYS = 45
AUTO_CLOSE_DAYS = 7  # tickets.auto_close_resolved's default: resolved demo tickets stay younger

S = TicketStatus
PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
# How many days ago an active ticket that ends in each status was filed (uniform in the range).
CREATED_DAYS_AGO: dict[str, tuple[float, float]] = {
    S.NEW: (0.05, 2.5),
    S.OPEN: (0.5, 8.0),
    S.IN_PROGRESS: (1.0, 14.0),
    S.WAITING: (2.0, 16.0),
}
# How quickly triage and work happen, relative to a normal ticket.
URGENCY = {"urgent": 0.15, "high": 0.45, "normal": 1.0, "low": 1.4}
TIME_MINUTES = (5, 10, 15, 15, 20, 30, 30, 45, 60, 90)


@dataclass
class Beat:
    """One step of a ticket's story, before it gets a time."""

    kind: str  # triage | comment | status | rate | close | merge | link
    long: bool = True  # long beats share the story's span; short ones take a few minutes
    who: str = ""  # r (requester) | a (staff) | s (system)
    body: str = ""
    internal: bool = False
    status: str = ""
    weight: float = 1.0
    at: datetime | None = None


@dataclass
class Plan:
    script: TicketScript
    index: int
    created_at: datetime
    span: timedelta = timedelta(0)  # filing -> last resolution, for resolved/closed tickets
    ticket: Ticket | None = None
    beats: list[Beat] = field(default_factory=list)


class Rows:
    """Rows waiting for ticket ids (and comment ids), in the order they happened."""

    def __init__(self) -> None:
        self.tickets: list[Ticket] = []
        self.comments: list[tuple[Ticket, Comment]] = []
        # (time, seq, ticket, event, comment whose id becomes new_value)
        self.events: list[tuple[datetime, int, Ticket, TicketEvent, Comment | None]] = []
        self.other: list[tuple[Ticket, Any]] = []
        self.links: list[tuple[Ticket, Ticket, str, datetime]] = []
        self._seq = 0

    def event(
        self,
        ticket: Ticket,
        at: datetime,
        actor: User | None,
        kind: str,
        field_name: str | None = None,
        old: object = None,
        new: object = None,
        comment: Comment | None = None,
    ) -> None:
        self._seq += 1
        row = TicketEvent(
            ticket_id=0,
            actor_id=actor.id if actor else None,
            created_at=at,
            kind=kind,
            field=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
        )
        self.events.append((at, self._seq, ticket, row, comment))
