"""E-mail intake: a corpus of real-world messages (tests/data/mail/), each asserting the ticket
that results; threading by signed token only; loops, duplicates and the quarantine."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from tests.unit.factories import people
from ticketapp import i18n
from ticketapp.models import (
    Attachment,
    Comment,
    MailMessage,
    MailQuarantine,
    Ticket,
    TicketFollower,
    User,
)
from ticketapp.services import attachments
from ticketapp.services.mail import intake as mail
from ticketapp.services.mail import tokens
from ticketapp.services.mail.body import html_to_markdown, strip_reply

DATA = Path(__file__).parent.parent / "data" / "mail"


@pytest.fixture(autouse=True)
def _files(tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    monkeypatch.setenv("TICKETAPP_SMTP_FROM", "support@help.example.com")
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)


def eml(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def feed(engine, session):
    """Ingest one message in its own transaction (the test's session lets go of SQLite first)."""

    def run(raw: bytes, mailbox: str = "") -> mail.Outcome:
        session.commit()
        return mail.ingest_and_commit(engine, raw, mailbox)

    return run


def ticket(session, number: int) -> Ticket:
    session.expire_all()
    return session.exec(select(Ticket).where(Ticket.number == number)).one()


def files_of(session, ticket_id: int) -> list[str]:
    rows = session.exec(select(Attachment.filename).where(Attachment.ticket_id == ticket_id))
    return sorted(rows.all())


def test_plain_message_files_a_ticket_for_a_new_requester(feed, session):
    out = feed(eml("plain.eml"))
    assert out.kind == mail.CREATED
    t = ticket(session, out.ticket_number)
    assert t.title == "Printer on 3rd floor prints blank pages"
    assert "prints only blank pages" in t.description
    assert t.channel == "email"
    user = session.get(User, t.requester_id)
    assert (user.email, user.name, user.role) == (
        "jan.kowalski@example.org",
        "Jan Kowalski",
        "requester",
    )
    assert user.password_hash == ""  # no password until they set one


def test_existing_user_is_the_requester(feed, session):
    p = people(session)
    raw = eml("plain.eml").replace(b"Jan.Kowalski@example.org", p.requester.email.encode())
    session.commit()
    out = feed(raw)
    assert ticket(session, out.ticket_number).requester_id == p.requester.id


def test_multipart_with_attachments_and_cc_followers(feed, session):
    out = feed(eml("multipart_attachment.eml"))
    t = ticket(session, out.ticket_number)
    assert t.description == "The VPN drops every 10 minutes. Log attached."
    assert files_of(session, t.id) == ["vpn.log"]  # setup.exe refused by the upload rules
    assert "setup.exe" in out.reason
    followers = session.exec(
        select(User.email).join(TicketFollower).where(TicketFollower.ticket_id == t.id)
    ).all()
    assert followers == ["peteris@example.lv"]  # the support address itself is not a follower


def test_html_only_is_sanitised_to_markdown(feed, session):
    out = feed(eml("html_only.eml"))
    body = ticket(session, out.ticket_number).description
    assert "**invoice 2026-118**" in body
    assert "[the invoice](https://shop.example.com/inv/118)" in body
    assert "- line one" in body and "- line two" in body
    for bad in ("script", "alert", "javascript", "track.example.com", "steal", "color"):
        assert bad not in body


def test_forwarded_message_keeps_the_forwarded_text(feed, session):
    out = feed(eml("forwarded.eml"))
    t = ticket(session, out.ticket_number)
    assert t.title == "Fwd: Contract renewal"
    assert "Please handle this one." in t.description
    assert "Your contract expires on 31 December." in t.description


def test_encoded_subjects_cyrillic_and_polish(feed, session):
    ru = ticket(session, feed(eml("cyrillic.eml")).ticket_number)
    assert ru.title == "Не работает почта"
    assert "Не могу прочитать письма." in ru.description  # koi8-r body
    assert session.get(User, ru.requester_id).name == "Иван Петров"
    pl = ticket(session, feed(eml("polish.eml")).ticket_number)
    assert pl.title == "Nie działa drukarka w pokoju żołtym"
    assert "Dzień dobry" in pl.description
    assert session.get(User, pl.requester_id).name == "Zofia Wiśniewska"


def test_inline_image_is_stored_like_an_upload(feed, session):
    out = feed(eml("inline_image.eml"))
    t = ticket(session, out.ticket_number)
    assert "The error looks like this:" in t.description
    assert files_of(session, t.id) == ["shot1.png"]
    row = session.exec(select(Attachment).where(Attachment.ticket_id == t.id)).one()
    assert row.content_type == "image/png" and row.thumbnail_name


def test_autoreply_and_bounce_are_dropped_without_a_ticket(feed, session):
    auto = feed(eml("autoreply.eml"))
    bounce = feed(eml("bounce.eml"))
    assert auto.kind == bounce.kind == mail.DROPPED
    assert "Automatic" in i18n.shown(auto.reason)
    assert "Bounce" in i18n.shown(bounce.reason)
    assert session.exec(select(Ticket)).all() == []


def test_malformed_message_is_quarantined_and_does_not_block_the_next(feed, session):
    out = feed(eml("malformed.eml"), "support")
    assert out.kind == mail.QUARANTINED
    row = session.exec(select(MailQuarantine)).one()
    assert row.raw == eml("malformed.eml") and row.mailbox == "support" and row.reason
    assert feed(eml("plain.eml")).kind == mail.CREATED


def test_same_message_id_is_stored_once(feed, session):
    first = feed(eml("plain.eml"))
    again = feed(eml("plain.eml"))
    assert first.kind == mail.CREATED
    assert (again.kind, i18n.shown(again.reason)) == (
        mail.DROPPED,
        "Already received (the same Message-ID)",
    )
    assert len(session.exec(select(Ticket)).all()) == 1


def test_rate_limit_per_address(feed, session):
    base = eml("plain.eml")
    kinds = [
        feed(base.replace(b"<2026120709", f"<{i}-2026120709".encode())).kind
        for i in range(mail.RATE_LIMIT + 2)
    ]
    assert kinds.count(mail.CREATED) == mail.RATE_LIMIT
    assert kinds[-1] == mail.DROPPED


def _reply(number_tag: str, sender: bytes, to: bytes = b"support@help.example.com") -> bytes:
    return (
        b"From: "
        + sender
        + b"\r\nTo: "
        + to
        + b"\r\nSubject: Re: "
        + number_tag.encode()
        + b" New reply\r\nMessage-ID: <reply-"
        + number_tag.encode().strip(b"[]#")
        + sender.strip(b"<>")
        + b"@x>\r\nIn-Reply-To: <anything@ticketapp>\r\n"
        + b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + b"Still broken after the restart.\r\n\r\nOn Mon, 7 Dec 2026 Alice wrote:\r\n"
        + b"> Please restart it.\r\n"
    )


def test_reply_with_signed_subject_threads_into_the_ticket(feed, session):
    number = feed(eml("plain.eml")).ticket_number
    out = feed(_reply(tokens.subject_tag(number), b"jan.kowalski@example.org"))
    assert (out.kind, out.ticket_number) == (mail.REPLIED, number)
    t = ticket(session, number)
    bodies = session.exec(select(Comment.body).where(Comment.ticket_id == t.id)).all()
    assert bodies == ["Still broken after the restart."]  # quoted history cut


def test_reply_with_signed_reply_to_address_threads(feed, session):
    number = feed(eml("plain.eml")).ticket_number
    to = tokens.reply_address(number, "support@help.example.com").encode()
    out = feed(_reply("", b"jan.kowalski@example.org", to))
    assert (out.kind, out.ticket_number) == (mail.REPLIED, number)


def test_unsigned_or_forged_number_never_threads(feed, session):
    number = feed(eml("plain.eml")).ticket_number
    bare = feed(_reply(f"[#{number}]", b"jan.kowalski@example.org"))
    forged = feed(_reply(f"[#{number}-0123456789ab]", b"jan.kowalski@example.org"))
    assert bare.kind == forged.kind == mail.CREATED
    assert bare.ticket_number != number and forged.ticket_number != number


def test_reply_from_a_stranger_becomes_a_new_ticket(feed, session):
    number = feed(eml("plain.eml")).ticket_number
    out = feed(_reply(tokens.subject_tag(number), b"mallory@evil.example.com"))
    assert out.kind == mail.CREATED and out.ticket_number != number
    stranger = ticket(session, out.ticket_number)
    assert session.get(User, stranger.requester_id).email == "mallory@evil.example.com"
    assert session.exec(select(Comment)).all() == []


def test_autoreply_to_a_ticket_is_dropped_and_reopens_nothing(feed, session):
    number = feed(eml("plain.eml")).ticket_number
    raw = eml("autoreply.eml").replace(
        b"Subject: Out of office:", b"Subject: " + tokens.subject_tag(number).encode()
    )
    out = feed(raw)
    assert out.kind == mail.DROPPED and "Auto-Submitted" in out.reason
    assert len(session.exec(select(Ticket)).all()) == 1
    assert session.exec(select(Comment)).all() == []


def test_message_log_records_outcomes(feed, session):
    feed(eml("plain.eml"))
    feed(eml("bounce.eml"))
    rows = session.exec(select(MailMessage.outcome, MailMessage.direction)).all()
    assert sorted(rows) == [("created", "in"), ("dropped", "in")]


def test_html_to_markdown_and_strip_reply_units():
    assert html_to_markdown("<p>a <em>b</em></p><img src='x'>") == "a *b*"
    assert html_to_markdown("") == ""
    text = "Thanks!\n\n-- \nJan\nACME"
    assert strip_reply(text) == "Thanks!"
    assert strip_reply("Ok\n\nW dniu 7.12.2026 Jan napisał:\n> x") == "Ok"
    assert strip_reply("Да\n\n7 декабря Иван пишет:\n> x") == "Да"
