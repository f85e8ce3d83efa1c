"""Managers' mail settings: mailbox validation (every wrong field at once), the write-only
password, manager-only access, and the quarantine (raw message, retry, discard)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from ticketapp.models import Mailbox, MailQuarantine, Ticket
from ticketapp.services import attachments, tickets
from ticketapp.services.errors import NotFound, PermissionDenied, ValidationError
from ticketapp.services.mail import intake, mailboxes

from .factories import make_team, people

DATA = Path(__file__).parent.parent / "data" / "mail"
GOOD = {
    "name": "Support",
    "host": "imap.example.com",
    "port": "993",
    "security": "ssl",
    "username": "support@example.com",
    "password": "s3cret",
    "folder": "",
    "team_id": "",
    "is_active": True,
}


@pytest.fixture(autouse=True)
def _files(tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)


def test_mailbox_errors_name_every_wrong_field(session):
    bad = {"name": "", "host": "imap example", "port": "70000", "security": "tls"}
    errors = mailboxes.mailbox_errors(session, bad, None)
    assert set(errors) == {"name", "host", "port", "security", "username", "password"}


def test_save_keeps_the_password_write_only(session):
    p = people(session)
    team = make_team(session)
    mid = mailboxes.save_mailbox(session, p.manager, None, {**GOOD, "team_id": str(team)})
    view = mailboxes.list_mailboxes(session, p.manager)[0]
    assert (view.name, view.folder, view.team_id, view.has_password) == (
        "Support",
        "INBOX",
        team,
        True,
    )
    assert not hasattr(view, "password")
    mailboxes.save_mailbox(session, p.manager, mid, {**GOOD, "password": "", "port": "143"})
    row = session.get(Mailbox, mid)
    assert (row.password, row.port) == ("s3cret", 143)  # empty keeps the stored password
    with pytest.raises(ValidationError) as err:
        mailboxes.save_mailbox(session, p.manager, None, GOOD)
    assert err.value.field == "name"  # the name is taken
    assert mailboxes.delete_mailbox(session, p.manager, mid) == "Support"
    assert mailboxes.list_mailboxes(session, p.manager) == []


def test_only_managers(session):
    p = people(session)
    for actor in (p.agent, p.requester):
        with pytest.raises(PermissionDenied):
            mailboxes.list_mailboxes(session, actor)
        with pytest.raises(PermissionDenied):
            mailboxes.list_quarantine(session, actor)


def test_quarantine_raw_retry_and_discard(session):
    p = people(session)
    broken = intake.ingest(session, b"\x00\x01 not a message", "support")
    assert broken.kind == intake.QUARANTINED
    fixable = (DATA / "plain.eml").read_bytes()
    mailboxes_row = MailQuarantine(mailbox="support", reason="was down", raw=fixable)
    session.add(mailboxes_row)
    session.flush()
    held = mailboxes.list_quarantine(session, p.manager)
    assert [h.reason for h in held][0] == "was down"
    assert mailboxes.quarantined_raw(session, p.manager, held[0].id) == fixable
    out = mailboxes.retry(session, p.manager, held[0].id)
    assert out.kind == intake.CREATED
    assert session.exec(select(Ticket)).one().number == out.ticket_number
    mailboxes.discard(session, p.manager, held[1].id)
    assert session.exec(select(MailQuarantine)).all() == []
    with pytest.raises(NotFound):
        mailboxes.discard(session, p.manager, held[1].id)


def test_channel_is_shown_and_filterable(session):
    p = people(session)
    out = intake.ingest(session, (DATA / "plain.eml").read_bytes())
    web = tickets.create_ticket(session, p.requester, title="From the portal", description="x")
    rows, total = tickets.list_tickets(session, p.agent, channel="email")
    assert total == 1 and rows[0].number == out.ticket_number
    rows, _ = tickets.list_tickets(session, p.agent, channel=["web"])
    assert [r.number for r in rows] == [web.number]
    with pytest.raises(ValidationError):
        tickets.list_tickets(session, p.agent, channel="fax")
    assert tickets.get_ticket_view(session, p.agent, out.ticket_number).channel == "email"
    assert tickets.get_ticket_view(session, p.agent, web.number).channel == "web"
