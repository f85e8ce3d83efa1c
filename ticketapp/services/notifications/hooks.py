"""The ticket event hooks the tickets service calls: who is told what on filing, assignment, a
reply, and a status change."""

from __future__ import annotations

from sqlmodel import Session, select

from ticketapp.config import base_url
from ticketapp.models import (
    STAFF_ROLES,
    Ticket,
    TicketFollower,
    TicketStatus,
    User,
)
from ticketapp.services import lifecycle
from ticketapp.services.notifications.inbox import notify

# --- event hooks, called by services/tickets/ ------------------------------------------------


def ticket_url(ticket: Ticket) -> str:
    return f"{base_url()}/tickets/{ticket.number}"


def _is_staff(session: Session, user_id: int | None) -> bool:
    user = session.get(User, user_id) if user_id else None
    return bool(user and user.role in STAFF_ROLES)


def on_created(session: Session, ticket: Ticket) -> None:
    assert ticket.id is not None
    notify(
        session,
        user_id=ticket.requester_id,
        kind="received",
        ticket_id=ticket.id,
        subject=f"[#{ticket.number}] We received your request: {ticket.title}",
        body=(
            f"Thank you. Your request has ticket number #{ticket.number}.\n"
            f"Follow it here: {ticket_url(ticket)}\n"
        ),
        thread=ticket,
    )


def on_assigned(session: Session, ticket: Ticket, actor_id: int | None) -> None:
    if not ticket.assignee_id or ticket.assignee_id == actor_id:
        return
    notify(
        session,
        user_id=ticket.assignee_id,
        kind="assigned",
        ticket_id=ticket.id,
        subject=f"[#{ticket.number}] Assigned to you: {ticket.title}",
        body=f"Ticket #{ticket.number} ({ticket.priority}) is now yours.\n{ticket_url(ticket)}\n",
    )


def _followers(session: Session, ticket: Ticket) -> list[int]:
    """Those copied on the ticket (the Cc of its first e-mail), besides the requester."""
    rows = select(TicketFollower.user_id).where(TicketFollower.ticket_id == ticket.id)
    return [uid for uid in session.exec(rows).all() if uid != ticket.requester_id]


def on_comment(session: Session, ticket: Ticket, author_id: int, internal: bool, text: str) -> None:
    if internal:
        return
    excerpt = text.strip()[:1000]
    if author_id != ticket.requester_id and _is_staff(session, author_id):
        for user_id in (ticket.requester_id, *_followers(session, ticket)):
            notify(
                session,
                user_id=user_id,
                kind="public_reply",
                ticket_id=ticket.id,
                subject=f"[#{ticket.number}] New reply: {ticket.title}",
                body=f"{excerpt}\n\nReply here: {ticket_url(ticket)}\n",
                thread=ticket,
            )
    elif author_id == ticket.requester_id and ticket.assignee_id:
        notify(
            session,
            user_id=ticket.assignee_id,
            kind="requester_reply",
            ticket_id=ticket.id,
            subject=f"[#{ticket.number}] The requester replied: {ticket.title}",
            body=f"{excerpt}\n\n{ticket_url(ticket)}\n",
        )


def on_status_changed(
    session: Session, ticket: Ticket, old: str, new: str, actor_id: int | None
) -> None:
    if actor_id == ticket.requester_id or old == new:
        return
    if new == TicketStatus.RESOLVED:
        notify(
            session,
            user_id=ticket.requester_id,
            kind="resolved",
            ticket_id=ticket.id,
            subject=f"[#{ticket.number}] Resolved: {ticket.title}",
            thread=ticket,
            body=(
                f"Your request #{ticket.number} was resolved.\n"
                f"How did we do? Rate the resolution: {ticket_url(ticket)}#rate\n"
                "If the problem is not solved, reply on the ticket to reopen it.\n"
            ),
        )
        return
    notify(
        session,
        user_id=ticket.requester_id,
        kind="status_changed",
        ticket_id=ticket.id,
        subject=f"[#{ticket.number}] Now {lifecycle.label(new)}: {ticket.title}",
        body=(
            f"Your request #{ticket.number} moved from {lifecycle.label(old)} to "
            f"{lifecycle.label(new)}.\n{ticket_url(ticket)}\n"
        ),
        thread=ticket,
    )
