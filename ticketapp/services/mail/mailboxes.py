"""Managers' mail settings: the IMAP mailboxes (validated, saved; the password is write-only: a
view says only whether one is set), and the quarantine (list, the raw message, retry, discard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp.i18n import N_
from ticketapp.models import Mailbox, MailQuarantine, Team
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.ids import MAX_DB_INT
from ticketapp.services.mail import intake

SECURITY = ("ssl", "starttls", "none")
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
MAX_PASSWORD = 500  # sealed, it fits the 1024-character column


@dataclass(frozen=True)
class MailboxView:
    id: int
    name: str
    host: str
    port: int
    security: str
    username: str
    has_password: bool
    folder: str
    team_id: int | None
    team_name: str
    is_active: bool
    last_polled_at: datetime | None
    last_error: str


@dataclass(frozen=True)
class QuarantineView:
    id: int
    mailbox: str
    reason: str
    size: int
    created_at: datetime


def _id(value: object) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return 0
    return number if 0 < number <= MAX_DB_INT else 0


def list_mailboxes(session: Session, actor: Actor) -> list[MailboxView]:
    require_manager(actor)
    rows = session.exec(
        select(Mailbox, Team.name).outerjoin(Team).order_by(col(Mailbox.name))
    ).all()
    return [
        MailboxView(
            id=m.id,  # type: ignore[arg-type]
            name=m.name,
            host=m.host,
            port=m.port,
            security=m.security,
            username=m.username,
            has_password=bool(m.password),
            folder=m.folder,
            team_id=m.team_id,
            team_name=team or "",
            is_active=m.is_active,
            last_polled_at=m.last_polled_at,
            last_error=m.last_error,
        )
        for m, team in rows
    ]


def _text(data: dict, key: str) -> str:
    return str(data.get(key) or "").strip()


def mailbox_errors(session: Session, data: dict, mailbox_id: int | None) -> dict[str, str]:
    """Every wrong field at once: field -> msgid."""
    errors: dict[str, str] = {}
    name = _text(data, "name")
    if not name or len(name) > 80:
        errors["name"] = N_("Enter a name of at most 80 characters.")
    else:
        same = session.exec(select(Mailbox.id).where(Mailbox.name == name)).first()
        if same is not None and same != mailbox_id:
            errors["name"] = N_("Another mailbox has this name.")
    host = _text(data, "host")
    if not host or len(host) > 255 or any(c.isspace() for c in host) or "/" in host:
        errors["host"] = N_("Enter the IMAP server's host name, like imap.example.com.")
    port = _text(data, "port")
    if not port.isdigit() or not 0 < int(port) < 65536:
        errors["port"] = N_("Enter a port between 1 and 65535.")
    if _text(data, "security") not in SECURITY:
        errors["security"] = N_("Choose how the connection is secured.")
    if not _text(data, "username"):
        errors["username"] = N_("Enter the user name of the mailbox.")
    if mailbox_id is None and not _text(data, "password"):
        errors["password"] = N_("Enter the password of the mailbox.")
    if len(str(data.get("password") or "")) > MAX_PASSWORD:
        errors["password"] = N_("Keep the password under 500 characters.")
    if len(_text(data, "folder")) > 255:
        errors["folder"] = N_("Keep the folder name under 255 characters.")
    team = _text(data, "team_id")
    if team and session.get(Team, _id(team)) is None:
        errors["team_id"] = N_("Choose a team.")
    return errors


def check_mailbox(
    session: Session, actor: Actor, data: dict, mailbox_id: int | None
) -> dict[str, str]:
    """The form's errors, all at once (field -> msgid), for a manager."""
    require_manager(actor)
    return mailbox_errors(session, data, mailbox_id)


def save_mailbox(session: Session, actor: Actor, mailbox_id: object, data: dict) -> int:
    """Create (mailbox_id None) or update a mailbox. An empty password keeps the stored one."""
    require_manager(actor)
    mid = _id(mailbox_id) if mailbox_id not in (None, "", 0) else None
    mailbox = Mailbox(name="", host="", username="") if mid is None else session.get(Mailbox, mid)
    if mailbox is None:
        raise NotFound("That mailbox no longer exists.")
    errors = mailbox_errors(session, data, mid)
    if errors:
        field = next(iter(errors))
        raise ValidationError(errors[field], field)
    mailbox.name = _text(data, "name")
    mailbox.host = _text(data, "host")
    mailbox.port = int(_text(data, "port"))
    mailbox.security = _text(data, "security")
    mailbox.username = _text(data, "username")[:255]
    if _text(data, "password"):
        mailbox.password = str(data["password"])  # encrypted by the column type
    mailbox.folder = _text(data, "folder")[:255] or "INBOX"
    mailbox.team_id = _id(data.get("team_id")) or None
    mailbox.is_active = bool(data.get("is_active"))
    session.add(mailbox)
    session.flush()
    return mailbox.id  # type: ignore[return-value]


def delete_mailbox(session: Session, actor: Actor, mailbox_id: object) -> str:
    require_manager(actor)
    mailbox = session.get(Mailbox, _id(mailbox_id))
    if mailbox is None:
        raise NotFound("That mailbox no longer exists.")
    name = mailbox.name
    session.delete(mailbox)
    session.flush()
    return name


# --- the quarantine -------------------------------------------------------------------------


def list_quarantine(session: Session, actor: Actor, limit: int = 200) -> list[QuarantineView]:
    require_manager(actor)
    rows = session.exec(
        select(MailQuarantine).order_by(col(MailQuarantine.id).desc()).limit(limit)
    ).all()
    return [
        QuarantineView(
            id=q.id,  # type: ignore[arg-type]
            mailbox=q.mailbox,
            reason=q.reason,
            size=len(q.raw),
            created_at=q.created_at,
        )
        for q in rows
    ]


def _held(session: Session, actor: Actor, quarantine_id: object) -> MailQuarantine:
    require_manager(actor)
    held = session.get(MailQuarantine, _id(quarantine_id))
    if held is None:
        raise NotFound("That message is no longer in the quarantine.")
    return held


def quarantined_raw(session: Session, actor: Actor, quarantine_id: object) -> bytes:
    return bytes(_held(session, actor, quarantine_id).raw)


def discard(session: Session, actor: Actor, quarantine_id: object) -> None:
    session.delete(_held(session, actor, quarantine_id))
    session.flush()


def retry(session: Session, actor: Actor, quarantine_id: object) -> intake.Outcome:
    """Take the message in again; it leaves the quarantine unless it lands there again (then
    the new row replaces the old one). A reply held for review is filed as a new ticket."""
    held = _held(session, actor, quarantine_id)
    raw, mailbox = bytes(held.raw), held.mailbox
    session.delete(held)
    session.flush()
    return intake.ingest(session, raw, mailbox, hold=False)
