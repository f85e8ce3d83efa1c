"""Filing a ticket: who it is for, the form, its number (unique under concurrent filings), its
first event and files, then triage, the SLA clock and the "received" notification."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ticketapp.i18n import N_
from ticketapp.models import Priority, Ticket, TicketStatus, TicketType, User, utcnow
from ticketapp.services import abuse, notifications, routing, sla, webhooks
from ticketapp.services import custom_fields as fields_service
from ticketapp.services.actor import Actor
from ticketapp.services.audit import record_event
from ticketapp.services.errors import Conflict, PermissionDenied, ValidationError
from ticketapp.services.ids import optional_id
from ticketapp.services.tickets.common import FIRST_NUMBER, attach_files, ref
from ticketapp.services.tickets.status import bottom_rank
from ticketapp.services.tickets.validation import FormInvalid, validate_ticket_form
from ticketapp.services.tickets.views import TicketRef


def _requester_for(session: Session, actor: Actor, requester_id: object) -> int:
    if requester_id in (None, ""):
        return actor.id
    rid = optional_id(requester_id, "requester_id", N_("Choose a requester."))
    if not actor.is_staff:
        if rid != actor.id:
            raise PermissionDenied("You can only file tickets for yourself.")
        return actor.id
    user = session.get(User, rid)
    if user is None or not user.is_active:
        raise ValidationError("Choose an active requester.", "requester_id")
    return user.id  # type: ignore[return-value]


def _by_key(session: Session, key: str) -> Ticket | None:
    return session.exec(select(Ticket).where(Ticket.idempotency_key == key)).first()


def _replayed(actor: Actor, existing: Ticket) -> TicketRef:
    if existing.created_by_id != actor.id:
        raise ValidationError("This form was already used. Reload the page and try again.")
    return ref(existing)


def create_ticket(
    session: Session,
    actor: Actor,
    *,
    title: object,
    description: object,
    type: object = TicketType.QUESTION,
    category_id: object = None,
    impact: object = Priority.NORMAL,
    details: object = None,
    requester_id: object = None,
    idempotency_key: str | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    channel: str = "web",
    custom_fields: object = None,
) -> TicketRef:
    """File a ticket (numbers start at 1001). A repeated idempotency_key returns the first one."""
    key = str(idempotency_key).strip()[:64] if idempotency_key else None
    if key and (existing := _by_key(session, key)):
        return _replayed(actor, existing)
    if channel == "web":  # (e-mail and monitoring have their own per-sender limits)
        abuse.check_filing(session, actor)
    requester = _requester_for(session, actor, requester_id)
    try:
        form = validate_ticket_form(
            session,
            title=title,
            description=description,
            type=type,
            category_id=category_id,
            impact=impact,
            details=details,
        )
        errors: dict[str, str] = {}
    except FormInvalid as exc:
        form, errors = {}, dict(exc.errors)
    # FIELDS: the type's custom fields, checked with the rest of the form.
    custom, custom_errors = fields_service.check_for_filing(session, actor, type, custom_fields)
    if errors or custom_errors:
        raise FormInvalid({**errors, **custom_errors})
    now = utcnow()
    form["channel"] = channel
    ticket = _insert_numbered(session, actor, requester, form, key, now)
    if isinstance(ticket, TicketRef):
        return ticket
    assert ticket.id is not None
    record_event(session, ticket.id, actor, "created", None, None, ticket.number, now)
    attach_files(session, actor, ticket, None, attachments)
    fields_service.store_filed(session, actor, ticket.id, custom)  # FIELDS:
    session.flush()
    routing.triage_and_assign(session, ticket, now)  # ROUTING: rules, then auto-assignment
    sla.on_created(session, ticket)  # SLA: start the clock (after triage set the priority)
    notifications.on_created(session, ticket)  # NOTIFY: "received" to the requester
    webhooks.emit(session, webhooks.TICKET_CREATED, ticket, actor)  # WEBHOOKS:
    if ticket.assignee_id is not None:  # auto-assigned by routing: after "created"
        to = webhooks.assignee_email(session, ticket.assignee_id)
        webhooks.emit(session, webhooks.ASSIGNED, ticket, None, **_assigned(None, to))
    return ref(ticket)


def _assigned(old: str | None, new: str | None) -> dict:
    return webhooks.change_part("assignee", old, new)


def _insert_numbered(
    session: Session, actor: Actor, requester: int, form: dict, key: str | None, now: datetime
) -> Ticket | TicketRef:
    """Insert with number = max + 1, retrying in a savepoint if a concurrent insert took it."""
    rank = bottom_rank(session, TicketStatus.NEW)
    for _attempt in range(8):
        top = session.exec(select(func.max(Ticket.number))).one()
        ticket = Ticket(
            number=max(top or 0, FIRST_NUMBER - 1) + 1,
            title=form["title"],
            description=form["description"],
            type=form["type"],
            category_id=form["category_id"],
            impact=form["impact"],
            priority=form["impact"],
            details=form.get("details", {}),
            channel=form.get("channel", "web"),
            requester_id=requester,
            created_by_id=actor.id,
            idempotency_key=key,
            rank=rank,
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(ticket)
        except IntegrityError:
            if key and (existing := _by_key(session, key)):
                return _replayed(actor, existing)
            continue
        return ticket
    raise Conflict("Many tickets are being filed right now. Please submit again.")
