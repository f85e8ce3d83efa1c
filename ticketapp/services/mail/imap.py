"""IMAP polling: each active mailbox's unseen messages go through `intake.ingest_and_commit`,
then are flagged \\Seen (never deleted); a message the database could not take stays unseen for
the next poll. The scheduler calls `poll_all` under its lease, once per tick."""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from ticketapp.models import Mailbox, utcnow
from ticketapp.services.mail import intake

TIMEOUT = 30
BATCH = 50  # messages per mailbox per poll; the rest wait for the next tick


@dataclass
class PollResult:
    fetched: int = 0
    ticket_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _connect(box: Mailbox, tls_context: ssl.SSLContext | None) -> imaplib.IMAP4:
    context = tls_context or ssl.create_default_context()
    if box.security == "ssl":
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            box.host, box.port, ssl_context=context, timeout=TIMEOUT
        )
    else:
        conn = imaplib.IMAP4(box.host, box.port, timeout=TIMEOUT)
        if box.security == "starttls":
            conn.starttls(ssl_context=context)
    conn.login(box.username, box.password)
    return conn


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetch_new(engine: Engine, conn: imaplib.IMAP4, box: Mailbox, result: PollResult) -> None:
    typ, _ = conn.select(_quoted(box.folder or "INBOX"))
    if typ != "OK":
        raise imaplib.IMAP4.error(f"cannot open folder {box.folder}")
    typ, data = conn.uid("SEARCH", None, "UNSEEN")
    uids = (data[0] or b"").split() if typ == "OK" else []
    for uid in uids[:BATCH]:
        typ, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = next((p[1] for p in parts or [] if isinstance(p, tuple)), None)
        if typ != "OK" or raw is None:
            continue
        outcome = intake.ingest_and_commit(engine, raw, box.name)  # a DB error stops here
        conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        result.fetched += 1
        if outcome.ticket_id is not None:
            result.ticket_ids.append(outcome.ticket_id)


def poll_mailbox(
    engine: Engine, box: Mailbox, tls_context: ssl.SSLContext | None = None
) -> PollResult:
    result = PollResult()
    error = ""
    try:
        conn = _connect(box, tls_context)
        try:
            _fetch_new(engine, conn, box, result)
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                conn.logout()
    except (OSError, imaplib.IMAP4.error, SQLAlchemyError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        result.errors.append(f"{box.name}: {error}")
    with Session(engine) as session:
        row = session.get(Mailbox, box.id)
        if row is not None:
            row.last_polled_at, row.last_error = utcnow(), error
            session.add(row)
            session.commit()
    return result


def poll_all(engine: Engine, tls_context: ssl.SSLContext | None = None) -> PollResult:
    """Poll every active mailbox once."""
    with Session(engine, expire_on_commit=False) as session:
        boxes = session.exec(
            select(Mailbox).where(col(Mailbox.is_active).is_(True)).order_by(col(Mailbox.id))
        ).all()
    total = PollResult()
    for box in boxes:
        one = poll_mailbox(engine, box, tls_context)
        total.fetched += one.fetched
        total.ticket_ids += one.ticket_ids
        total.errors += one.errors
    return total
