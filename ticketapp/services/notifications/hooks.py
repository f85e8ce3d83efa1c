"""The ticket event hooks the tickets service calls: who is told what on filing, assignment, a
reply, and a status change."""

from __future__ import annotations

from sqlmodel import Session, select

from ticketapp import i18n
from ticketapp.config import base_url
from ticketapp.models import (
    PRIORITY_LABELS,
    STAFF_ROLES,
    Priority,
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


# Subjects and bodies are i18n.later() texts: the bell shows them in its reader's language, an
# e-mail is written in its recipient's (inbox.notify); the ticket number and links stay as they
# are, a title or a reply as written.


def on_created(session: Session, ticket: Ticket) -> None:
    assert ticket.id is not None
    notify(
        session,
        user_id=ticket.requester_id,
        kind="received",
        ticket_id=ticket.id,
        subject=i18n.later(
            "[#{number}] We received your request: {title}",
            number=ticket.number,
            title=ticket.title,
        ),
        body=i18n.later(
            "Thank you. Your request has ticket number #{number}.\nFollow it here: {url}\n",
            number=ticket.number,
            url=ticket_url(ticket),
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
        subject=i18n.later(
            "[#{number}] Assigned to you: {title}", number=ticket.number, title=ticket.title
        ),
        body=i18n.later(
            "Ticket #{number} ({priority}) is now yours.\n{url}\n",
            number=ticket.number,
            priority=i18n.later(_priority_label(ticket.priority)),
            url=ticket_url(ticket),
        ),
    )


def _priority_label(priority: str) -> str:
    try:
        return PRIORITY_LABELS[Priority(priority)]
    except ValueError:
        return priority


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
                subject=i18n.later(
                    "[#{number}] New reply: {title}", number=ticket.number, title=ticket.title
                ),
                body=i18n.later(
                    "{reply}\n\nReply here: {url}\n", reply=excerpt, url=ticket_url(ticket)
                ),
                thread=ticket,
            )
    elif author_id == ticket.requester_id and ticket.assignee_id:
        notify(
            session,
            user_id=ticket.assignee_id,
            kind="requester_reply",
            ticket_id=ticket.id,
            subject=i18n.later(
                "[#{number}] The requester replied: {title}",
                number=ticket.number,
                title=ticket.title,
            ),
            body=f"{excerpt}\n\n{ticket_url(ticket)}\n",  # nothing to translate
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
            subject=i18n.later(
                "[#{number}] Resolved: {title}", number=ticket.number, title=ticket.title
            ),
            thread=ticket,
            body=i18n.later(
                "Your request #{number} was resolved.\n"
                "How did we do? Rate the resolution: {url}#rate\n"
                "If the problem is not solved, reply on the ticket to reopen it.\n",
                number=ticket.number,
                url=ticket_url(ticket),
            ),
        )
        return
    notify(
        session,
        user_id=ticket.requester_id,
        kind="status_changed",
        ticket_id=ticket.id,
        subject=i18n.later(
            "[#{number}] Now {status}: {title}",
            number=ticket.number,
            status=i18n.later(lifecycle.label(new)),
            title=ticket.title,
        ),
        body=i18n.later(
            "Your request #{number} moved from {old} to {new}.\n{url}\n",
            number=ticket.number,
            old=i18n.later(lifecycle.label(old)),
            new=i18n.later(lifecycle.label(new)),
            url=ticket_url(ticket),
        ),
        thread=ticket,
    )
