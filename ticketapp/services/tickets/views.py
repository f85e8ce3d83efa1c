"""The read models tickets/ hands out: small frozen dataclasses holding what the actor's role
may see, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ticketapp.services.attachments import AttachmentView


@dataclass(frozen=True)
class TicketRef:
    id: int
    number: int
    title: str
    status: str
    version: int


@dataclass(frozen=True)
class CommentView:
    id: int
    author_id: int
    author_name: str
    author_is_staff: bool
    body: str
    internal: bool
    created_at: datetime
    attachments: list[AttachmentView] = field(default_factory=list)


@dataclass(frozen=True)
class EventView:
    id: int
    kind: str
    actor_name: str
    created_at: datetime
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None = None  # ROUTING: why an automatic rule did it


@dataclass(frozen=True)
class TimeEntryView:
    id: int
    user_name: str
    minutes: int
    note: str
    created_at: datetime


@dataclass(frozen=True)
class LinkView:
    ticket_id: int
    number: int
    title: str
    status: str
    kind: str


@dataclass(frozen=True)
class TicketView:
    id: int
    number: int
    title: str
    description: str
    status: str
    status_label: str
    priority: str
    type: str
    type_label: str
    impact: str
    category_id: int | None
    category_name: str
    requester_id: int
    requester_name: str
    requester_email: str
    assignee_id: int | None
    assignee_name: str
    team_id: int | None
    team_name: str
    details: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int
    resolution_count: int
    can_rate: bool
    rating_score: int | None
    allowed_statuses: list[str]
    attachments: list[AttachmentView]
    conversation: list[CommentView]
    history: list[EventView]
    time_entries: list[TimeEntryView]
    total_minutes: int
    links: list[LinkView]
    merged_into: LinkView | None
    merged_from: list[LinkView]
    channel: str = "web"  # web | email: where the ticket came from


@dataclass(frozen=True)
class TicketRow:
    id: int
    number: int
    title: str
    status: str
    status_label: str
    priority: str
    type: str
    category_name: str
    requester_name: str
    assignee_id: int | None
    assignee_name: str
    team_name: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    version: int
    unread: int = 0
    sla_state: str = ""  # SLA badge (staff lists): ok | warning | breached | paused | met
    sla_label: str = ""
    # A search's matches (services/tickets/search.py): HTML, escaped, hits in <mark>.
    title_html: str = ""
    snippet_html: str = ""


@dataclass(frozen=True)
class BulkOutcome:
    ticket_id: int | str
    number: int | None
    ok: bool
    message: str
