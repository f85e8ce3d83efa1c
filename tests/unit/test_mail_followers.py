"""Followers (the Cc of a ticket's first e-mail): their e-mail replies thread into the ticket as
public replies; signed in, they read and answer the ticket they follow, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from tests.unit.factories import people
from ticketapp import i18n
from ticketapp.models import Comment, MailQuarantine, Ticket, TicketStatus, User
from ticketapp.services import attachments, tickets, visibility
from ticketapp.services.actor import Actor
from ticketapp.services.errors import NotFound
from ticketapp.services.mail import intake as mail
from ticketapp.services.mail import mailboxes, tokens

DATA = Path(__file__).parent.parent / "data" / "mail"


@pytest.fixture(autouse=True)
def _files(tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    monkeypatch.setenv("TICKETAPP_SMTP_FROM", "support@help.example.com")
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)


@pytest.fixture
def feed(engine, session):
    def run(raw: bytes) -> mail.Outcome:
        session.commit()
        return mail.ingest_and_commit(engine, raw)

    return run


def reply(number: int, sender: str, text: str = "Same here since Monday.") -> bytes:
    return (
        f"From: {sender}\r\nTo: support@help.example.com\r\n"
        f"Subject: Re: {tokens.subject_tag(number)} VPN drops\r\n"
        f"Message-ID: <{sender}-{number}@x>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{text}\r\n\r\nOn Mon, 7 Dec 2026 Anna wrote:\r\n> The VPN drops.\r\n"
    ).encode()


def user(session, email: str) -> Actor:
    return Actor.of(session.exec(select(User).where(User.email == email)).one())


def test_a_followers_reply_threads_as_their_public_reply(feed, session):
    number = feed((DATA / "multipart_attachment.eml").read_bytes()).ticket_number
    out = feed(reply(number, "peteris@example.lv"))
    assert (out.kind, out.ticket_number) == (mail.REPLIED, number)
    session.expire_all()
    ticket = session.exec(select(Ticket).where(Ticket.number == number)).one()
    rows = session.exec(select(Comment).where(Comment.ticket_id == ticket.id)).all()
    peteris = user(session, "peteris@example.lv")
    assert [(c.author_id, c.body, c.is_internal) for c in rows] == [
        (peteris.id, "Same here since Monday.", False)
    ]
    assert len(session.exec(select(Ticket)).all()) == 1


def test_a_strangers_reply_still_opens_a_new_ticket(feed, session):
    number = feed((DATA / "multipart_attachment.eml").read_bytes()).ticket_number
    out = feed(reply(number, "someone.else@example.lv"))
    assert out.kind == mail.CREATED and out.ticket_number != number


def test_a_follower_reads_and_answers_only_the_ticket_they_follow(feed, session):
    followed = feed((DATA / "multipart_attachment.eml").read_bytes())
    other = feed((DATA / "plain.eml").read_bytes())
    session.expire_all()
    peteris = user(session, "peteris@example.lv")
    seen = tickets.get_ticket_view(session, peteris, followed.ticket_number)
    assert seen.number == followed.ticket_number and seen.title == "VPN log attached"
    with pytest.raises(NotFound):
        tickets.get_ticket_view(session, peteris, other.ticket_number)
    rows, total = tickets.list_tickets(session, peteris)
    assert total == 1 and [r.number for r in rows] == [followed.ticket_number]
    assert visibility.ticket_id_for_number(session, peteris, followed.ticket_number)
    # Their answer on a ticket waiting for the requester's side reopens it, like the requester's.
    ticket = session.get(Ticket, followed.ticket_id)
    ticket.status = TicketStatus.WAITING
    session.add(ticket)
    session.commit()
    tickets.add_comment(session, peteris, followed.ticket_id, "Still failing here.")
    session.commit()
    assert session.get(Ticket, followed.ticket_id).status == TicketStatus.OPEN


def test_held_for_review_when_configured_and_retry_files_it_as_new(feed, session, monkeypatch):
    monkeypatch.setenv("TICKETAPP_MAIL_HOLD_STRANGER_REPLIES", "1")
    number = feed((DATA / "multipart_attachment.eml").read_bytes()).ticket_number
    assert feed(reply(number, "peteris@example.lv")).kind == mail.REPLIED  # a follower: threads
    out = feed(reply(number, "someone.else@example.lv"))
    assert out.kind == mail.QUARANTINED and out.ticket_number is None
    assert "held for review" in i18n.shown(out.reason)
    assert len(session.exec(select(Ticket)).all()) == 1
    [held] = session.exec(select(MailQuarantine)).all()
    assert "someone.else@example.lv" in i18n.shown(held.reason)
    manager = people(session).manager
    session.commit()
    again = mailboxes.retry(session, manager, held.id)
    session.commit()
    assert again.kind == mail.CREATED and again.ticket_number != number
    assert session.exec(select(MailQuarantine)).all() == []
