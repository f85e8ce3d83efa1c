"""Helpers every part of tickets/ shares: limits, the TicketRef of a ticket, version checks,
bookkeeping updates that do not move the version, and storing the files of a filing or reply."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col

from ticketapp.i18n import N_
from ticketapp.models import Ticket
from ticketapp.services.actor import Actor
from ticketapp.services.attachments import store_upload
from ticketapp.services.audit import last_changed_by
from ticketapp.services.errors import Conflict
from ticketapp.services.ids import MAX_DB_INT, int_in
from ticketapp.services.tickets.views import TicketRef

FIRST_NUMBER = 1001
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_COMMENT = 20_000
MAX_DETAIL = 5_000
MAX_PAGE_SIZE = 200
# Fields an agent or manager may change with update_fields / bulk_update.
EDITABLE_FIELDS = ("title", "priority", "type", "category_id", "assignee_id", "team_id", "status")


def ref(ticket: Ticket) -> TicketRef:
    assert ticket.id is not None
    return TicketRef(ticket.id, ticket.number, ticket.title, ticket.status, ticket.version)


def touch(session: Session, ticket_id: int, **values: Any) -> None:
    """Update bookkeeping timestamps without moving the ticket's version."""
    session.execute(update(Ticket).where(col(Ticket.id) == ticket_id).values(**values))


def check_version(session: Session, ticket: Ticket, expected_version: object) -> None:
    """Refuse a change made on a stale copy (None = no check, e.g. bulk actions)."""
    if expected_version is None:
        return
    expected = int_in(expected_version, 1, MAX_DB_INT, "version", N_("Reload the ticket."))
    if expected != ticket.version:
        assert ticket.id is not None
        who = last_changed_by(session, ticket.id)
        raise Conflict(
            "Ticket #{number} was changed by someone else ({who}) after you opened it. "
            "Your change was not saved: review the latest version and try again.",
            number=ticket.number,
            who=who,
        )


def flush_ticket(session: Session, ticket: Ticket) -> None:
    """Flush; a concurrent UPDATE that won the race surfaces as Conflict."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            "Ticket #{number} was changed by someone else at the same moment. "
            "Your change was not saved: reload and try again.",
            number=ticket.number,
        ) from None


def attach_files(
    session: Session,
    actor: Actor,
    ticket: Ticket,
    comment_id: int | None,
    files: Sequence[tuple[str, bytes]],
) -> list[int]:
    ids = []
    for name, data in files or ():
        ids.append(store_upload(session, actor, ticket.id, comment_id, name, data).id)
    return ids
