"""Triage, auto-assignment, the bell and e-mail, end to end against the production build."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from tests.e2e.conftest import assert_accessible, path_re, q, sign_in

REQUESTER = "requester@example.com"
MANAGER = "manager@example.com"
AGENT = "agent@example.com"
TICKET_URL = re.compile(r"/tickets/(\d+)/?$")


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def _file(page: Page, title: str, description: str) -> int:
    page.goto("/tickets/new")
    expect(page.get_by_label("Title")).to_be_editable()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description", exact=True).fill(description)
    page.wait_for_timeout(900)
    page.get_by_role("button", name="Submit ticket").click()
    expect(page).to_have_url(TICKET_URL, timeout=15_000)
    return int(TICKET_URL.search(page.url).group(1))


def _wait_mail(app_server, sink, address: str, needle: str, timeout: float = 20) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app_server.cli("deliver-mail")
        for m in sink.to(address):
            # The subject's tag carries the reply token: "[#1042-<mac>]" reads as "[#1042]".
            subject = re.sub(r"\[#(\d+)-[0-9a-f]+\]", r"[#\1]", " ".join(str(m["Subject"]).split()))
            if needle in subject:
                return m
        time.sleep(0.5)
    raise AssertionError(
        f"no e-mail to {address} about {needle!r}: {[m['Subject'] for m in sink.messages]}"
    )


def test_server_down_is_triaged_assigned_and_the_requester_is_told(
    page: Page, db, app_server, smtp_sink
):
    sink, _port = smtp_sink
    sign_in(page, REQUESTER, expect_path="/portal")
    tag = _tag()
    page.goto("/tickets/new")
    expect(page.get_by_label("Title")).to_be_editable()
    page.get_by_label("Title", exact=True).fill(f"Сервер не работает {tag}")
    # The form suggests the category as they type.
    expect(page.get_by_text("Suggested category: Infrastructure")).to_be_visible()
    assert_accessible(page, "routing-suggested-category")
    page.get_by_role("button", name="Use suggested category Infrastructure").click()
    expect(page.get_by_label("Category", exact=True)).to_have_text("Infrastructure")
    page.get_by_label("Description", exact=True).fill("The file server is down since 9:00.")
    page.wait_for_timeout(900)
    page.get_by_role("button", name="Submit ticket").click()
    expect(page).to_have_url(TICKET_URL, timeout=15_000)
    number = int(TICKET_URL.search(page.url).group(1))

    [(ttype, priority, team, assignee, assignee_email)] = q(
        db,
        "select t.type, t.priority, tm.name, u.name, u.email from ticket t "
        "join team tm on tm.id = t.team_id left join user u on u.id = t.assignee_id "
        "where t.number = :n",
        n=number,
    )
    assert (ttype, priority, team) == ("incident", "urgent", "Infrastructure")
    assert assignee is not None

    # The requester's bell shows "received", and the e-mail arrives with the ticket number.
    bell = page.get_by_role("button", name=re.compile(r"^Notifications, \d+ unread$"))
    expect(bell).to_be_visible()
    mail = _wait_mail(app_server, sink, REQUESTER, f"[#{number}] We received your request")
    assert f"#{number}" in mail.get_payload(decode=True).decode()
    # The assignee got an "assigned" e-mail too.
    _wait_mail(app_server, sink, assignee_email, f"[#{number}] Assigned to you")

    # A manager sees why that agent was chosen in the history.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, MANAGER, expect_path="/analytics")
    page.goto(f"/tickets/{number}")
    page.get_by_role("tab", name="History").click()
    history = page.get_by_role("table", name="History")
    expect(history).to_contain_text("Triage rule “Server outages”")
    expect(history).to_contain_text("Round-robin in team Infrastructure")
    expect(history).to_contain_text(assignee)


def test_bell_updates_live_and_marks_read(page: Page, new_page, app_server):
    sign_in(page, REQUESTER, expect_path="/portal")
    number = _file(page, f"Keyboard sticks {_tag()}", "The space bar sticks.")
    page.goto("/portal")
    expect(
        page.get_by_role("button", name=re.compile(r"^Notifications, \d+ unread$"))
    ).to_be_visible()
    second_tab = page.context.new_page()  # the same requester in another tab
    second_tab.goto("/portal")
    expect(
        second_tab.get_by_role("button", name=re.compile(r"^Notifications, \d+ unread$"))
    ).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Notifications")).click()
    dialog = page.get_by_role("dialog", name="Notifications")
    expect(dialog.get_by_role("link", name=re.compile(f"#{number}"))).to_be_visible()
    assert_accessible(page, "routing-bell-open")
    dialog.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("button", name="Notifications", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    # The other tab's bell follows without a reload.
    expect(second_tab.get_by_role("button", name="Notifications", exact=True)).to_be_visible()

    # An agent replies in another browser: the requester's bell counts it without a reload.
    agent = new_page()
    sign_in(agent, AGENT, expect_path="/board")
    agent.goto(f"/tickets/{number}")
    agent.get_by_role("radio", name="Reply").click()
    agent.get_by_label("Your reply").fill("Try a can of compressed air.")
    agent.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("button", name="Notifications, 1 unread")).to_be_visible(timeout=15_000)
    expect(second_tab.get_by_role("button", name="Notifications, 1 unread")).to_be_visible()


@pytest.fixture
def restore_routing(db):
    """Put the demo rules and team modes back, so later test files see the seeded setup."""
    before = q(db, "select id, cond_keywords, set_priority from routing_rule")
    modes = q(db, "select id, auto_assign from team")
    yield
    with db.begin() as conn:
        for rid, kw, prio in before:
            conn.execute(
                text("update routing_rule set cond_keywords = :k, set_priority = :p where id = :i"),
                {"k": kw, "p": prio, "i": rid},
            )
        for tid, mode in modes:
            conn.execute(
                text("update team set auto_assign = :m where id = :i"), {"m": mode, "i": tid}
            )


def test_manager_edits_a_routing_rule(page: Page, db, restore_routing):
    sign_in(page, MANAGER, expect_path="/analytics")
    page.goto("/admin/routing")
    expect(page.get_by_role("heading", name="Routing", level=1)).to_be_visible()
    rules = page.get_by_role("table", name="Triage rules")
    expect(rules).to_contain_text("Server outages")
    assert_accessible(page, "routing-admin")
    page.get_by_role("button", name="Toggle dark mode").click()
    page.wait_for_timeout(400)
    assert_accessible(page, "routing-admin-dark")
    page.get_by_role("button", name="Toggle dark mode").click()

    page.get_by_role("button", name="Edit Printing").click()
    dialog = page.get_by_role("dialog", name="Edit rule")
    keywords = dialog.get_by_label("Text mentions (keywords)")
    expect(keywords).to_have_value(re.compile("printer"))
    keywords.fill("printer, toner, scanner, принтер, plotter")
    dialog.get_by_label("Priority", exact=True).click()
    page.get_by_role("option", name="High", exact=True).click()
    assert_accessible(page, "routing-rule-editor")
    dialog.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text("Rule “Printing” saved.")).to_be_visible()
    expect(rules).to_contain_text("plotter")
    [(kw, prio)] = q(
        db, "select cond_keywords, set_priority from routing_rule where name = 'Printing'"
    )
    assert "plotter" in kw and prio == "high"

    # A rule with no name is refused next to the field, nothing lost.
    page.get_by_role("button", name="New rule").click()
    dialog = page.get_by_role("dialog", name="New rule")
    dialog.get_by_label("Text mentions (keywords)").fill("badge reader")
    dialog.get_by_role("button", name="Save rule").click()
    expect(dialog.get_by_text("Give the rule a name.")).to_be_visible()
    expect(dialog.get_by_label("Text mentions (keywords)")).to_have_value("badge reader")
    page.keyboard.press("Escape")

    # Delete asks first.
    page.get_by_role("button", name="Delete VPN and network").click()
    confirm = page.get_by_role("alertdialog", name="Delete rule?")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Cancel").click()
    expect(rules).to_contain_text("VPN and network")

    # Team auto-assignment and agent availability.
    page.get_by_label("Auto-assignment of Service desk").click()
    page.get_by_role("option", name="Least loaded").click()
    expect(page.get_by_text("Auto-assignment updated.")).to_be_visible()
    [(mode,)] = q(db, "select auto_assign from team where name = 'Service desk'")
    assert mode == "least_loaded"


def test_notification_settings(page: Page, db):
    sign_in(page, REQUESTER, expect_path="/portal")
    page.goto("/settings/notifications")
    expect(page.get_by_role("heading", name="Notification settings", level=1)).to_be_visible()
    box = page.get_by_label("By e-mail: Your request's status changed")
    expect(box).to_be_checked()
    assert_accessible(page, "routing-notification-settings")
    box.click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(box).not_to_be_checked()
    rows = q(
        db,
        "select p.in_app, p.email from notification_preference p join user u on u.id = p.user_id "
        "where u.email = :e and p.kind = 'status_changed'",
        e=REQUESTER,
    )
    assert [tuple(bool(v) for v in r) for r in rows] == [(True, False)]
    assert path_re("/settings/notifications").search(page.url)


def test_agent_turns_availability_off(page: Page, db):
    sign_in(page, AGENT, expect_path="/board")
    page.goto("/settings/notifications")
    switch = page.get_by_role("switch", name="Available for automatic assignment")
    expect(switch).to_be_checked()
    switch.click()
    expect(page.get_by_text("No new tickets for now.")).to_be_visible()
    expect(switch).not_to_be_checked()
    assert_accessible(page, "routing-agent-settings")
    [(available,)] = q(db, "select is_available from user where email = :e", e=AGENT)
    assert not available
    switch.click()
    expect(page.get_by_text("You will get new tickets again.")).to_be_visible()
