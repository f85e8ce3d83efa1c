"""The ticket page: everything it shows, holding only what the actor's role may see."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import or_, union
from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import (
    PRIORITY_LABELS,
    STAFF_ROLES,
    TYPE_LABELS,
    Attachment,
    Category,
    Comment,
    SatisfactionRating,
    Team,
    Ticket,
    TicketEvent,
    TicketLink,
    TimeEntry,
    User,
)
from ticketapp.services import lifecycle, visibility
from ticketapp.services.actor import Actor
from ticketapp.services.attachments import AttachmentView, attachment_views
from ticketapp.services.tickets.conversation import rateable
from ticketapp.services.tickets.views import (
    CommentView,
    EventView,
    LinkView,
    TicketView,
    TimeEntryView,
)


def get_ticket_view(session: Session, actor: Actor, number: object) -> TicketView:
    """Everything the ticket page shows, holding only what this actor's role may see."""
    return view_of(session, actor, visibility.ticket_for_number(session, actor, number))


def view_of(session: Session, actor: Actor, ticket: Ticket) -> TicketView:
    """get_ticket_view of a ticket the caller has checked `actor` may see."""
    assert ticket.id is not None
    people = _people(session, ticket)
    names = {uid: p.name for uid, p in people.items()}
    staff = visibility.sees_internal(actor)
    attachments = attachment_views(session, ticket.id, staff, names)
    staff_ids = {uid for uid, p in people.items() if p.role in STAFF_ROLES}
    conversation = _conversation(session, ticket.id, staff, names, staff_ids, attachments)
    entries = _time_entries(session, ticket.id, names) if staff else []
    rating = session.exec(
        select(SatisfactionRating.score).where(
            SatisfactionRating.ticket_id == ticket.id,
            SatisfactionRating.resolution_no == ticket.resolution_count,
        )
    ).first()
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        title=ticket.title,
        description=ticket.description,
        status=ticket.status,
        status_label=lifecycle.label(ticket.status),
        priority=ticket.priority,
        type=ticket.type,
        type_label=_label(TYPE_LABELS, ticket.type),
        impact=ticket.impact,
        category_id=ticket.category_id,
        category_name=_name_of(session, Category, ticket.category_id),
        requester_id=ticket.requester_id,
        requester_name=names.get(ticket.requester_id, ""),
        requester_email=people[ticket.requester_id].email if ticket.requester_id in people else "",
        assignee_id=ticket.assignee_id,
        assignee_name=names.get(ticket.assignee_id, "") if ticket.assignee_id else "",
        team_id=ticket.team_id,
        team_name=_name_of(session, Team, ticket.team_id),
        details=dict(ticket.details or {}),
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        due_at=ticket.due_at,
        first_response_at=ticket.first_response_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        version=ticket.version,
        resolution_count=ticket.resolution_count,
        can_rate=rating is None and rateable(actor, ticket),
        rating_score=rating,
        allowed_statuses=[s.value for s in lifecycle.allowed_targets(ticket.status, actor)]
        if staff
        else [],
        attachments=[a for a in attachments if a.comment_id is None],
        conversation=conversation,
        history=_history(session, ticket.id, staff, names),
        time_entries=entries,
        total_minutes=sum(e.minutes for e in entries),
        links=_links(session, actor, ticket.id),
        merged_into=_merged_into(session, actor, ticket.merged_into_id),
        merged_from=_merged_from(session, actor, ticket.id),
        channel=ticket.channel,
    )


def _label(labels: dict, value: str) -> str:
    try:
        return labels[type(next(iter(labels)))(value)]
    except (ValueError, KeyError):
        return str(value)


def _name_of(session: Session, model: type, obj_id: int | None) -> str:
    if obj_id is None:
        return ""
    obj = session.get(model, obj_id)
    return obj.name if obj is not None else ""


class _Person(NamedTuple):
    name: str
    email: str
    role: str


def _people(session: Session, ticket: Ticket) -> dict[int, _Person]:
    """Everyone the page names (requester, assignee, authors, actors, uploaders): one query."""
    assert ticket.id is not None
    involved = union(
        *(
            select(column.label("uid")).where(model.ticket_id == ticket.id)
            for model, column in (
                (Comment, Comment.author_id),
                (TicketEvent, TicketEvent.actor_id),
                (TimeEntry, TimeEntry.user_id),
                (Attachment, Attachment.uploader_id),
            )
        )
    ).subquery()
    named = {ticket.requester_id, ticket.assignee_id}
    rows = session.exec(
        select(User.id, User.name, User.email, User.role).where(
            or_(col(User.id).in_([i for i in named if i]), col(User.id).in_(select(involved.c.uid)))
        )
    ).all()
    return {uid: _Person(name, email, role) for uid, name, email, role in rows}


def _conversation(
    session: Session,
    ticket_id: int,
    staff: bool,
    names: dict[int, str],
    staff_ids: set[int],
    attachments: list[AttachmentView],
) -> list[CommentView]:
    stmt = select(Comment).where(Comment.ticket_id == ticket_id)
    stmt = visibility.only_visible_comments(stmt, staff)
    comments = session.exec(stmt.order_by(col(Comment.created_at), col(Comment.id))).all()
    return [
        CommentView(
            id=c.id,  # type: ignore[arg-type]
            author_id=c.author_id,
            author_name=names.get(c.author_id, ""),
            author_is_staff=c.author_id in staff_ids,
            body=i18n.shown(c.body),  # a system comment in the reader's language
            internal=c.is_internal,
            created_at=c.created_at,
            attachments=[a for a in attachments if a.comment_id == c.id],
        )
        for c in comments
    ]


def _display_value(session: Session, field_name: str | None, value: str | None) -> str | None:
    """Turn a stored raw value (status, id, ...) into what a person reads."""
    if value is None or field_name is None:
        return value
    if value.startswith(i18n.LATER_PREFIX):  # what an escalation rule did (i18n.later)
        return i18n.shown(value)
    if field_name == "status":
        return lifecycle.label(value)
    if field_name == "priority":
        return _label(PRIORITY_LABELS, value)
    if field_name == "type":
        return _label(TYPE_LABELS, value)
    models = {"assignee_id": User, "team_id": Team, "category_id": Category}
    if field_name in models and value.isdigit():
        return _name_of(session, models[field_name], int(value)) or value
    return value


def _history(
    session: Session, ticket_id: int, staff: bool, names: dict[int, str]
) -> list[EventView]:
    stmt = select(TicketEvent).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.kind != "moved"
    )
    stmt = visibility.only_visible_events(stmt, staff)
    events = session.exec(stmt.order_by(col(TicketEvent.created_at), col(TicketEvent.id))).all()
    return [
        EventView(
            id=e.id,  # type: ignore[arg-type]
            kind=e.kind,
            actor_name=names.get(e.actor_id, "") if e.actor_id else i18n._("System"),
            created_at=e.created_at,
            field=e.field,
            old_value=_display_value(session, e.field, e.old_value),
            new_value=_display_value(session, e.field, e.new_value),
            reason=i18n.shown(e.reason) or None,  # stored language-neutral (i18n.later)
        )
        for e in events
    ]


def _time_entries(session: Session, ticket_id: int, names: dict[int, str]) -> list[TimeEntryView]:
    rows = session.exec(
        select(TimeEntry).where(TimeEntry.ticket_id == ticket_id).order_by(col(TimeEntry.id))
    ).all()
    return [
        TimeEntryView(e.id, names.get(e.user_id, ""), e.minutes, e.note, e.created_at)  # type: ignore[arg-type]
        for e in rows
    ]


def _link_view(ticket: Ticket, kind: str) -> LinkView:
    return LinkView(ticket.id, ticket.number, ticket.title, ticket.status, kind)  # type: ignore[arg-type]


def _links(session: Session, actor: Actor, ticket_id: int) -> list[LinkView]:
    rows = session.exec(
        select(TicketLink.kind, Ticket)
        .join(Ticket, col(Ticket.id) == TicketLink.other_ticket_id)
        .where(TicketLink.ticket_id == ticket_id)
        .order_by(col(Ticket.number))
    ).all()
    return [_link_view(t, kind) for kind, t in rows if visibility.can_see(actor, t)]


def _merged_into(session: Session, actor: Actor, target_id: int | None) -> LinkView | None:
    target = session.get(Ticket, target_id) if target_id else None
    if target is None or not visibility.can_see(actor, target):
        return None
    return _link_view(target, "merged")


def _merged_from(session: Session, actor: Actor, ticket_id: int) -> list[LinkView]:
    rows = session.exec(
        select(Ticket).where(Ticket.merged_into_id == ticket_id).order_by(col(Ticket.number))
    ).all()
    return [_link_view(t, "merged") for t in rows if visibility.can_see(actor, t)]
