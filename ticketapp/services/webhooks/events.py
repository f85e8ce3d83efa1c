"""The ticket events a webhook can carry, their payload, and `emit()`: one outbox row per
subscribed endpoint, in the caller's transaction (nothing here commits)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from ticketapp import clock
from ticketapp.config import base_url
from ticketapp.i18n import N_
from ticketapp.models import (
    Category,
    Team,
    Ticket,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookStatus,
)
from ticketapp.services.actor import Actor

TICKET_CREATED = "ticket.created"
STATUS_CHANGED = "ticket.status_changed"
ASSIGNED = "ticket.assigned"
PUBLIC_REPLY = "ticket.public_reply"
INTERNAL_NOTE = "ticket.internal_note"
RATED = "ticket.rated"
SLA_BREACHED = "ticket.sla_breached"
PING = "ping"  # "Send test event" on the admin page; not subscribable

# event -> label (msgid), in the order the admin page lists them
EVENTS: dict[str, str] = {
    TICKET_CREATED: N_("Ticket created"),
    STATUS_CHANGED: N_("Status changed"),
    ASSIGNED: N_("Assigned"),
    PUBLIC_REPLY: N_("Public reply"),
    INTERNAL_NOTE: N_("Internal note"),
    RATED: N_("Rated"),
    SLA_BREACHED: N_("SLA breached"),
}


def parse_events(stored: str) -> list[str]:
    return [e for e in stored.split(",") if e in EVENTS]


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _person(user: User | None) -> dict[str, str] | None:
    return {"name": user.name, "email": user.email} if user else None


def ticket_summary(session: Session, ticket: Ticket) -> dict[str, Any]:
    category = session.get(Category, ticket.category_id) if ticket.category_id else None
    team = session.get(Team, ticket.team_id) if ticket.team_id else None
    assignee = session.get(User, ticket.assignee_id) if ticket.assignee_id else None
    requester = session.get(User, ticket.requester_id)
    return {
        "number": ticket.number,
        "title": ticket.title,
        "status": str(ticket.status),
        "priority": str(ticket.priority),
        "type": str(ticket.type),
        "category": category.name if category else None,
        "team": team.name if team else None,
        "assignee": _person(assignee),
        "requester_email": requester.email if requester else None,
        "url": f"{base_url()}/tickets/{ticket.number}",
    }


def _subscribers(session: Session, event: str) -> list[WebhookEndpoint]:
    rows = session.exec(
        select(WebhookEndpoint).where(col(WebhookEndpoint.is_active).is_(True))
    ).all()
    return [e for e in rows if event in e.events.split(",")]


def payload(
    event: str, ticket: dict[str, Any] | None, actor: Actor | None, at: datetime, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"evt_{uuid.uuid4().hex}",
        "event": event,
        "occurred_at": iso(at),
        "actor": {"name": actor.name, "email": actor.email} if actor else None,
    }
    if ticket is not None:
        body["ticket"] = ticket
    body.update(extra)
    return body


def dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)


def enqueue(
    session: Session, endpoint: WebhookEndpoint, body: dict[str, Any], now: datetime
) -> WebhookDelivery:
    ticket = body.get("ticket") or {}
    delivery = WebhookDelivery(
        uid=str(uuid.uuid4()),
        endpoint_id=endpoint.id,  # type: ignore[arg-type]
        event=body["event"],
        event_id=body["id"],
        ticket_number=ticket.get("number"),
        body=dumps(body),
        status=WebhookStatus.PENDING,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    return delivery


def emit(
    session: Session, event: str, ticket: Ticket, actor: Actor | None = None, **extra: Any
) -> int:
    """Queue `event` about `ticket` for every active endpoint subscribed to it, in the caller's
    transaction. `extra` goes into the payload as is (e.g. comment=..., changes=...).
    Returns the number of deliveries queued."""
    endpoints = _subscribers(session, event)
    if not endpoints:
        return 0
    session.flush()  # the ticket's own row and names as this transaction sees them
    now = clock.now()
    body = payload(event, ticket_summary(session, ticket), actor, now, **extra)
    for endpoint in endpoints:
        enqueue(session, endpoint, body, now)
    return len(endpoints)


# --- the payload parts of each event -----------------------------------------------------------


def comment_part(comment_id: int | None, author: Actor, text: str, internal: bool, at) -> dict:
    return {
        "comment": {
            "id": comment_id,
            "author": {"name": author.name, "email": author.email},
            "body": text,
            "internal": internal,
            "created_at": iso(at),
        }
    }


def change_part(field: str, old: object, new: object) -> dict:
    return {"changes": {field: {"from": old, "to": new}}}


def assignee_email(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id else None
    return user.email if user else None


def emit_assignment(
    session: Session,
    ticket: Ticket,
    actor: Actor | None,
    old_assignee_id: int | None,
    old_team_id: int | None,
) -> int:
    """ "ticket.assigned" when the assignee or the team changed, with what changed (e-mails
    for people, names for teams)."""
    changes: dict[str, dict] = {}
    if ticket.assignee_id != old_assignee_id:
        changes["assignee"] = {
            "from": assignee_email(session, old_assignee_id),
            "to": assignee_email(session, ticket.assignee_id),
        }
    if ticket.team_id != old_team_id:
        old_team = session.get(Team, old_team_id) if old_team_id else None
        new_team = session.get(Team, ticket.team_id) if ticket.team_id else None
        changes["team"] = {
            "from": old_team.name if old_team else None,
            "to": new_team.name if new_team else None,
        }
    if not changes:
        return 0
    return emit(session, ASSIGNED, ticket, actor, changes=changes)
