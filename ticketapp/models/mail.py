"""Tables of the e-mail channel (services/mail/)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from ticketapp.models.core import utcnow
from ticketapp.secret_box import EncryptedText

# --- the e-mail channel (services/mail/) ------------------------------------------------------


class MailMessage(SQLModel, table=True):
    """An e-mail seen or sent: its Message-ID once (re-polled mail is stored once), what came of
    it, and the ticket it belongs to. Also the per-address rate limit's count."""

    __tablename__ = "mail_message"
    __table_args__ = (Index("ix_mail_message_from_created", "from_addr", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=255, unique=True)
    direction: str = Field(default="in", max_length=3)  # in | out
    outcome: str = Field(default="", max_length=20)  # created | replied | dropped | sent
    reason: str = Field(default="", max_length=200)
    from_addr: str = Field(default="", max_length=254)
    mailbox: str = Field(default="", max_length=80)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class MailQuarantine(SQLModel, table=True):
    """A message that could not be processed, kept whole for a manager to retry or discard."""

    __tablename__ = "mail_quarantine"
    id: int | None = Field(default=None, primary_key=True)
    mailbox: str = Field(default="", max_length=80)
    reason: str = Field(max_length=500)
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class TicketFollower(SQLModel, table=True):
    """Someone copied on a ticket (the Cc of its first e-mail): they get its public replies."""

    __tablename__ = "ticket_follower"
    ticket_id: int = Field(foreign_key="ticket.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class Mailbox(SQLModel, table=True):
    """An IMAP mailbox a manager connected: polled by the scheduler; its new tickets go to `team`.
    The password is kept for the poller and never shown again (services/mail/mailboxes.py)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    host: str = Field(max_length=255)
    port: int = Field(default=993)
    security: str = Field(default="ssl", max_length=10)  # ssl | starttls | none
    username: str = Field(max_length=255)
    # Encrypted at rest (ticketapp/secret_box.py): the attribute is the clear text.
    password: str = Field(default="", sa_column=Column(EncryptedText(1024), nullable=False))
    folder: str = Field(default="INBOX", max_length=255)
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    is_active: bool = Field(default=True)
    last_polled_at: datetime | None = None
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
