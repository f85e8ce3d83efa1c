"""Webhooks end to end: a manager adds an endpoint pointing at a receiver in this test process,
a requester files a ticket and an agent moves it through the UI, the signed deliveries reach
the receiver and show in the endpoint's log; a resend goes out again; a failing receiver shows
the retry; the endpoint is deleted after a confirmation. Agents cannot open the page."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect
from reflex_base.utils.format import format_event_handler
from sqlmodel import Session, select

from tests.e2e.conftest import assert_accessible, open_admin_page, sign_in
from tests.e2e.test_guard_websocket import SocketTap
from tests.unit.test_webhooks import Receiver
from ticketapp.db import make_engine
from ticketapp.models import User
from ticketapp.pages.admin_webhooks import AdminWebhooksState
from ticketapp.pages.board.state import BoardState
from ticketapp.services import webhooks
from ticketapp.services.actor import Actor

MANAGER = "manager@example.com"
AGENT = "agent@example.com"
REQUESTER = "requester@example.com"
TICKET_URL = re.compile(r"/tickets/(\d+)/?$")


def _wait_for(receiver: Receiver, event: str, count: int = 1, timeout: float = 20) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = [r for r in receiver.requests if r["headers"].get("X-Ticketapp-Event") == event]
        if len(got) >= count:
            return got
        time.sleep(0.2)
    seen = [r["headers"].get("X-Ticketapp-Event") for r in receiver.requests]
    raise AssertionError(f"no {count} x {event} within {timeout}s; got {seen}")


def _verifies(request: dict, secret: str) -> bool:
    signed = request["headers"]["X-Ticketapp-Timestamp"].encode() + b"." + request["body"]
    mac = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Ticketapp-Signature"], "sha256=" + mac)


def _add_endpoint(page: Page, url: str) -> str:
    """Through the form (bad input first); returns the signing secret the page shows."""
    open_admin_page(page, "Webhooks")
    expect(page.get_by_role("heading", name="Webhooks", level=1)).to_be_visible()
    expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()
    assert_accessible(page, "webhooks-empty")
    page.get_by_role("button", name="New endpoint").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("URL", exact=True).fill("ftp://files.example.com/drop")
    for label in ("Ticket created", "Status changed", "Assigned", "Public reply"):
        dialog.get_by_label(label, exact=True).uncheck()
    for label in ("Internal note", "Rated", "SLA breached"):
        dialog.get_by_label(label, exact=True).uncheck()
    dialog.get_by_role("button", name="Save endpoint").click()
    expect(dialog.get_by_text("Enter an http:// or https:// URL")).to_be_visible()
    expect(dialog.get_by_text("Choose at least one event.")).to_be_visible()
    expect(dialog.get_by_label("URL", exact=True)).to_have_value("ftp://files.example.com/drop")
    expect(dialog.get_by_label("URL", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "webhooks-form-errors")
    dialog.get_by_label("URL", exact=True).fill(url)
    dialog.get_by_label("Description (optional)").fill("CRM sync")
    dialog.get_by_label("Ticket created", exact=True).check()
    dialog.get_by_label("Status changed", exact=True).check()
    dialog.get_by_role("button", name="Save endpoint").click()
    expect(page.get_by_text("Endpoint added. Copy its signing secret.")).to_be_visible()
    secret_dialog = page.get_by_role("dialog", name="Signing secret")
    secret_box = secret_dialog.get_by_label("Secret", exact=True)
    expect(secret_box).to_have_value(re.compile(r"^whsec_[\w-]{40,}$"))
    secret = secret_box.input_value()
    assert_accessible(page, "webhooks-secret")
    secret_dialog.get_by_role("button", name="Close").click()
    expect(secret_dialog).to_have_count(0)
    table = page.get_by_role("table", name="Webhook endpoints")
    row = table.get_by_role("row").filter(has_text=url)
    expect(row).to_contain_text("Ticket created, Status changed")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("CRM sync")
    return secret


def _file_ticket(page: Page, title: str) -> int:
    sign_in(page, REQUESTER, expect_path="/portal")
    page.goto("/tickets/new")
    expect(page.get_by_label("Title")).to_be_editable()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description", exact=True).fill("The CRM should hear about this.")
    page.get_by_role("button", name="Submit ticket").click()
    expect(page).to_have_url(TICKET_URL, timeout=15_000)
    return int(TICKET_URL.search(page.url).group(1))  # type: ignore[union-attr]


def _move_ticket(page: Page, number: int) -> None:
    sign_in(page, AGENT, expect_path="/board")
    page.goto(f"/tickets/{number}")
    page.get_by_role("combobox", name="Status").click()
    page.get_by_role("option", name="In progress", exact=True).click()
    expect(page.get_by_role("combobox", name="Status")).to_have_text("In progress")


def test_endpoint_deliveries_resend_and_delete(page: Page, new_page, app_server):
    receiver = Receiver()
    try:
        _run(page, new_page, receiver)
    finally:
        receiver.close()


def _run(page: Page, new_page, receiver: Receiver) -> None:
    url = receiver.url(f"/crm/{uuid.uuid4().hex[:6]}")
    sign_in(page, MANAGER, expect_path="/analytics")
    secret = _add_endpoint(page, url)

    # A requester files, an agent moves: both events reach the receiver, signed.
    title = f"Invoice sync broken {uuid.uuid4().hex[:6]}"
    number = _file_ticket(new_page(), title)
    [created] = _wait_for(receiver, "ticket.created")
    assert _verifies(created, secret)
    body = json.loads(created["body"])
    assert (body["ticket"]["number"], body["ticket"]["title"]) == (number, title)
    assert body["ticket"]["requester_email"] == REQUESTER
    _move_ticket(new_page(), number)
    [moved] = _wait_for(receiver, "ticket.status_changed")
    assert _verifies(moved, secret)
    assert json.loads(moved["body"])["changes"]["status"]["to"] == "in_progress"

    # The log shows both deliveries.
    page.get_by_role("button", name=f"Deliveries to {url}").click()
    log = page.get_by_role("table", name="Recent deliveries")
    created_row = log.get_by_role("row").filter(has_text="Ticket created")
    expect(created_row).to_contain_text(f"#{number}")
    expect(created_row).to_contain_text("Delivered")
    expect(created_row).to_contain_text("200")
    expect(log.get_by_role("row").filter(has_text="Status changed")).to_contain_text("Delivered")
    assert_accessible(page, "webhooks-deliveries")

    # Resend: the same event again, under a new delivery id.
    created_row.get_by_role("button", name=f"Resend Ticket created #{number}").click()
    expect(page.get_by_text("Delivered.", exact=True)).to_be_visible()
    first, again = _wait_for(receiver, "ticket.created", count=2)
    assert again["body"] == first["body"] and _verifies(again, secret)
    assert again["headers"]["X-Ticketapp-Delivery"] != first["headers"]["X-Ticketapp-Delivery"]
    expect(log.get_by_role("row").filter(has_text="Ticket created")).to_have_count(2)

    # A failing receiver: the attempt is logged with its answer and retried later.
    receiver.always = 500
    page.get_by_role("button", name=f"Send a test event to {url}").click()
    expect(page.get_by_text("The receiver did not accept it; it will be retried.")).to_be_visible()
    test_row = log.get_by_role("row").filter(has_text="Test event")
    expect(test_row).to_contain_text("Retrying at")
    expect(test_row).to_contain_text("500 · HTTP 500")
    test_row.get_by_text("1 attempt").click()
    expect(test_row).to_contain_text("receiver says no")
    assert_accessible(page, "webhooks-retrying")
    page.get_by_role("button", name="Toggle dark mode").click()
    assert_accessible(page, "webhooks-deliveries-dark")
    page.get_by_role("button", name="Toggle dark mode").click()
    receiver.always = None

    # Delete, after a confirmation.
    page.get_by_role("button", name=f"Delete {url}").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("will receive no more events")
    assert_accessible(page, "webhooks-delete-confirm")
    confirm.get_by_role("button", name="Delete").click()
    expect(page.get_by_text(f"Deleted the endpoint {url}.")).to_be_visible()
    expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()


def test_agents_cannot_open_webhooks(page: Page, app_server):
    sign_in(page, AGENT, expect_path="/board")
    expect(page.get_by_role("link", name="Webhooks")).to_have_count(0)
    page.goto("/admin/webhooks")
    expect(page.get_by_text("Your account does not have access to this page.")).to_be_visible()


def test_an_agent_calling_the_page_handlers_over_the_socket_is_refused(page: Page, app_server):
    """RoleGuard covers the page's State: an agent's browser asking for a secret or a test
    event is refused, and learns nothing."""
    engine = make_engine(app_server.database_url)
    with Session(engine) as s:
        manager = Actor.of(s.exec(select(User).where(User.email == MANAGER)).one())
        data = {"url": "https://hooks.example.com/x", "events": ["ticket.created"]}
        eid = webhooks.save_endpoint(s, manager, None, data)
        secret = webhooks.reveal_secret(s, manager, eid)
        s.commit()
    try:
        tap = SocketTap()
        page.route_web_socket(re.compile(r"/_event"), tap.attach)
        sign_in(page, AGENT, expect_path="/board")
        # The sign-in post reloads the page: tap the board's own socket, the one that brought
        # the board's state.
        board = BoardState.get_full_name()
        deadline = time.monotonic() + 10
        while not any(board in m for m in tap.received) and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert tap.prefix and any(board in m for m in tap.received)
        for name in ("show_secret", "send_test"):
            before = len(tap.received)
            handler = format_event_handler(AdminWebhooksState.event_handlers[name])
            tap.send_event(handler, {"endpoint_id": eid})
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not any(
                "not allowed" in m for m in tap.received[before:]
            ):
                page.wait_for_timeout(100)
            assert any("not allowed" in m for m in tap.received[before:]), name
            assert not any(secret in m for m in tap.received[before:])
        with Session(engine) as s:
            assert webhooks.reveal_secret(s, manager, eid) == secret
            assert webhooks.recent_deliveries(s, manager, eid) == []
    finally:
        with Session(engine) as s:
            webhooks.delete_endpoint(s, manager, eid)
            s.commit()
        engine.dispose()


def test_an_endpoint_failing_for_a_day_is_turned_off_and_managers_told(page: Page, app_server):
    receiver = Receiver()
    receiver.always = 500
    url = receiver.url(f"/down/{uuid.uuid4().hex[:6]}")
    clock_file = Path(app_server.env["TICKETAPP_CLOCK_FILE"])
    clock_file.write_text("0")
    try:
        sign_in(page, MANAGER, expect_path="/analytics")
        page.goto("/admin/webhooks")
        page.get_by_role("button", name="New endpoint").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("URL", exact=True).fill(url)
        dialog.get_by_role("button", name="Save endpoint").click()
        page.get_by_role("dialog", name="Signing secret").get_by_role(
            "button", name="Close"
        ).click()
        page.get_by_role("button", name=f"Send a test event to {url}").click()
        expect(
            page.get_by_text("The receiver did not accept it; it will be retried.")
        ).to_be_visible()
        row = (
            page.get_by_role("table", name="Webhook endpoints")
            .get_by_role("row")
            .filter(has_text=url)
        )
        expect(row).to_contain_text("Failing since")

        # A day later (the server's test clock) the scheduler's retry fails again: the endpoint
        # is turned off, and the manager's bell shows it without a reload.
        clock_file.write_text(str(25 * 3600))
        bell = page.get_by_role("button", name=re.compile(r"^Notifications, \d+ unread$"))
        expect(bell).to_be_visible(timeout=20_000)
        _wait_for(receiver, "ping", count=2)
        bell.click()
        panel = page.get_by_role("dialog", name="Notifications")
        expect(panel.get_by_text(f"Webhook endpoint turned off: {url}")).to_be_visible(
            timeout=15_000
        )
        page.keyboard.press("Escape")
        page.reload()
        row = (
            page.get_by_role("table", name="Webhook endpoints")
            .get_by_role("row")
            .filter(has_text=url)
        )
        expect(row).to_contain_text("Turned off after a day of failures")
        expect(row).to_contain_text("HTTP 500")
        expect(row.get_by_role("button", name=f"Send a test event to {url}")).to_be_disabled()
        assert_accessible(page, "webhooks-turned-off")
        page.get_by_role("button", name=f"Delete {url}").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
        expect(page.get_by_text(f"Deleted the endpoint {url}.")).to_be_visible()
    finally:
        clock_file.write_text("0")
        receiver.close()
