"""The ticket list as CSV (staff): the list's filters, one row per ticket, with its tags and a
column per custom field (archived ones too: values are never lost)."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlmodel import Session

from ticketapp import i18n
from ticketapp.models import TYPE_LABELS, TicketType
from ticketapp.services import custom_fields, tags, tickets
from ticketapp.services.actor import Actor, require_staff

MAX_ROWS = 10_000
_PAGE = 200


def _cell(text: str) -> str:
    """Keep a spreadsheet from running a value as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def tickets_csv(session: Session, actor: Actor, **filters: Any) -> str:
    """Up to MAX_ROWS tickets matching `filters` (services/tickets/listing.py), newest first."""
    require_staff(actor)
    rows: list = []
    page = 1
    while len(rows) < MAX_ROWS:
        found, total = tickets.list_tickets(
            session,
            actor,
            page=page,
            page_size=_PAGE,
            sort="updated_at",
            exact_count=True,
            **filters,
        )
        rows += found
        if not found or len(rows) >= total:
            break
        page += 1
    ids = [r.id for r in rows]
    fields = custom_fields.list_fields(session, actor, archived=True)
    values = custom_fields.values_by_ticket(session, actor, ids)
    tag_map = tags.tag_names(session, ids)
    out = io.StringIO()
    w = csv.writer(out)
    head = ["number", "title", "status", "priority", "type", "category", "requester"]
    head += ["assignee", "team", "created_at", "updated_at", "tags"]
    type_label = {t.value: i18n._(TYPE_LABELS[t]) for t in TicketType}
    w.writerow(head + [f"{f.label} ({type_label.get(f.ticket_type, '')})" for f in fields])
    for r in rows:
        mine = values.get(r.id, {})
        line = [r.number, r.title, r.status, r.priority, r.type, r.category_name]
        line += [r.requester_name, r.assignee_name, r.team_name]
        line += [
            r.created_at.isoformat(),
            r.updated_at.isoformat(),
            ", ".join(tag_map.get(r.id, [])),
        ]
        line += [custom_fields.display_value(f, mine.get(f.id, "")) for f in fields]
        w.writerow([_cell(str(c)) for c in line])
    return out.getvalue()
