"""Merging a duplicate into another ticket, and related-ticket links."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import Comment, TicketLink, TicketStatus, utcnow
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.audit import record_event
from ticketapp.services.errors import ValidationError
from ticketapp.services.tickets.common import flush_ticket, ref, touch
from ticketapp.services.tickets.status import apply_status
from ticketapp.services.tickets.views import TicketRef
from ticketapp.services.visibility import get_ticket_for


def _link(session: Session, a: int, b: int, kind: str) -> bool:
    """Link a -> b (upgrading the kind if linked already). True if something changed."""
    row = session.exec(
        select(TicketLink).where(TicketLink.ticket_id == a, TicketLink.other_ticket_id == b)
    ).first()
    if row is None:
        session.add(TicketLink(ticket_id=a, other_ticket_id=b, kind=kind))
        return True
    if row.kind != kind and kind == "merged":
        row.kind = kind
        session.add(row)
        return True
    return False


# The notes a merge leaves, stored language-neutral: each reader sees them in their language.


def merged_into_note(target_number: int) -> str:
    return i18n.later(
        "This ticket was merged into #{number}. The conversation continues there.",
        number=target_number,
    )


def merged_from_note(source_number: int, source_title: str) -> str:
    return i18n.later(
        "#{number} ({title}) was merged into this ticket.", number=source_number, title=source_title
    )


def merge(session: Session, actor: Actor, source_id: object, target_id: object) -> TicketRef:
    """Merge duplicate `source` into `target`: source closes, links both ways, notes on both."""
    require_staff(actor)
    source = get_ticket_for(session, actor, source_id, lock=True)
    target = get_ticket_for(session, actor, target_id, lock=True)
    assert source.id is not None and target.id is not None
    if source.id == target.id:
        raise ValidationError("A ticket cannot be merged into itself.", "target_id")
    if source.merged_into_id or source.status == TicketStatus.CLOSED:
        raise ValidationError("#{number} is already closed.", "source_id", number=source.number)
    if target.merged_into_id or target.status == TicketStatus.CLOSED:
        raise ValidationError(
            "#{number} is closed: choose an open ticket.", "target_id", number=target.number
        )
    now = utcnow()
    source.merged_into_id = target.id
    apply_status(session, source, TicketStatus.CLOSED, actor, now)
    _link(session, source.id, target.id, "merged")
    _link(session, target.id, source.id, "merged")
    record_event(session, source.id, actor, "merged", "merged_into", None, target.number, now)
    record_event(session, target.id, actor, "merged", "merged_from", None, source.number, now)
    session.add(
        Comment(
            ticket_id=source.id,
            author_id=actor.id,
            body=merged_into_note(target.number),
            created_at=now,
        )
    )
    session.add(
        Comment(
            ticket_id=target.id,
            author_id=actor.id,
            body=merged_from_note(source.number, source.title),
            is_internal=True,
            created_at=now,
        )
    )
    flush_ticket(session, source)
    touch(session, target.id, updated_at=now)
    return ref(target)


def link_tickets(session: Session, actor: Actor, ticket_id: object, other_id: object) -> None:
    require_staff(actor)
    a = get_ticket_for(session, actor, ticket_id)
    b = get_ticket_for(session, actor, other_id)
    if a.id == b.id:
        raise ValidationError("A ticket cannot be linked to itself.", "other_id")
    assert a.id is not None and b.id is not None
    if _link(session, a.id, b.id, "related") | _link(session, b.id, a.id, "related"):
        record_event(session, a.id, actor, "linked", "link", None, b.number)
        record_event(session, b.id, actor, "linked", "link", None, a.number)
    session.flush()


def unlink_tickets(session: Session, actor: Actor, ticket_id: object, other_id: object) -> None:
    require_staff(actor)
    a = get_ticket_for(session, actor, ticket_id)
    b = get_ticket_for(session, actor, other_id)
    rows = session.exec(
        select(TicketLink).where(
            or_(
                (col(TicketLink.ticket_id) == a.id) & (col(TicketLink.other_ticket_id) == b.id),
                (col(TicketLink.ticket_id) == b.id) & (col(TicketLink.other_ticket_id) == a.id),
            ),
            TicketLink.kind == "related",
        )
    ).all()
    if not rows:
        return
    for row in rows:
        session.delete(row)
    assert a.id is not None and b.id is not None
    record_event(session, a.id, actor, "linked", "link", b.number, None)
    record_event(session, b.id, actor, "linked", "link", a.number, None)
    session.flush()
