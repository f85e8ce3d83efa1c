"""Notifications: in-app (the bell) and e-mail through an outbox, with per-user preferences.

`notify()` is the one entry point: it writes an in-app Notification and, when SMTP is configured
and the user's preference allows, an OutboxMessage in the same transaction as the change that
caused it (nothing here commits). `deliver_outbox()` sends due messages over SMTP:

- a message is claimed (pending -> sending) with a conditional UPDATE that is committed before
  the SMTP conversation, so two workers never send the same row; it is marked sent right after
  the server accepts it;
- a refusal (4xx, connection refused, timeout) puts it back to pending with exponential
  back-off (30 s, 1 min, 2 min, ... capped at 1 h); after MAX_ATTEMPTS, or on a permanent 5xx
  refusal, it is marked failed and kept (nothing is deleted);
- a claim older than STALE_CLAIM (the worker died mid-send) is returned to pending. That is
  the only window for a duplicate: the server accepted, the worker died before marking it sent.
  The Message-ID is stable (derived from the dedupe key), so receiving servers can drop it.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from ticketapp.config import SmtpSettings, base_url, smtp_settings
from ticketapp.models import (
    STAFF_ROLES,
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    Ticket,
    TicketStatus,
    User,
    utcnow,
)
from ticketapp.services import lifecycle
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ValidationError

MAX_ATTEMPTS = 10
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
STALE_CLAIM = timedelta(minutes=15)
SMTP_TIMEOUT = 30
LIST_LIMIT = 30

# kind -> (label, who gets it); the settings page lists the kinds that concern the user's role.
KINDS: dict[str, tuple[str, str]] = {
    "received": ("Your request was received", "requester"),
    "public_reply": ("A reply on your request", "requester"),
    "status_changed": ("Your request's status changed", "requester"),
    "resolved": ("Your request was resolved", "requester"),
    "assigned": ("A ticket was assigned to me", "staff"),
    "requester_reply": ("The requester replied on my ticket", "staff"),
    "sla_warning": ("A ticket is close to its SLA target", "staff"),
    "sla_breach": ("A ticket breached its SLA target", "staff"),
}


def email_enabled() -> bool:
    return smtp_settings().enabled


# --- preferences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Preference:
    kind: str
    label: str
    in_app: bool
    email: bool


def _pref(session: Session, user_id: int, kind: str) -> tuple[bool, bool]:
    row = session.get(NotificationPreference, (user_id, kind))
    return (row.in_app, row.email) if row else (True, True)


def preferences(session: Session, actor: Actor) -> list[Preference]:
    """The kinds that concern the actor's role, with their current choice (default: both on)."""
    audience = "staff" if actor.is_staff else "requester"
    rows = {
        p.kind: p
        for p in session.exec(
            select(NotificationPreference).where(NotificationPreference.user_id == actor.id)
        ).all()
    }
    out = []
    for kind, (label, who) in KINDS.items():
        if who != audience:
            continue
        row = rows.get(kind)
        out.append(Preference(kind, label, row.in_app if row else True, row.email if row else True))
    return out


def set_preference(
    session: Session, actor: Actor, kind: object, in_app: object, email: object
) -> None:
    kind = str(kind)
    if kind not in KINDS:
        raise ValidationError("Unknown notification kind.", "kind")
    row = session.get(NotificationPreference, (actor.id, kind))
    if row is None:
        row = NotificationPreference(user_id=actor.id, kind=kind)
    row.in_app = bool(in_app)
    row.email = bool(email)
    session.add(row)
    session.flush()


# --- notify ---------------------------------------------------------------------------------


def notify(
    session: Session,
    *,
    user_id: int,
    kind: str,
    ticket_id: int | None,
    subject: str,
    body: str,
) -> None:
    """Tell one user: in-app and/or e-mail, as their preferences say. Does not commit."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return
    in_app, by_email = _pref(session, user_id, kind)
    subject = " ".join(subject.split())[:200]
    if in_app:
        session.add(
            Notification(
                user_id=user_id, kind=kind, ticket_id=ticket_id, subject=subject, body=body
            )
        )
    if by_email and user.email and email_enabled():
        session.add(
            OutboxMessage(
                to_addr=user.email,
                subject=subject,
                body=body,
                dedupe_key=f"{kind}-{uuid.uuid4().hex}",
                next_attempt_at=utcnow(),
            )
        )
    session.flush()


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
            subject=n.subject,
            body=n.body,
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


# --- event hooks, called by services/tickets.py ----------------------------------------------


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


def on_comment(session: Session, ticket: Ticket, author_id: int, internal: bool, text: str) -> None:
    if internal:
        return
    excerpt = text.strip()[:1000]
    if author_id != ticket.requester_id and _is_staff(session, author_id):
        notify(
            session,
            user_id=ticket.requester_id,
            kind="public_reply",
            ticket_id=ticket.id,
            subject=f"[#{ticket.number}] New reply: {ticket.title}",
            body=f"{excerpt}\n\nReply here: {ticket_url(ticket)}\n",
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
    )


# --- outbox delivery ------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """Delay before retry number `attempts` (1-based): 30 s, 1 min, 2 min, ... at most 1 h."""
    return min(BASE_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


class _Permanent(Exception):
    pass


class _Mailer:
    """One SMTP connection per delivery run, opened on first use."""

    def __init__(self, cfg: SmtpSettings):
        self.cfg = cfg
        self.conn: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        cfg = self.cfg
        if cfg.tls == "ssl":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            conn = smtplib.SMTP(cfg.host, cfg.port, timeout=SMTP_TIMEOUT)
            if cfg.tls == "starttls":
                conn.starttls(context=ssl.create_default_context())
        if cfg.user:
            conn.login(cfg.user, cfg.password)
        return conn

    def send(self, msg: OutboxMessage) -> None:
        if self.conn is None:
            self.conn = self._open()
        email = EmailMessage()
        email["From"] = self.cfg.sender
        email["To"] = msg.to_addr
        email["Subject"] = msg.subject
        email["Date"] = format_datetime(utcnow())
        email["Message-ID"] = f"<{msg.dedupe_key}@ticketapp>"
        email.set_content(msg.body)
        try:
            self.conn.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(500 <= c < 600 for c in codes):
                raise _Permanent(str(exc)) from exc
            raise
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                raise _Permanent(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.conn.quit()
            self.conn = None


def _release_stale(engine: Engine, now: datetime) -> None:
    with Session(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.status) == OutboxStatus.SENDING,
                col(OutboxMessage.claimed_at) < now - STALE_CLAIM,
            )
            .values(status=OutboxStatus.PENDING, last_error="worker stopped while sending")
        )
        session.commit()


def _claim(engine: Engine, msg_id: int, now: datetime) -> OutboxMessage | None:
    with Session(engine, expire_on_commit=False) as session:
        result = session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == msg_id, col(OutboxMessage.status) == OutboxStatus.PENDING
            )
            .values(status=OutboxStatus.SENDING, claimed_at=now)
        )
        session.commit()
        if result.rowcount != 1:
            return None
        return session.get(OutboxMessage, msg_id)


def _finish(engine: Engine, msg_id: int, now: datetime, error: str | None, permanent: bool) -> None:
    with Session(engine) as session:
        msg = session.get(OutboxMessage, msg_id)
        assert msg is not None
        if error is None:
            msg.status = OutboxStatus.SENT
            msg.sent_at = now
            msg.attempts += 1
        else:
            msg.attempts += 1
            msg.last_error = error[:1000]
            if permanent or msg.attempts >= MAX_ATTEMPTS:
                msg.status = OutboxStatus.FAILED
            else:
                msg.status = OutboxStatus.PENDING
                msg.next_attempt_at = now + backoff(msg.attempts)
        msg.claimed_at = None
        session.add(msg)
        session.commit()


def deliver_outbox(
    engine: Engine, now: datetime | None = None, cfg: SmtpSettings | None = None, limit: int = 100
) -> int:
    """Send due messages; returns how many were sent. Safe to run from several workers."""
    cfg = cfg or smtp_settings()
    if not cfg.enabled:
        return 0
    now = now or utcnow()
    _release_stale(engine, now)
    with Session(engine) as session:
        due = session.exec(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(limit)
        ).all()
    mailer = _Mailer(cfg)
    sent = 0
    try:
        for msg_id in due:
            assert msg_id is not None
            msg = _claim(engine, msg_id, now)
            if msg is None:
                continue  # another worker took it
            try:
                mailer.send(msg)
            except _Permanent as exc:
                _finish(engine, msg_id, now, str(exc), permanent=True)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                _finish(engine, msg_id, now, f"{type(exc).__name__}: {exc}", permanent=False)
                mailer.close()
                break  # the server is unhealthy: leave the rest for the next run
            _finish(engine, msg_id, now, None, permanent=False)
            sent += 1
    finally:
        mailer.close()
    return sent


@dataclass(frozen=True)
class OutboxStats:
    pending: int
    sent: int
    failed: int


def outbox_stats(session: Session) -> OutboxStats:
    rows = dict(
        session.exec(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    return OutboxStats(
        pending=rows.get("pending", 0) + rows.get("sending", 0),
        sent=rows.get("sent", 0),
        failed=rows.get("failed", 0),
    )
