"""The conversation on a ticket: public replies and internal notes (with files), time logged
by staff, and the requester's satisfaction rating."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.models import Comment, SatisfactionRating, Ticket, TicketStatus, TimeEntry, utcnow
from ticketapp.services import abuse, notifications, sla, visibility, webhooks
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.attachments import attachment_views
from ticketapp.services.audit import record_event
from ticketapp.services.errors import PermissionDenied, ValidationError
from ticketapp.services.ids import int_in
from ticketapp.services.tickets.common import MAX_COMMENT, attach_files, flush_ticket, touch
from ticketapp.services.tickets.status import apply_status
from ticketapp.services.tickets.views import CommentView, TimeEntryView
from ticketapp.services.visibility import get_ticket_for


def add_comment(
    session: Session,
    actor: Actor,
    ticket_id: object,
    body: object,
    internal: bool = False,
    attachments: Sequence[tuple[str, bytes]] = (),
) -> CommentView:
    """A public reply or (staff only) an internal note, with optional attachments."""
    internal = internal is True
    if internal and not visibility.sees_internal(actor):
        raise PermissionDenied("Only agents can write internal notes.")
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    assert ticket.id is not None
    abuse.check_reply(session, actor)
    text = str(body or "").strip()
    if not text and not attachments:
        raise ValidationError("Write a reply first.", "body")
    if len(text) > MAX_COMMENT:
        raise ValidationError("Keep it under {max:,} characters.", "body", max=MAX_COMMENT)
    if not actor.is_staff and ticket.status == TicketStatus.CLOSED:
        raise ValidationError(
            "This ticket is closed. File a new ticket and mention #{number}.",
            "body",
            number=ticket.number,
        )
    now = utcnow()
    comment = Comment(
        ticket_id=ticket.id,
        author_id=actor.id,
        body=i18n.as_written(text),  # never read as a stored system text (i18n.shown)
        is_internal=internal,
        created_at=now,
    )
    session.add(comment)
    session.flush()
    kind = "internal_note" if internal else "comment"
    record_event(session, ticket.id, actor, kind, None, None, comment.id, now)
    attach_files(session, actor, ticket, comment.id, attachments)
    notifications.on_comment(session, ticket, actor.id, internal, text)  # NOTIFY:
    event = webhooks.INTERNAL_NOTE if internal else webhooks.PUBLIC_REPLY  # WEBHOOKS:
    part = webhooks.comment_part(comment.id, actor, text, internal, now)
    webhooks.emit(session, event, ticket, actor, **part)
    # The requester's side (the requester or a follower, see visibility) answering reopens it.
    by_requester = not actor.is_staff and not internal
    if by_requester and ticket.status in (TicketStatus.WAITING, TicketStatus.RESOLVED):
        apply_status(session, ticket, TicketStatus.OPEN, actor, now)
        flush_ticket(session, ticket)
    stamps: dict[str, Any] = {"updated_at": now}
    if actor.is_staff and not internal and not by_requester and ticket.first_response_at is None:
        stamps["first_response_at"] = now
        sla.on_first_response(session, ticket.id)  # SLA: first response met
    touch(session, ticket.id, **stamps)
    names = {actor.id: actor.name}
    views = attachment_views(session, ticket.id, True, names)
    return CommentView(
        id=comment.id,  # type: ignore[arg-type]
        author_id=actor.id,
        author_name=actor.name,
        author_is_staff=actor.is_staff,
        body=text,
        internal=internal,
        created_at=now,
        attachments=[a for a in views if a.comment_id == comment.id],
    )


def log_time(
    session: Session, actor: Actor, ticket_id: object, minutes: object, note: object = ""
) -> TimeEntryView:
    require_staff(actor)
    ticket = get_ticket_for(session, actor, ticket_id)
    mins = int_in(minutes, 1, 1440, "minutes", N_("Enter minutes between 1 and 1440."))
    text = str(note or "").strip()
    if len(text) > 500:
        raise ValidationError("Keep the note under 500 characters.", "note")
    now = utcnow()
    entry = TimeEntry(
        ticket_id=ticket.id, user_id=actor.id, minutes=mins, note=text, created_at=now
    )
    session.add(entry)
    record_event(session, ticket.id, actor, "time_logged", "minutes", None, mins, now)  # type: ignore[arg-type]
    session.flush()
    return TimeEntryView(entry.id, actor.name, mins, text, now)  # type: ignore[arg-type]


def rateable(actor: Actor, ticket: Ticket) -> bool:
    if ticket.requester_id != actor.id or ticket.resolution_count < 1:
        return False
    if ticket.status == TicketStatus.RESOLVED:
        return True
    return ticket.status == TicketStatus.CLOSED and ticket.merged_into_id is None


def rate(
    session: Session, actor: Actor, ticket_id: object, score: object, comment: object = ""
) -> None:
    """The requester rates the current resolution, once (1..5 and an optional comment)."""
    ticket = get_ticket_for(session, actor, ticket_id)
    if ticket.requester_id != actor.id:
        raise PermissionDenied("Only the person who filed the ticket can rate it.")
    if not rateable(actor, ticket):
        raise ValidationError("You can rate a ticket once it is resolved.", "score")
    value = int_in(score, 1, 5, "score", N_("Choose 1 to 5 stars."))
    text = str(comment or "").strip()
    if len(text) > 2000:
        raise ValidationError("Keep the comment under 2,000 characters.", "comment")
    assert ticket.id is not None
    rating = SatisfactionRating(
        ticket_id=ticket.id,
        resolution_no=ticket.resolution_count,
        rater_id=actor.id,
        score=value,
        comment=text,
    )
    try:
        with session.begin_nested():
            session.add(rating)
    except IntegrityError:
        raise ValidationError("You already rated this resolution. Thank you!", "score") from None
    record_event(session, ticket.id, actor, "rated", "score", None, value)
    rated = {"rating": {"score": value, "comment": text}}
    webhooks.emit(session, webhooks.RATED, ticket, actor, **rated)  # WEBHOOKS:
    session.flush()
