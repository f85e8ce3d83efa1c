"""The threading of the e-mails the app sends about a ticket: a Message-ID of its own, In-Reply-To
and References to the ticket's earlier mail, the signed Reply-To that brings an answer back to the
ticket, and the signed tag in the subject (services/mail/tokens.py)."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from ticketapp.config import smtp_settings
from ticketapp.models import MailMessage, Ticket
from ticketapp.services.mail import tokens

MAX_REFERENCES = 10
# session.info key: the MailMessage row of the message being taken in (services/mail/intake.py).
# A ticket it opens has no mail yet when its "received" notice is composed: the row is linked to
# the ticket here, so that notice answers the requester's message.
INCOMING = "ticketapp_mail_incoming"
# Kinds a person writes; the others are generated and say so (RFC 3834), so that well-behaved
# responders never answer them.
HUMAN_KINDS = frozenset({"public_reply"})


def signed_subject(subject: str, number: int) -> str:
    """`[#1234] ...` -> `[#1234-<mac>] ...` (the tag is added when the subject has none)."""
    plain = f"[#{number}]"
    if plain in subject:
        return subject.replace(plain, tokens.subject_tag(number), 1)
    return f"{tokens.subject_tag(number)} {subject}"


def thread_headers(session: Session, ticket: Ticket, kind: str, to_addr: str) -> dict[str, str]:
    """Headers of one e-mail about `ticket`; records its Message-ID in the ticket's thread."""
    assert ticket.id is not None
    incoming = session.info.get(INCOMING)
    if incoming is not None and incoming.ticket_id is None:
        incoming.ticket_id = ticket.id
        session.add(incoming)
        session.flush()
    sender = smtp_settings().sender
    domain = sender.partition("@")[2] or "ticketapp.invalid"
    message_id = f"<{kind}-{uuid.uuid4().hex}@{domain}>"
    earlier = session.exec(
        select(MailMessage.message_id)
        .where(MailMessage.ticket_id == ticket.id)
        .order_by(col(MailMessage.id).desc())
        .limit(MAX_REFERENCES)
    ).all()
    headers = {"Message-ID": message_id, "Reply-To": tokens.reply_address(ticket.number, sender)}
    if earlier:
        headers["In-Reply-To"] = earlier[0]
        headers["References"] = " ".join(reversed(earlier))
    if kind not in HUMAN_KINDS:
        headers["Auto-Submitted"] = "auto-generated"
    session.add(
        MailMessage(
            message_id=message_id,
            direction="out",
            outcome="sent",
            from_addr=to_addr[:254],  # for outgoing mail: the recipient
            ticket_id=ticket.id,
        )
    )
    return headers
