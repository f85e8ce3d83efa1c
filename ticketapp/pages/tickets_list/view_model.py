"""The ticket list's view model: service rows and choices turned into TypedDicts."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from ticketapp.i18n import _
from ticketapp.models import PRIORITY_LABELS, TYPE_LABELS, TicketType
from ticketapp.pages.portal import ago
from ticketapp.pages.tickets_list.constants import ANY
from ticketapp.services import choices, custom_fields, directory, organisations, tickets
from ticketapp.services.actor import Actor


class Option(TypedDict):
    value: str
    label: str


class ListRow(TypedDict):
    id: int
    number: int
    title: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    type_label: str
    category: str
    requester: str
    assignee: str
    team: str
    updated: str
    updated_iso: str
    sla: str
    sla_state: str
    snippet_html: str  # a search's match: escaped HTML with <mark> (services/tickets/search.py)
    tags: list[str]  # when the Tags column is shown


def _label(labels: dict, value: str) -> str:
    for k, v in labels.items():
        if k == value:
            return v
    return value


def list_row(r: tickets.TicketRow, now: datetime, tags: list[str] | None = None) -> ListRow:
    return ListRow(
        id=r.id,
        number=r.number,
        title=r.title,
        status=r.status,
        status_label=r.status_label,
        priority=r.priority,
        priority_label=_label(PRIORITY_LABELS, r.priority),
        type_label=_label(TYPE_LABELS, r.type),
        category=r.category_name,
        requester=r.requester_name,
        assignee=r.assignee_name,
        team=r.team_name,
        updated=ago(r.updated_at, now),
        updated_iso=r.updated_at.isoformat(),
        sla=r.sla_label,
        sla_state=r.sla_state,
        snippet_html=r.snippet_html,
        tags=tags or [],
    )


def filter_options(session, actor: Actor) -> dict[str, list[Option]]:
    """The choices of the filter and bulk-assign selects, for this actor."""
    picks = choices.edit_choices(session, actor)
    people = directory.requesters_with_tickets(session, actor)
    return {
        "categories": [Option(value=ANY, label=_("Any category"))]
        + [Option(value=str(c.id), label=c.name) for c in picks.categories],
        "teams": [Option(value=ANY, label=_("Any team"))]
        + [Option(value=str(t.id), label=t.name) for t in picks.teams],
        "assignees": [
            Option(value=ANY, label=_("Anyone")),
            Option(value="me", label=_("Me")),
            Option(value="unassigned", label=_("Unassigned")),
        ]
        + [Option(value=str(a.id), label=a.name) for a in picks.assignees],
        "bulk_assignees": [
            Option(value="me", label=_("Me")),
            Option(value="none", label="Nobody (unassign)"),
        ]
        + [Option(value=str(a.id), label=a.name) for a in picks.assignees],
        "requesters": [Option(value=ANY, label=_("Any requester"))]
        + [Option(value=str(p.id), label=f"{p.name} ({p.email})") for p in people],
        "organisations": [Option(value=ANY, label=_("Any organisation"))]  # ORGS:
        + [Option(value=v, label=n) for v, n in organisations.choices(session, actor)],
        "fields": [Option(value=ANY, label=_("Any field"))]  # FIELDS:
        + [
            Option(
                value=str(f.id), label=f"{f.label} ({_(TYPE_LABELS[TicketType(f.ticket_type)])})"
            )
            for f in custom_fields.list_fields(session, actor)
        ],
    }
