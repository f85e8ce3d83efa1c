"""The one way in for e-mail: `ingest(session, raw, mailbox)` decides what a message becomes
(a new ticket, a reply on its ticket, dropped with a reason, or quarantined) and stores it in
the caller's transaction. The pipe command, IMAP polling and the SMTP listener all call it."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from ticketapp import i18n
from ticketapp.config import smtp_settings
from ticketapp.models import (
    Mailbox,
    MailMessage,
    MailQuarantine,
    Ticket,
    TicketFollower,
    User,
    utcnow,
)
from ticketapp.services import auth, organisations, visibility
from ticketapp.services.actor import Actor
from ticketapp.services.attachments import store_upload
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.services.mail import tokens
from ticketapp.services.mail.body import strip_reply
from ticketapp.services.mail.outbound import INCOMING
from ticketapp.services.mail.parse import Incoming, Unreadable, parse
from ticketapp.services.tickets import add_comment, create_ticket
from ticketapp.services.tickets.common import MAX_DESCRIPTION, MAX_TITLE

RATE_LIMIT = 20  # messages per address per RATE_WINDOW; more are dropped
RATE_WINDOW = timedelta(hours=1)
MAX_FOLLOWERS = 10

CREATED, REPLIED, DROPPED, QUARANTINED = "created", "replied", "dropped", "quarantined"

ALREADY_RECEIVED = i18n.later("Already received (the same Message-ID)")


@dataclass(frozen=True)
class Outcome:
    kind: str  # created | replied | dropped | quarantined
    ticket_number: int | None = None
    reason: str = ""
    ticket_id: int | None = None


def _msg(msgid: str) -> dict[str, object]:
    """A msgid as a `later()` parameter (translated when read)."""
    return {"id": msgid, "p": {}}


def ingest(session: Session, raw: bytes, mailbox: str = "", hold: bool | None = None) -> Outcome:
    """Process one message (raw RFC 5322 bytes). Does not commit. `hold`: hold a signed reply
    from someone not on its ticket for review (default: TICKETAPP_MAIL_HOLD_STRANGER_REPLIES);
    False files it as a new ticket (the quarantine's Retry)."""
    try:
        mail = parse(raw)
    except Unreadable as exc:
        return quarantine(session, raw, mailbox, str(exc))
    if _seen(session, mail.message_id):
        return Outcome(DROPPED, reason=ALREADY_RECEIVED)
    row = _record(session, mail, mailbox)
    session.info[INCOMING] = row  # the first mail of a new ticket's thread (see outbound.py)
    try:
        outcome = _decide(session, mail, mailbox, hold_stranger_replies() if hold is None else hold)
    finally:
        session.info.pop(INCOMING, None)
    if outcome.kind == QUARANTINED:  # held for review: Retry takes it in again (as new)
        session.delete(row)
        session.flush()
        return quarantine(session, raw, mailbox, outcome.reason)
    row.outcome, row.reason = outcome.kind, outcome.reason[:200]
    if outcome.ticket_number is not None:
        number = select(Ticket.id).where(Ticket.number == outcome.ticket_number)
        row.ticket_id = session.exec(number).first()
    session.add(row)
    session.flush()
    return replace(outcome, ticket_id=row.ticket_id)


def quarantine(session: Session, raw: bytes, mailbox: str, reason: str) -> Outcome:
    session.add(MailQuarantine(mailbox=mailbox[:80], reason=reason[:500], raw=bytes(raw)))
    session.flush()
    return Outcome(QUARANTINED, reason=reason)


def _seen(session: Session, message_id: str) -> bool:
    found = select(MailMessage.id).where(MailMessage.message_id == message_id)
    return session.exec(found).first() is not None


def _record(session: Session, mail: Incoming, mailbox: str) -> MailMessage:
    """The message's row, first: a concurrent run with the same Message-ID fails here."""
    row = MailMessage(
        message_id=mail.message_id,
        direction="in",
        from_addr=mail.from_addr[:254],
        mailbox=mailbox[:80],
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # stored by a concurrent run a moment ago
        raise DuplicateMessage(mail.message_id) from None
    return row


class DuplicateMessage(Exception):
    """The same Message-ID was stored concurrently: roll back; the message is already in."""


def _too_many(session: Session, address: str) -> bool:
    since = utcnow() - RATE_WINDOW
    count = session.exec(
        select(func.count())
        .select_from(MailMessage)
        .where(
            MailMessage.from_addr == address,
            MailMessage.direction == "in",
            col(MailMessage.created_at) >= since,
        )
    ).one()
    return count > RATE_LIMIT  # this message's own row is counted


def _own_address(address: str) -> bool:
    sender = smtp_settings().sender.lower()
    local, _, domain = sender.partition("@")
    a_local, _, a_domain = address.partition("@")
    return a_domain == domain and a_local.split("+")[0] == local


def hold_stranger_replies() -> bool:
    """Read on every call, like the SMTP settings."""
    value = os.environ.get("TICKETAPP_MAIL_HOLD_STRANGER_REPLIES", "").strip().lower()
    return value in {"1", "true", "yes", "on"}


def _decide(session: Session, mail: Incoming, mailbox: str, hold: bool) -> Outcome:
    if mail.bounce:
        return Outcome(DROPPED, reason=i18n.later("Bounce ({kind})", kind=_msg(mail.bounce)))
    if _own_address(mail.from_addr):
        return Outcome(DROPPED, reason=i18n.later("Sent by this app (a mail loop)"))
    if _too_many(session, mail.from_addr):
        return Outcome(DROPPED, reason=i18n.later("Too many messages from this address"))
    if mail.automatic:  # out-of-office, lists: never a ticket, never a reply that reopens one
        auto = i18n.later("Automatic message ({header})", header=mail.automatic)
        return Outcome(DROPPED, reason=auto)
    number = tokens.ticket_number(mail.subject, mail.recipients)
    if number is not None and (outcome := _reply(session, mail, number)) is not None:
        return outcome
    if number is not None and hold and _from_a_stranger(session, mail, number):
        held = i18n.later(
            "A reply to #{number} from {sender}, who is not on the ticket: held for review "
            "(Retry files it as a new ticket)",
            number=number,
            sender=mail.from_addr,
        )
        return Outcome(QUARANTINED, reason=held)
    return _new_ticket(session, mail, mailbox)


# --- people -----------------------------------------------------------------------------------


def _person(session: Session, address: str, name: str) -> User | None:
    """The user with this address, or a new requester without a password (they can set one
    through the password reset). None when the address is not usable."""
    try:
        email = auth.validate_email(address)
    except ValidationError:
        return None
    user = auth.get_user_by_email(session, email)
    if user is not None:
        return user
    display = " ".join(name.split())[:120] or email.split("@")[0][:120]
    user = User(email=email, name=display, password_hash="", role="requester")
    session.add(user)
    session.flush()
    organisations.join_by_domain(session, user)  # ORGS: a matching e-mail domain
    return user


# --- a reply ----------------------------------------------------------------------------------


def _participant(session: Session, ticket: Ticket, user: User) -> bool:
    """Staff, the requester or a follower (copied on the first e-mail): who may see it."""
    return visibility.may_see(session, Actor.of(user), ticket)


def _from_a_stranger(session: Session, mail: Incoming, number: int) -> bool:
    """The sender is not on ticket `number` (not its requester, a follower or staff)."""
    ticket = session.exec(select(Ticket).where(Ticket.number == number)).first()
    user = auth.get_user_by_email(session, mail.from_addr)
    if ticket is None:
        return False
    return user is None or not user.is_active or not _participant(session, ticket, user)


def _reply(session: Session, mail: Incoming, number: int) -> Outcome | None:
    """Thread into ticket `number` when the sender takes part in it; None: a new ticket."""
    ticket = session.exec(select(Ticket).where(Ticket.number == number)).first()
    user = auth.get_user_by_email(session, mail.from_addr)
    if ticket is None or user is None or not user.is_active:
        return None
    if not _participant(session, ticket, user):
        return None
    actor = Actor.of(user)
    text = strip_reply(mail.text)[:MAX_DESCRIPTION]
    try:
        comment = add_comment(session, actor, ticket.id, text or "-")
    except ServiceError:  # e.g. closed for the requester: the message opens a new ticket
        return None
    assert ticket.id is not None
    notes = _store_files(session, actor, ticket.id, comment.id, mail.files)
    reason = "; ".join(notes)
    return Outcome(REPLIED, ticket_number=number, reason=reason)


# --- a new ticket -----------------------------------------------------------------------------


def _title(mail: Incoming) -> str:
    subject = tokens.strip_tag(mail.subject)
    if subject:
        return subject[:MAX_TITLE]
    first = next((line.strip() for line in mail.text.splitlines() if line.strip()), "")
    return first[:MAX_TITLE] or i18n._("E-mail without a subject")


def _mailbox_team(session: Session, mailbox: str) -> int | None:
    if not mailbox:
        return None
    return session.exec(select(Mailbox.team_id).where(Mailbox.name == mailbox)).first()


def _new_ticket(session: Session, mail: Incoming, mailbox: str) -> Outcome:
    requester = _person(session, mail.from_addr, mail.from_name)
    if requester is None or not requester.is_active:
        return Outcome(DROPPED, reason=i18n.later("The sender cannot file tickets"))
    actor = Actor.of(requester)
    title = _title(mail)
    description = (mail.text.strip() or title)[:MAX_DESCRIPTION]
    ref = create_ticket(session, actor, title=title, description=description, channel="email")
    team_id = _mailbox_team(session, mailbox)
    ticket = session.get(Ticket, ref.id)
    if team_id is not None and ticket is not None and ticket.team_id is None:
        ticket.team_id = team_id  # the mailbox's team, unless a routing rule chose one
        session.add(ticket)
        session.flush()
    notes = _store_files(session, actor, ref.id, None, mail.files)
    _add_followers(session, ref.id, mail, requester)
    return Outcome(CREATED, ticket_number=ref.number, reason="; ".join(notes))


def _store_files(
    session: Session,
    actor: Actor,
    ticket_id: int,
    comment_id: int | None,
    files: list[tuple[str, bytes]],
) -> list[str]:
    """Store each file under the upload rules; a refused one is skipped and named."""
    notes = []
    for name, data in files:
        try:
            with session.begin_nested():
                store_upload(session, actor, ticket_id, comment_id, name, data)
        except ValidationError as exc:
            notes.append(i18n._("File not stored: {reason}", reason=exc.message)[:200])
    return notes


def _add_followers(session: Session, ticket_id: int, mail: Incoming, requester: User) -> None:
    added: set[int] = {requester.id}  # type: ignore[arg-type]
    for name, address in mail.cc[:MAX_FOLLOWERS]:
        if _own_address(address):
            continue
        user = _person(session, address, name)
        if user is None or user.id in added or not user.is_active:
            continue
        added.add(user.id)  # type: ignore[arg-type]
        session.add(TicketFollower(ticket_id=ticket_id, user_id=user.id))  # type: ignore[arg-type]
    session.flush()


def followers(session: Session, ticket_id: int) -> list[int]:
    rows = select(TicketFollower.user_id).where(TicketFollower.ticket_id == ticket_id)
    return list(session.exec(rows).all())


def ingest_and_commit(engine: Engine, raw: bytes, mailbox: str = "") -> Outcome:
    """`ingest` in its own transaction. A message the rules refuse, or that breaks on the way in,
    goes to the quarantine, so it never blocks the next one; only a database failure raises
    (the caller retries the message later)."""
    with Session(engine) as session:
        try:
            outcome = ingest(session, raw, mailbox)
            session.commit()
            return outcome
        except DuplicateMessage:
            session.rollback()
            return Outcome(DROPPED, reason=ALREADY_RECEIVED)
        except (ServiceError, ValueError, TypeError, KeyError, IndexError) as exc:
            session.rollback()
            reason = (
                exc.message if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
            )
    with Session(engine) as session:
        outcome = quarantine(
            session, raw, mailbox, i18n.later("Not stored: {reason}", reason=reason)
        )
        session.commit()
        return outcome
