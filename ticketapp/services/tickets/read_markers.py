"""Read markers: when the requester last read their ticket, and how many replies they have not
read since (no version change, no event)."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from ticketapp.models import Comment, Ticket, utcnow
from ticketapp.services import visibility
from ticketapp.services.actor import Actor
from ticketapp.services.tickets.common import touch
from ticketapp.services.visibility import get_ticket_for


def unread_replies_count():
    """Correlated to Ticket: replies the requester can see, written by someone else, that are
    newer than when they last read the ticket."""
    seen = col(Ticket.requester_seen_at)
    replies = (
        select(func.count())
        .select_from(Comment)
        .where(
            col(Comment.ticket_id) == col(Ticket.id),
            col(Comment.author_id) != col(Ticket.requester_id),
            or_(seen.is_(None), col(Comment.created_at) > seen),
        )
    )
    replies = visibility.only_visible_comments(replies, with_internal=False)
    return replies.correlate(Ticket).scalar_subquery()


def mark_seen(session: Session, actor: Actor, ticket_id: object) -> None:
    """The requester has read their ticket up to now (no version change, no event)."""
    ticket = get_ticket_for(session, actor, ticket_id)
    if ticket.requester_id == actor.id:
        touch(session, ticket.id, requester_seen_at=utcnow())  # type: ignore[arg-type]
