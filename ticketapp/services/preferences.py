"""Interface choices a user keeps across devices: the ticket list's columns."""

from __future__ import annotations

from sqlmodel import Session

from ticketapp.i18n import N_
from ticketapp.models import ListColumns, utcnow
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.errors import ValidationError

# The ticket list's optional columns (number and title are always shown), in display order,
# with their headings (msgids).
LIST_COLUMNS: dict[str, str] = {
    "status": N_("Status"),
    "priority": N_("Priority"),
    "type": N_("Type"),
    "category": N_("Category"),
    "requester": N_("Requester"),
    "assignee": N_("Assignee"),
    "team": N_("Team"),
    "tags": N_("Tags"),
    "updated": N_("Updated"),
    "sla": "SLA",
}
# What a new agent sees: everything but the type (the title usually says it) and the tags.
DEFAULT_LIST_COLUMNS: tuple[str, ...] = tuple(c for c in LIST_COLUMNS if c not in ("type", "tags"))


def list_columns(session: Session, actor: Actor | None) -> list[str]:
    """The optional ticket-list columns `actor` shows, in display order."""
    actor = require_staff(actor)
    saved = session.get(ListColumns, actor.id)
    if saved is None:
        return list(DEFAULT_LIST_COLUMNS)
    return [c for c in LIST_COLUMNS if c in saved.columns]


def set_list_columns(session: Session, actor: Actor | None, columns: object) -> list[str]:
    """Remember which optional columns `actor` shows; returns them in display order."""
    actor = require_staff(actor)
    if not isinstance(columns, list | tuple) or not all(isinstance(c, str) for c in columns):
        raise ValidationError(N_("Choose columns from the list."), "columns")
    unknown = [c for c in columns if c not in LIST_COLUMNS]
    if unknown:
        raise ValidationError(N_("Choose columns from the list."), "columns")
    chosen = [c for c in LIST_COLUMNS if c in columns]
    saved = session.get(ListColumns, actor.id) or ListColumns(user_id=actor.id)
    saved.columns = chosen
    saved.updated_at = utcnow()
    session.add(saved)
    session.flush()
    return chosen


def reset_list_columns(session: Session, actor: Actor | None) -> list[str]:
    """Back to the default columns."""
    actor = require_staff(actor)
    saved = session.get(ListColumns, actor.id)
    if saved is not None:
        session.delete(saved)
        session.flush()
    return list(DEFAULT_LIST_COLUMNS)
