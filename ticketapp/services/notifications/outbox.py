"""Outbox delivery over SMTP: claim, send, mark sent, back off and retry, give up; stale claims
returned to pending; counts per status."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from ticketapp.config import SmtpSettings, smtp_settings
from ticketapp.models import (
    OutboxMessage,
    OutboxStatus,
    utcnow,
)

MAX_ATTEMPTS = 10
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
STALE_CLAIM = timedelta(minutes=15)
SMTP_TIMEOUT = 30

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
        for name, value in (msg.headers or {}).items():  # threading headers (services/mail/)
            del email[name]
            email[name] = value
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
