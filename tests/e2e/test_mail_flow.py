"""E-mail both ways through a real IMAP server and a real SMTP sink: a manager adds a mailbox
(a private Dovecot), a message dropped into it appears on an open board without a reload, the
agent replies, the reply e-mail arrives at the SMTP sink with the ticket's signed Reply-To, and
the requester's answer (dropped into the mailbox) threads back onto the open ticket page."""

from __future__ import annotations

import imaplib
from email.message import EmailMessage

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import assert_accessible, sign_in
from tests.e2e.test_routing import _wait_mail
from tests.unit.test_mail_imap import PASSWORD, USER, _empty_inbox, dovecot  # noqa: F401
from ticketapp.db import make_engine
from ticketapp.models import Ticket

MANAGER = "manager@example.com"
AGENT = "agent@example.com"
SUBJECT = "Scanner in room 12 jams every page"


def _drop(port: int, raw: bytes) -> None:
    conn = imaplib.IMAP4("127.0.0.1", port)
    conn.login(USER, PASSWORD)
    conn.append("INBOX", None, None, raw)
    conn.logout()


def _first_mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Olga Nowak <olga@example.net>"
    msg["To"] = "support@help.example.com"
    msg["Subject"] = SUBJECT
    msg["Message-ID"] = "<scanner-1@example.net>"
    msg.set_content("The scanner jams on every page since Monday.")
    return msg.as_bytes()


def _answer(to_mail) -> bytes:
    def h(name: str) -> str:
        return " ".join(str(to_mail[name]).split())

    msg = EmailMessage()
    msg["From"] = "olga@example.net"
    msg["To"] = h("Reply-To")
    msg["Subject"] = "Re: " + h("Subject")
    msg["Message-ID"] = "<scanner-2@example.net>"
    msg["In-Reply-To"] = h("Message-ID")
    msg.set_content("Cleaning the rollers fixed it, thanks!\n\nOn Monday Support wrote:\n> Clean")
    return msg.as_bytes()


def _add_mailbox(page: Page, port: int) -> None:
    page.goto("/admin/channels")
    page.get_by_role("button", name="Add mailbox").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("Dovecot support")
    dialog.get_by_label("IMAP server").fill("127.0.0.1")
    dialog.get_by_label("Port").fill(str(port))
    dialog.get_by_label("Security").click()
    page.get_by_role("option", name="None (local servers only)").click()
    dialog.get_by_label("User name").fill(USER)
    dialog.get_by_label("Password").fill(PASSWORD)
    dialog.get_by_role("button", name="Save mailbox").click()
    expect(page.get_by_text("Mailbox saved.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Dovecot support")
    for _ in range(20):  # the page shows the state as of its load: look again after a tick
        if "Polled" in row.inner_text():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(row).to_contain_text("Polled")


def test_mail_round_trip(page: Page, new_page, app_server, smtp_sink, dovecot):  # noqa: F811
    sink, _ = smtp_sink
    _empty_inbox(dovecot)
    sign_in(page, MANAGER, expect_path="/analytics")
    _add_mailbox(page, dovecot)

    agent = new_page()
    sign_in(agent, AGENT, expect_path="/board")
    _drop(dovecot, _first_mail())
    card = agent.get_by_text(SUBJECT)
    expect(card).to_be_visible(timeout=20_000)  # the scheduler's poll, pushed to the board
    assert_accessible(agent, "mail-flow-board")
    with Session(make_engine(app_server.database_url)) as db:
        number = db.exec(select(Ticket.number).where(Ticket.title == SUBJECT)).one()
    agent.goto(f"/tickets/{number}")
    agent.get_by_role("radio", name="Reply").click()
    agent.get_by_label("Your reply").fill("Please clean the rollers with a dry cloth.")
    agent.get_by_role("button", name="Send reply").click()

    mail = _wait_mail(app_server, sink, "olga@example.net", "New reply")
    assert f"#{number}-" in mail["Subject"]
    assert "Please clean the rollers with a dry cloth." in mail.get_payload()
    assert f"+t{number}-" in mail["Reply-To"]
    assert mail["In-Reply-To"] and mail["References"]

    _drop(dovecot, _answer(mail))
    expect(agent.get_by_text("Cleaning the rollers fixed it, thanks!")).to_be_visible(
        timeout=20_000
    )
    expect(agent.get_by_text("On Monday Support wrote:")).to_have_count(0)  # quote cut
    assert_accessible(agent, "mail-flow-ticket")
