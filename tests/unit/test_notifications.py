"""Notifications and the e-mail outbox, against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
import socket
import threading
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from ticketapp import i18n
from ticketapp.config import SmtpSettings
from ticketapp.models import (
    Notification,
    OutboxMessage,
    OutboxStatus,
    TicketStatus,
    User,
    utcnow,
)
from ticketapp.services import notifications, tickets
from ticketapp.services.mail import tokens
from ticketapp.services.notifications import deliver_outbox, notify

from .factories import make_ticket, people


class Inbox:
    """An aiosmtpd handler: refuses with 451 while `refuse` is set, else keeps the message."""

    def __init__(self) -> None:
        self.refuse = False
        self.messages: list = []
        self.refused = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        with self.lock:
            if self.refuse:
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A local SMTP server that can go down and come back on the same port."""

    def __init__(self, inbox: Inbox, port: int) -> None:
        self.inbox, self.port = inbox, port
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    inbox = Inbox()
    server = Server(inbox, _free_port())
    server.start()
    yield inbox, server, SmtpSettings(host="127.0.0.1", port=server.port, tls="none")
    server.stop()


@pytest.fixture
def mail_env(monkeypatch, smtp):
    _, _, cfg = smtp
    monkeypatch.setenv("TICKETAPP_SMTP_HOST", cfg.host)
    monkeypatch.setenv("TICKETAPP_SMTP_PORT", str(cfg.port))
    monkeypatch.setenv("TICKETAPP_SMTP_TLS", "none")
    monkeypatch.setenv("TICKETAPP_BASE_URL", "https://help.example.com")
    return smtp


def _outbox(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    rows = list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())
    session.commit()  # end the read transaction: SQLite writers wait for it
    return rows


def test_received_mail_goes_out_once_with_ticket_number(engine, session, mail_env):
    inbox, _, cfg = mail_env
    p = people(session)
    ref = make_ticket(session, p.requester, title="Laptop will not boot")
    session.commit()
    assert deliver_outbox(engine, utcnow(), cfg) == 1
    # The ticket's signed reply tag (services/mail/tokens.py) opens the subject.
    tag = tokens.subject_tag(ref.number)
    assert inbox.subjects() == [f"{tag} We received your request: Laptop will not boot"]
    body = inbox.messages[0].get_payload(decode=True).decode()
    assert f"#{ref.number}" in body and f"https://help.example.com/tickets/{ref.number}" in body
    assert inbox.messages[0]["To"] == p.requester.email
    # Running again sends nothing more.
    assert deliver_outbox(engine, utcnow() + timedelta(hours=2), cfg) == 0
    assert len(inbox.messages) == 1
    [msg] = _outbox(session)
    assert msg.status == OutboxStatus.SENT and msg.attempts == 1 and msg.sent_at is not None


def test_refused_then_accepted_with_backoff(engine, session, mail_env):
    inbox, _, cfg = mail_env
    p = people(session)
    make_ticket(session, p.requester)
    session.commit()
    now = utcnow()
    inbox.refuse = True
    assert deliver_outbox(engine, now, cfg) == 0
    [msg] = _outbox(session)
    assert msg.status == OutboxStatus.PENDING and msg.attempts == 1
    assert "451" in msg.last_error
    assert msg.next_attempt_at == now + timedelta(seconds=30)
    # Not due yet: nothing is attempted.
    assert deliver_outbox(engine, now + timedelta(seconds=10), cfg) == 0
    assert inbox.refused == 1
    # Second refusal doubles the delay.
    assert deliver_outbox(engine, now + timedelta(seconds=30), cfg) == 0
    [msg] = _outbox(session)
    assert msg.attempts == 2
    assert msg.next_attempt_at == now + timedelta(seconds=30) + timedelta(seconds=60)
    inbox.refuse = False
    assert deliver_outbox(engine, now + timedelta(seconds=90), cfg) == 1
    assert len(inbox.messages) == 1
    [msg] = _outbox(session)
    assert msg.status == OutboxStatus.SENT and msg.attempts == 3


def test_server_down_loses_nothing(engine, session, mail_env):
    inbox, controller, cfg = mail_env
    p = people(session)
    for i in range(3):
        make_ticket(session, p.requester, title=f"Outage ticket {i}")
    session.commit()
    controller.stop()
    now = utcnow()
    assert deliver_outbox(engine, now, cfg) == 0
    rows = _outbox(session)
    assert [r.status for r in rows] == ["pending"] * 3
    assert rows[0].attempts == 1 and rows[0].last_error
    # The server comes back: everything goes, exactly once each.
    controller.start()
    assert deliver_outbox(engine, now + timedelta(minutes=5), cfg) == 3
    assert deliver_outbox(engine, now + timedelta(minutes=50), cfg) == 0
    assert len(inbox.messages) == 3
    assert len(set(inbox.subjects())) == 3


def test_two_workers_never_send_twice(engine, session, mail_env):
    inbox, _, cfg = mail_env
    p = people(session)
    for i in range(12):
        make_ticket(session, p.requester, title=f"Parallel {i}")
    session.commit()
    now = utcnow()
    results: list[int] = []

    def run() -> None:
        results.append(deliver_outbox(engine, now, cfg))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 12
    assert len(inbox.messages) == 12
    assert len({m["Message-ID"] for m in inbox.messages}) == 12


def test_gives_up_after_max_attempts_and_keeps_the_message(engine, session, mail_env):
    inbox, _, cfg = mail_env
    p = people(session)
    make_ticket(session, p.requester)
    session.commit()
    inbox.refuse = True
    now = utcnow()
    for _ in range(notifications.MAX_ATTEMPTS):
        deliver_outbox(engine, now, cfg)
        now += timedelta(hours=2)
    [msg] = _outbox(session)
    assert msg.status == OutboxStatus.FAILED and msg.attempts == notifications.MAX_ATTEMPTS
    assert inbox.refused == notifications.MAX_ATTEMPTS


def test_preferences_respected(engine, session, mail_env):
    p = people(session)
    notifications.set_preference(session, p.requester, "received", in_app=False, email=False)
    notifications.set_preference(session, p.requester, "public_reply", in_app=True, email=False)
    notifications.set_preference(session, p.requester, "resolved", in_app=False, email=True)
    ref = make_ticket(session, p.requester)
    tickets.add_comment(session, p.agent, ref.id, "We are on it.")
    tickets.update_fields(session, p.agent, ref.id, None, status=TicketStatus.RESOLVED)
    session.commit()
    kinds = [
        n.kind
        for n in session.exec(
            select(Notification).where(Notification.user_id == p.requester.id)
        ).all()
    ]
    assert kinds == ["public_reply"]
    mails = [m for m in _outbox(session) if m.to_addr == p.requester.email]
    assert len(mails) == 1 and mails[0].subject.startswith(f"[#{ref.number}-")
    # The resolved e-mail carries the rating link (TICKETAPP_BASE_URL).
    assert f"https://help.example.com/tickets/{ref.number}#rate" in mails[0].body
    prefs = {x.kind: (x.in_app, x.email) for x in notifications.preferences(session, p.requester)}
    assert prefs["received"] == (False, False) and prefs["status_changed"] == (True, True)
    assert "assigned" not in prefs  # staff-only kinds are not offered to requesters


def test_no_smtp_means_in_app_only(engine, session, monkeypatch):
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)
    p = people(session)
    make_ticket(session, p.requester)
    session.commit()
    assert not notifications.email_enabled()
    assert _outbox(session) == []
    assert notifications.unread_count(session, p.requester) == 1
    assert deliver_outbox(engine, utcnow()) == 0


def test_notify_contract_and_bell(engine, session, mail_env):
    """The function the SLA scheduler calls; the bell's list, count and mark-as-read."""
    p = people(session)
    ref = make_ticket(session, p.requester)
    notify(
        session,
        user_id=p.agent.id,
        kind="sla_breach",
        ticket_id=ref.id,
        subject=f"#{ref.number} breached its resolution target",
        body="Resolution was due an hour ago.",
    )
    notify(session, user_id=p.agent.id, kind="sla_warning", ticket_id=None, subject="Soon", body="")
    session.commit()
    items = notifications.list_notifications(session, p.agent)
    assert [i.kind for i in items] == ["sla_warning", "sla_breach"]
    assert items[1].ticket_number == ref.number
    assert notifications.unread_count(session, p.agent) == 2
    # Marking someone else's notification read does nothing.
    assert notifications.mark_read(session, p.requester, items[0].id) == 0
    assert notifications.mark_read(session, p.agent, items[0].id) == 1
    assert notifications.unread_count(session, p.agent) == 1
    assert notifications.mark_read(session, p.agent) == 1
    assert notifications.unread_count(session, p.agent) == 0
    assert {m.to_addr for m in _outbox(session)} == {p.requester.email, p.agent.email}


def test_hooks_reach_the_right_people(engine, session, mail_env):
    p = people(session)
    ref = make_ticket(session, p.requester)
    tickets.update_fields(session, p.manager, ref.id, None, assignee_id=p.agent.id)
    tickets.add_comment(session, p.requester, ref.id, "Any news?")
    tickets.add_comment(session, p.agent, ref.id, "Internal thought", internal=True)
    tickets.add_comment(session, p.agent, ref.id, "Try turning it off and on.")
    tickets.update_fields(session, p.agent, ref.id, None, status=TicketStatus.IN_PROGRESS)
    session.commit()

    def kinds(user_id: int) -> list[str]:
        rows = session.exec(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        ).all()
        return [n.kind for n in rows]

    assert kinds(p.requester.id) == ["received", "public_reply", "status_changed"]
    assert kinds(p.agent.id) == ["assigned", "requester_reply"]
    assert kinds(p.manager.id) == []


def test_recent_recipients_for_live_bells(engine, session, monkeypatch):
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)
    p = people(session)
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.other)
    tickets.update_fields(session, p.manager, b.id, None, assignee_id=p.agent.id)
    session.commit()
    since = utcnow() - timedelta(minutes=2)
    assert notifications.recent_recipients(session, (a.id,), since) == [p.requester.id]
    assert sorted(notifications.recent_recipients(session, (b.id,), since)) == sorted(
        [p.other.id, p.agent.id]
    )
    assert sorted(notifications.recent_recipients(session, (), since)) == sorted(
        [p.requester.id, p.other.id, p.agent.id]
    )
    assert notifications.recent_recipients(session, (), utcnow() + timedelta(seconds=5)) == []


def _subject(message) -> str:
    # A non-ASCII subject travels encoded (RFC 2047) and folded: read it as a mail client would.
    unfolded = re.sub(r"\r?\n[ \t]+", " ", message["Subject"])
    return str(make_header(decode_header(unfolded)))


def _speaks(session: Session, actor, locale: str) -> None:
    user = session.get(User, actor.id)
    user.locale = locale
    session.add(user)
    session.flush()


def test_each_mail_is_in_its_recipients_language(engine, session, mail_env, monkeypatch):
    """An agent working in English files tickets for a Russian- and a Polish-speaking
    requester: each "we received your request" e-mail is in its recipient's language, with the
    ticket number and the link kept; the bell shows each reader their own language."""
    inbox, _, cfg = mail_env
    p = people(session)
    _speaks(session, p.requester, "ru")
    _speaks(session, p.other, "pl")
    i18n.use("en")  # the acting agent's event
    ru = make_ticket(session, p.agent, title="Не печатает принтер", requester_id=p.requester.id)
    pl = make_ticket(session, p.agent, title="Drukarka nie drukuje", requester_id=p.other.id)
    session.commit()
    assert i18n.current() == "en"
    assert deliver_outbox(engine, utcnow(), cfg) == 2
    mails = {str(m["To"]): m for m in inbox.messages}
    ru_mail, pl_mail = mails[p.requester.email], mails[p.other.email]
    assert (
        _subject(ru_mail)
        == f"{tokens.subject_tag(ru.number)} Мы получили ваш запрос: Не печатает принтер"
    )
    body = ru_mail.get_payload(decode=True).decode()
    assert f"Спасибо. Вашему запросу присвоен номер #{ru.number}." in body
    assert f"https://help.example.com/tickets/{ru.number}" in body
    assert (
        _subject(pl_mail)
        == f"{tokens.subject_tag(pl.number)} Otrzymaliśmy Twoje zgłoszenie: Drukarka nie drukuje"
    )
    assert (
        f"https://help.example.com/tickets/{pl.number}" in pl_mail.get_payload(decode=True).decode()
    )
    # The bell keeps the text language-neutral: each reader reads it in the page's language.
    with i18n.using("ru"):
        (item,) = notifications.list_notifications(session, p.requester)
    assert item.subject.startswith(f"[#{ru.number}] Мы получили ваш запрос")
    with i18n.using("en"):
        (item,) = notifications.list_notifications(session, p.requester)
    assert item.subject == f"[#{ru.number}] We received your request: Не печатает принтер"


def test_without_a_choice_the_team_language_is_used(engine, session, mail_env, monkeypatch):
    inbox, _, cfg = mail_env
    monkeypatch.setenv("TICKETAPP_LANGUAGE", "lv")
    p = people(session)
    ref = make_ticket(session, p.requester, title="Printeris")
    session.commit()
    deliver_outbox(engine, utcnow(), cfg)
    subjects = [_subject(m) for m in inbox.messages if m["To"] == p.requester.email]
    assert subjects == [
        f"{tokens.subject_tag(ref.number)} Mēs saņēmām jūsu pieprasījumu: Printeris"
    ]


def test_a_long_title_keeps_the_stored_subject_whole(session):
    p = people(session)
    ref = make_ticket(session, p.requester, title="x" * 200)
    session.commit()
    (item,) = notifications.list_notifications(session, p.requester)
    assert item.subject.startswith(f"[#{ref.number}] We received your request: xxx")
    assert item.subject.endswith("…") and len(item.subject) <= 200
