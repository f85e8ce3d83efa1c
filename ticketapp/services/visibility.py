"""Who may see which ticket, and which parts of it. The rule lives here and only here:

- a requester sees the tickets they filed and those they follow (TicketFollower: copied on the
  ticket's first e-mail), and may reply to them; agents and managers see every ticket. Only the
  requester rates a ticket or marks it read (services/tickets);
- internal notes, the files attached to them, time entries and the full history are for agents
  and managers; a requester's history holds only REQUESTER_EVENT_KINDS;
- a ticket the actor may not see reads as "does not exist" (NOT_FOUND), never as "forbidden".

Every ticket query and entry point asks here: `get_ticket_for` / `ticket_id_for_number` for one
ticket, `ticket_scope` for lists and boards, the `only_visible_*` helpers for a ticket's parts.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from ticketapp.models import Attachment, Comment, Ticket, TicketEvent, TicketFollower
from ticketapp.services.actor import Actor
from ticketapp.services.errors import NotFound
from ticketapp.services.ids import NOT_FOUND, coerce_id

# Event kinds a requester sees in their ticket's history.
REQUESTER_EVENT_KINDS = frozenset({"created", "status_changed", "merged"})
NUMBER_RE = re.compile(r"^#?\s*(\d{1,9})$")


def sees_internal(actor: Actor) -> bool:
    """Agents and managers see (and write) internal notes and the other staff-only parts."""
    return actor.is_staff


def can_see(actor: Actor, ticket: Ticket) -> bool:
    """Staff, or the ticket's requester (`may_see` also counts its followers)."""
    return actor.is_staff or ticket.requester_id == actor.id


def _followed_by(actor: Actor) -> Any:
    return select(TicketFollower.ticket_id).where(TicketFollower.user_id == actor.id)


def follows(session: Session, actor: Actor, ticket_id: int | None) -> bool:
    found = _followed_by(actor).where(TicketFollower.ticket_id == ticket_id)
    return session.exec(found).first() is not None


def may_see(session: Session, actor: Actor, ticket: Ticket) -> bool:
    """`can_see`, or the actor follows the ticket."""
    return can_see(actor, ticket) or follows(session, actor, ticket.id)


def ticket_scope(actor: Actor) -> Any | None:
    """The SQL condition limiting a ticket query to what `actor` may see (None: every ticket)."""
    if actor.is_staff:
        return None
    return or_(Ticket.requester_id == actor.id, col(Ticket.id).in_(_followed_by(actor)))


def only_visible_comments(stmt: Any, with_internal: bool) -> Any:
    """`stmt` over Comment, without internal notes unless `with_internal`."""
    if with_internal:
        return stmt
    return stmt.where(col(Comment.is_internal).is_(False))


def only_visible_attachments(stmt: Any, with_internal: bool) -> Any:
    """`stmt` over Attachment outer-joined to its Comment, without files on internal notes
    unless `with_internal`."""
    if with_internal:
        return stmt
    return stmt.where(
        or_(col(Attachment.comment_id).is_(None), col(Comment.is_internal).is_(False))
    )


def only_visible_events(stmt: Any, with_internal: bool) -> Any:
    """`stmt` over TicketEvent, only REQUESTER_EVENT_KINDS unless `with_internal`."""
    if with_internal:
        return stmt
    return stmt.where(col(TicketEvent.kind).in_(REQUESTER_EVENT_KINDS))


def can_see_attachment(session: Session, actor: Actor, attachment: Attachment) -> bool:
    """A file on an internal note is staff-only (its ticket is checked with get_ticket_for)."""
    if attachment.comment_id is None or sees_internal(actor):
        return True
    comment = session.get(Comment, attachment.comment_id)
    return comment is not None and not comment.is_internal


def get_ticket_for(
    session: Session, actor: Actor, ticket_id: object, *, lock: bool = False
) -> Ticket:
    """The ticket if `actor` may see it (row-locked on PostgreSQL when `lock`), else NotFound."""
    tid = coerce_id(ticket_id)
    if lock:
        ticket = session.get(Ticket, tid, with_for_update=True, populate_existing=True)
    else:
        ticket = session.get(Ticket, tid)
    if ticket is None or not may_see(session, actor, ticket):
        raise NotFound(NOT_FOUND)
    return ticket


def ticket_for_number(session: Session, actor: Actor, number: object) -> Ticket:
    """The ticket of a number ("1001" or "#1001") if the actor may see it, else NotFound."""
    match = NUMBER_RE.match(str(number).strip()) if number is not None else None
    if not match:
        raise NotFound(NOT_FOUND)
    ticket = session.exec(select(Ticket).where(Ticket.number == int(match.group(1)))).first()
    if ticket is None or not may_see(session, actor, ticket):
        raise NotFound(NOT_FOUND)
    return ticket


def ticket_id_for_number(session: Session, actor: Actor, number: object) -> int:
    """Resolve a ticket number ("1001" or "#1001") the actor may see to its id."""
    ticket = ticket_for_number(session, actor, number)
    assert ticket.id is not None
    return ticket.id
