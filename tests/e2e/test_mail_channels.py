"""E-mail channel end to end: a manager adds a mailbox at /admin/channels (errors next to the
fields, the password never shown again), a message piped to `ingest-mail` becomes a ticket that
shows its channel and is found by the list's channel filter, and a broken message appears in the
quarantine, where the manager discards it after confirming."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT, assert_accessible, open_admin_page, path_re, sign_in

MANAGER = "manager@example.com"
DATA = Path(__file__).parent.parent / "data" / "mail"


def _pipe(app_server, name: str, replace: tuple[bytes, bytes] = (b"", b"")) -> str:
    raw = (DATA / name).read_bytes()
    if replace[0]:
        raw = raw.replace(*replace)
    done = subprocess.run(
        [sys.executable, "-m", "ticketapp", "ingest-mail", "--mailbox", "support"],
        input=raw,
        env=app_server.env,
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return done.stderr.decode()


def _add_mailbox(page: Page) -> None:
    page.get_by_role("button", name="Add mailbox").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("Support inbox")
    dialog.get_by_label("Port").fill("99999")
    dialog.get_by_role("button", name="Save mailbox").click()
    expect(dialog.get_by_text("Enter the IMAP server's host name")).to_be_visible()
    expect(dialog.get_by_text("Enter a port between 1 and 65535.")).to_be_visible()
    expect(dialog.get_by_text("Enter the user name of the mailbox.")).to_be_visible()
    expect(dialog.get_by_text("Enter the password of the mailbox.")).to_be_visible()
    expect(dialog.get_by_label("Name", exact=True)).to_have_value("Support inbox")  # nothing lost
    assert_accessible(page, "mail-channels-mailbox-errors")
    dialog.get_by_label("IMAP server").fill("127.0.0.1")
    dialog.get_by_label("Port").fill("9")  # nothing listens: the poll fails at once
    dialog.get_by_label("User name").fill("support@example.com")
    dialog.get_by_label("Password").fill("imap-secret-123")
    dialog.get_by_role("button", name="Save mailbox").click()
    expect(page.get_by_text("Mailbox saved.")).to_be_visible()
    table = page.get_by_role("table", name="Mailboxes")
    expect(table).to_contain_text("Support inbox")
    expect(table).to_contain_text("support@example.com @ 127.0.0.1:9 · INBOX")
    # The password never comes back to the browser.
    table.get_by_role("button", name="Edit Support inbox").click()
    expect(page.get_by_role("dialog").get_by_label("Password")).to_have_value("")
    expect(page.get_by_text("Leave empty to keep the saved password.")).to_be_visible()
    assert "imap-secret-123" not in page.content()
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()


def test_manager_adds_a_mailbox_and_handles_the_quarantine(page: Page, app_server):
    sign_in(page, MANAGER, expect_path="/analytics")
    open_admin_page(page, "Channels")
    expect(page).to_have_url(path_re("/admin/channels"))
    expect(page.get_by_role("heading", name="Channels", level=1)).to_be_visible()
    expect(page.get_by_text("No mailboxes yet.")).to_be_visible()
    _add_mailbox(page)

    assert _pipe(app_server, "malformed.eml").startswith("quarantined")
    page.reload()
    held = page.get_by_role("table", name="Quarantined messages")
    expect(held).to_contain_text("support")
    expect(held).to_contain_text("The message has no headers.")
    assert_accessible(page, "mail-channels")
    with page.expect_download() as download:
        held.get_by_role("button", name=re.compile(r"^Download message \d+$")).click()
    assert download.value.suggested_filename.endswith(".eml")
    assert Path(download.value.path()).read_bytes() == (DATA / "malformed.eml").read_bytes()
    held.get_by_role("button", name=re.compile(r"^Discard message \d+$")).click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Discard this message?")
    confirm.get_by_role("button", name="Discard").click()
    expect(page.get_by_text("Message discarded.")).to_be_visible()
    expect(page.get_by_text("The quarantine is empty.")).to_be_visible()


def test_mailed_ticket_shows_its_channel_and_is_filterable(page: Page, app_server):
    out = _pipe(app_server, "polish.eml")
    number = re.match(r"created #(\d+)", out).group(1)
    sign_in(page, MANAGER, expect_path="/analytics")
    page.goto("/tickets?channel=email")
    table = page.get_by_role("table").first
    expect(table).to_contain_text("Nie działa drukarka w pokoju żołtym")
    expect(page.get_by_label("Channel", exact=True)).to_contain_text("E-mail")
    assert_accessible(page, "mail-tickets-channel-filter")
    page.goto(f"/tickets/{number}")
    expect(page.get_by_text("Dzień dobry, drukarka w żołtym pokoju nie działa.")).to_be_visible()
    expect(page.get_by_text("E-mail", exact=True)).to_be_visible()
    assert_accessible(page, "mail-ticket-channel")
