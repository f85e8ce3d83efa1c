"""`notify()`, the one entry point (an in-app Notification, and an OutboxMessage when e-mail is
wanted, in the caller's transaction), and the bell: unread count, list, mark read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from ticketapp import i18n
from ticketapp.config import team_language
from ticketapp.models import (
    Notification,
    OutboxMessage,
    Ticket,
    User,
    utcnow,
)
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ValidationError
from ticketapp.services.mail import outbound
from ticketapp.services.notifications.preferences import email_enabled, wanted_channels

LIST_LIMIT = 30
MAX_SUBJECT = 200  # Notification.subject

# --- notify ---------------------------------------------------------------------------------


def recipient_locale(user: User) -> str:
    """The language a user is written to: their setting, else the team's, else English."""
    return i18n.supported(user.locale) or i18n.supported(team_language()) or i18n.DEFAULT_LOCALE


def notify(
    session: Session,
    *,
    user_id: int,
    kind: str,
    ticket_id: int | None,
    subject: str,
    body: str,
    thread: Ticket | None = None,
) -> None:
    """Tell one user: in-app and/or e-mail, as their preferences say. Does not commit.

    `subject` and `body` are `i18n.later()` texts (or text as written): the bell keeps them
    language-neutral and shows them in the reader's language when read; an e-mail is written
    now, in the recipient's language, whoever's event caused it. With `thread`, the e-mail
    carries the ticket's signed reply token and threading headers, so the recipient's answer
    by e-mail comes back to that ticket (services/mail/)."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return
    in_app, by_email = wanted_channels(session, user_id, kind)
    if in_app:
        session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                ticket_id=ticket_id,
                subject=i18n.fit(subject, MAX_SUBJECT),
                body=body,
            )
        )
    if by_email and user.email and email_enabled():
        with i18n.using(recipient_locale(user)):
            mail_subject, mail_body = _one_line(i18n.shown(subject)), i18n.shown(body)
        headers = {}
        if thread is not None:
            headers = outbound.thread_headers(session, thread, kind, user.email)
            mail_subject = outbound.signed_subject(mail_subject, thread.number)
        session.add(
            OutboxMessage(
                to_addr=user.email,
                subject=mail_subject[:MAX_SUBJECT],
                body=mail_body,
                dedupe_key=f"{kind}-{uuid.uuid4().hex}",
                next_attempt_at=utcnow(),
                headers=headers,
            )
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- the bell -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    subject: str
    body: str
    ticket_number: int | None
    created_at: datetime
    read: bool


def unread_count(session: Session, actor: Actor) -> int:
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == actor.id, col(Notification.read_at).is_(None))
    ).one()


def list_notifications(
    session: Session, actor: Actor, limit: int = LIST_LIMIT
) -> list[NotificationView]:
    rows = session.exec(
        select(Notification, Ticket.number)
        .join(Ticket, col(Ticket.id) == Notification.ticket_id, isouter=True)
        .where(Notification.user_id == actor.id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(max(1, min(int(limit), 200)))
    ).all()
    return [
        NotificationView(
            id=n.id,  # type: ignore[arg-type]
            kind=n.kind,
            subject=_one_line(i18n.shown(n.subject)),  # in the reader's language
            body=i18n.shown(n.body),
            ticket_number=number,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n, number in rows
    ]


def mark_read(session: Session, actor: Actor, notification_id: object = None) -> int:
    """Mark one (or, with None, all) of the actor's own notifications read."""
    stmt = update(Notification).where(
        col(Notification.user_id) == actor.id, col(Notification.read_at).is_(None)
    )
    if notification_id is not None:
        try:
            nid = int(str(notification_id))
        except ValueError:
            raise ValidationError("Unknown notification.") from None
        stmt = stmt.where(col(Notification.id) == nid)
    result = session.execute(stmt.values(read_at=utcnow()))
    return result.rowcount or 0


def recent_recipients(session: Session, ticket_ids: tuple[int, ...], since: datetime) -> list[int]:
    """Users with a notification created since `since` (about these tickets, if any given)."""
    stmt = select(Notification.user_id).where(Notification.created_at >= since).distinct()
    if ticket_ids:
        stmt = stmt.where(col(Notification.ticket_id).in_(list(ticket_ids)))
    return list(session.exec(stmt).all())
