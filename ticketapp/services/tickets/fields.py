"""Field changes by agents and managers: one ticket (version-checked, an event per change, SLA
targets recomputed, the new assignee notified), "assign to me", and bulk changes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.models import Priority, TicketType, utcnow
from ticketapp.services import lifecycle, notifications, sla, webhooks
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.audit import record_event
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.services.tickets.common import EDITABLE_FIELDS, check_version, flush_ticket, ref
from ticketapp.services.tickets.status import apply_status
from ticketapp.services.tickets.validation import (
    clean_assignee,
    clean_category,
    clean_enum,
    clean_team,
    clean_title,
)
from ticketapp.services.tickets.views import BulkOutcome, TicketRef
from ticketapp.services.visibility import get_ticket_for


def clean_change(session: Session, name: str, value: object) -> object:
    if name == "title":
        return clean_title(value)
    if name == "priority":
        return clean_enum(value, Priority, "priority", N_("Choose a priority."))
    if name == "type":
        return clean_enum(value, TicketType, "type", N_("Choose a type."))
    if name == "category_id":
        return clean_category(session, value)
    if name == "assignee_id":
        return clean_assignee(session, value)
    if name == "team_id":
        return clean_team(session, value)
    return lifecycle.parse_status(value)


def update_fields(
    session: Session, actor: Actor, ticket_id: object, expected_version: object, **changes: Any
) -> TicketRef:
    """Staff edit of EDITABLE_FIELDS; each change is an event. Stale version -> Conflict."""
    require_staff(actor)
    for name in changes:
        if name not in EDITABLE_FIELDS:
            raise ValidationError("{name} cannot be changed here.", name, name=name)
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    check_version(session, ticket, expected_version)
    clean = {name: clean_change(session, name, value) for name, value in changes.items()}
    status = clean.pop("status", None)
    if status is not None and status != ticket.status:
        lifecycle.check_transition(ticket.status, status, actor)
    now = utcnow()
    changed = False
    assert ticket.id is not None
    sla_key = (ticket.priority, ticket.category_id, ticket.team_id)  # SLA
    old_assignee, old_team = ticket.assignee_id, ticket.team_id
    for name, value in clean.items():
        old = getattr(ticket, name)
        if old == value:
            continue
        setattr(ticket, name, value)
        kind = "assigned" if name in ("assignee_id", "team_id") else "field_changed"
        record_event(session, ticket.id, actor, kind, name, old, value, now)
        changed = True
    if status is not None:
        changed = apply_status(session, ticket, status, actor, now) or changed
    if sla_key != (ticket.priority, ticket.category_id, ticket.team_id):  # SLA: new targets
        changed_priority = sla_key[0] != ticket.priority
        why = sla.PRIORITY_CHANGED if changed_priority else sla.CATEGORY_OR_TEAM_CHANGED
        sla.recompute(session, ticket, why)  # from creation, pauses kept
    if changed:
        ticket.updated_at = now
        session.add(ticket)
        flush_ticket(session, ticket)
    if ticket.assignee_id not in (None, old_assignee):  # NOTIFY: the new assignee
        notifications.on_assigned(session, ticket, actor.id)
    webhooks.emit_assignment(session, ticket, actor, old_assignee, old_team)  # WEBHOOKS:
    return ref(ticket)


def assign_to_me(
    session: Session, actor: Actor, ticket_id: object, expected_version: object = None
) -> TicketRef:
    require_staff(actor)
    return update_fields(session, actor, ticket_id, expected_version, assignee_id=actor.id)


def bulk_update(
    session: Session, actor: Actor, ticket_ids: Iterable[object], **changes: Any
) -> list[BulkOutcome]:
    """Apply the same change to many tickets; each in its own savepoint, outcome per ticket."""
    require_staff(actor)
    outcomes = []
    for raw_id in list(ticket_ids)[:500]:
        try:
            with session.begin_nested():
                ref = update_fields(session, actor, raw_id, None, **changes)
        except ServiceError as exc:
            outcomes.append(BulkOutcome(raw_id, None, False, exc.message))  # type: ignore[arg-type]
            continue
        outcomes.append(BulkOutcome(ref.id, ref.number, True, i18n._("Updated.")))
    return outcomes
