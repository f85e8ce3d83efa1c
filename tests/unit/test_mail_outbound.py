"""E-mail both ways, end to end against a real SMTP sink (aiosmtpd): a mailed request gets its
"received" mail, an agent's public reply reaches the requester and the Cc'd follower with the
ticket number, the reply text and threading headers, and the requester's answer (sent to the
signed Reply-To) threads back into the ticket."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

import pytest
from sqlmodel import select

from ticketapp.models import Comment, Role, Ticket
from ticketapp.services import attachments, tickets
from ticketapp.services.mail import intake, tokens
from ticketapp.services.notifications import deliver_outbox

from .factories import make_user
from .test_notifications import mail_env, smtp  # noqa: F401 (fixtures: the SMTP sink)

DATA = Path(__file__).parent.parent / "data" / "mail"
SUPPORT = "support@help.example.com"


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    monkeypatch.setenv("TICKETAPP_SMTP_FROM", SUPPORT)


def _deliver(engine, session, cfg) -> None:
    session.commit()
    deliver_outbox(engine, cfg=cfg)


def _answer(to_mail, sender: str, text: str) -> bytes:
    """What a mail client sends when its user presses Reply on `to_mail`."""

    def h(name: str) -> str:
        return " ".join(str(to_mail[name]).split())

    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = h("Reply-To")
    reply["Subject"] = "Re: " + h("Subject")
    reply["Message-ID"] = "<answer-1@example.lv>"
    reply["In-Reply-To"] = h("Message-ID")
    reply["References"] = h("Message-ID")
    quoted = "\n".join("> " + line for line in to_mail.get_payload().splitlines())
    reply.set_content(f"{text}\n\nOn Mon, 7 Dec 2026, Support wrote:\n{quoted}\n")
    return reply.as_bytes()


def test_reply_by_mail_both_ways(engine, session, mail_env):  # noqa: F811
    inbox, _, cfg = mail_env
    session.commit()
    created = intake.ingest_and_commit(engine, (DATA / "multipart_attachment.eml").read_bytes())
    number = created.ticket_number
    _deliver(engine, session, cfg)
    received = inbox.messages[-1]
    assert received["To"] == "anna@example.lv"
    assert f"[#{tokens.token(number)}]" in received["Subject"]
    assert received["Reply-To"] == tokens.reply_address(number, SUPPORT)
    assert received["In-Reply-To"] == "<CAF=vpn-1@mail.example.lv>"
    assert received["Auto-Submitted"] == "auto-generated"

    agent = make_user(session, Role.AGENT)
    ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
    tickets.add_comment(session, agent, ticket.id, "Please update the VPN client to 5.2.")
    _deliver(engine, session, cfg)
    replies = [m for m in inbox.messages if "New reply" in str(m["Subject"])]
    assert sorted(str(m["To"]) for m in replies) == ["anna@example.lv", "peteris@example.lv"]
    to_anna = next(m for m in replies if m["To"] == "anna@example.lv")
    assert f"#{number}" in to_anna["Subject"]
    assert "Please update the VPN client to 5.2." in to_anna.get_payload()
    assert to_anna["In-Reply-To"] == received["Message-ID"]
    refs = str(to_anna["References"]).split()
    assert refs[0] == "<CAF=vpn-1@mail.example.lv>" and received["Message-ID"] in refs
    assert to_anna["Message-ID"] not in (received["Message-ID"], None)
    assert "Auto-Submitted" not in to_anna  # a person wrote it
    assert [a for _, a in getaddresses([to_anna["Reply-To"]])] == [
        tokens.reply_address(number, SUPPORT)
    ]

    answer = intake.ingest_and_commit(
        engine, _answer(to_anna, "Anna Berzina <anna@example.lv>", "Updated, works now.")
    )
    assert (answer.kind, answer.ticket_number) == (intake.REPLIED, number)
    session.expire_all()
    bodies = session.exec(
        select(Comment.body).where(Comment.ticket_id == ticket.id).order_by(Comment.id)
    ).all()
    assert bodies == ["Please update the VPN client to 5.2.", "Updated, works now."]


def test_a_reply_without_reply_to_still_threads_by_the_signed_subject(engine, session, mail_env):  # noqa: F811
    inbox, _, cfg = mail_env
    session.commit()
    number = intake.ingest_and_commit(engine, (DATA / "plain.eml").read_bytes()).ticket_number
    _deliver(engine, session, cfg)
    received = inbox.messages[-1]
    del received["Reply-To"]
    received["Reply-To"] = SUPPORT  # a client that answers the From address
    out = intake.ingest_and_commit(
        engine, _answer(received, "jan.kowalski@example.org", "Thanks, it printed.")
    )
    assert (out.kind, out.ticket_number) == (intake.REPLIED, number)
