"""The optional SMTP listener: a message sent to it over SMTP becomes a ticket; a duplicate is
accepted and stored once; the address comes from TICKETAPP_SMTP_LISTEN."""

from __future__ import annotations

import smtplib
from pathlib import Path

import pytest
from sqlmodel import select

from ticketapp.channels import smtp_listener
from ticketapp.models import Ticket
from ticketapp.services import attachments

from .test_notifications import _free_port

DATA = Path(__file__).parent.parent / "data" / "mail"


@pytest.fixture(autouse=True)
def _env(tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)


def test_listen_address(monkeypatch):
    monkeypatch.delenv("TICKETAPP_SMTP_LISTEN", raising=False)
    assert smtp_listener.listen_address() is None
    monkeypatch.setenv("TICKETAPP_SMTP_LISTEN", "0.0.0.0:2525")
    assert smtp_listener.listen_address() == ("0.0.0.0", 2525)
    monkeypatch.setenv("TICKETAPP_SMTP_LISTEN", "nonsense")
    assert smtp_listener.listen_address() is None


def test_mail_sent_to_the_listener_becomes_a_ticket(engine, session):
    port = _free_port()
    seen: list[int] = []
    controller = smtp_listener.start(engine, "127.0.0.1", port, seen.append)
    assert controller is not None
    assert smtp_listener.start(engine, "127.0.0.1", port) is None  # taken: another worker has it
    try:
        raw = (DATA / "plain.eml").read_bytes()
        for _ in range(2):
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.sendmail("jan.kowalski@example.org", ["support@help.example.com"], raw)
    finally:
        controller.stop()
    session.expire_all()
    rows = session.exec(select(Ticket)).all()
    assert [t.title for t in rows] == ["Printer on 3rd floor prints blank pages"]
    assert seen == [rows[0].id]
