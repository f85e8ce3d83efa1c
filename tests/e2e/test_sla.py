"""SLA end to end: a manager creates a policy and an escalation rule, a new urgent ticket shows
its countdown on the board, time moves forward (the server's test clock file) and the ticket
turns red, is escalated by the scheduler, its history names the rule, the manager's bell shows
it, and the requester's e-mail arrives at the local SMTP server."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import assert_accessible, path_re, sign_in
from tests.e2e.test_routing import _wait_mail
from ticketapp.db import make_engine
from ticketapp.models import EscalationRule, SlaPolicy, User
from ticketapp.services import escalation, sla
from ticketapp.services.actor import Actor

MANAGER = "manager@example.com"
REQUESTER = "requester@example.com"
TICKET_URL = re.compile(r"/tickets/(\d+)/?$")


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _set_clock(app_server, seconds: float) -> None:
    Path(app_server.env["TICKETAPP_CLOCK_FILE"]).write_text(str(seconds))


def _create_policy(page: Page, name: str) -> None:
    page.goto("/admin/sla")
    expect(page.get_by_role("heading", name="SLA policies", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="SLA policies")).to_contain_text("Urgent tickets")
    page.get_by_role("button", name="New policy").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Name")).to_be_visible()
    # Bad input: errors next to the fields, typed values kept.
    dialog.get_by_label("First response (minutes)").fill("90")
    dialog.get_by_label("Resolution (minutes)").fill("60")
    dialog.get_by_role("button", name="Save policy").click()
    expect(dialog.get_by_text("Give the policy a name.")).to_be_visible()
    expect(dialog.get_by_text("First response must not be longer than resolution.")).to_be_visible()
    expect(dialog.get_by_label("Resolution (minutes)")).to_have_value("60")
    assert_accessible(page, "sla-policy-dialog-errors")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("First response (minutes)").fill("30")
    _choose(page, "Count in", "Calendar hours (24/7)")
    dialog.get_by_role("button", name="Save policy").click()
    expect(page.get_by_text(f"Policy \u201c{name}\u201d saved.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Urgent")
    expect(row).to_contain_text("30m")
    expect(row).to_contain_text("1h")
    expect(row).to_contain_text("Calendar (24/7)")
    assert_accessible(page, "sla-policies")


def _create_rule(page: Page, name: str, policy: str) -> None:
    page.get_by_role("link", name="Escalation rules").click()
    expect(page.get_by_role("heading", name="Escalation rules", level=1)).to_be_visible()
    page.get_by_role("button", name="New rule").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Notify the assignee").uncheck()
    dialog.get_by_role("button", name="Save rule").click()
    expect(dialog.get_by_text("Pick at least one action.")).to_be_visible()
    _choose(page, "Applies to tickets under", policy)
    dialog.get_by_label("Notify the team's managers").check()
    dialog.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text(f"Rule \u201c{name}\u201d saved.")).to_be_visible()
    expect(page.get_by_role("table", name="Escalation rules")).to_contain_text(
        f"When the resolution target is breached (tickets of {policy}): notify the team's managers"
    )
    assert_accessible(page, "sla-escalation-rules")


def _file_urgent_ticket(page: Page, title: str) -> int:
    sign_in(page, REQUESTER, expect_path="/portal")
    page.goto("/tickets/new")
    expect(page.get_by_label("Title")).to_be_editable()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Description", exact=True).fill("Nothing works since the update.")
    _choose(page, "Impact", "Urgent")
    page.get_by_role("button", name="Submit ticket").click()
    expect(page).to_have_url(TICKET_URL, timeout=15_000)
    return int(TICKET_URL.search(page.url).group(1))  # type: ignore[union-attr]


def test_policy_countdown_breach_and_escalation(page: Page, new_page, app_server, smtp_sink):
    tag = uuid.uuid4().hex[:6]
    policy = f"Urgent E2E {tag}"
    rule = f"Breach alarm {tag}"
    _set_clock(app_server, 0)
    try:
        sign_in(page, MANAGER, expect_path="/analytics")
        _create_policy(page, policy)
        _create_rule(page, rule, policy)

        requester = new_page()
        number = _file_urgent_ticket(requester, f"Payroll server down {tag}")

        page.goto("/board")
        card = page.get_by_test_id(f"card-{number}")
        expect(card).to_be_visible(timeout=15_000)
        badge = card.locator("[data-sla-state]")
        expect(badge).to_have_text(re.compile(r"^SLA: (30|29)m to respond$"))
        expect(badge).to_have_attribute("data-sla-state", "ok")
        assert_accessible(page, "sla-board-countdown")

        # Two hours later (server clock) both targets are missed; the scheduler (2 s tick in
        # tests) logs the breach and fires the rule once.
        # The board shows it live: the scheduler publishes the tickets it touched.
        _set_clock(app_server, 2 * 3600)
        badge = page.get_by_test_id(f"card-{number}").locator("[data-sla-state]")
        expect(badge).to_have_attribute("data-sla-state", "breached", timeout=15_000)
        expect(badge).to_have_text(re.compile(r"^SLA: Breached (1h 2\dm|1h 3\dm) ago$"))

        page.goto(f"/tickets/{number}")
        expect(page.get_by_role("heading", name="SLA", level=2)).to_be_visible()
        expect(page.get_by_text(policy, exact=True)).to_be_visible()
        page.get_by_text("SLA clock log").click()
        log = page.get_by_role("list", name="SLA clock log")
        expect(log).to_contain_text("Target breached (first response)")
        expect(log).to_contain_text("Clock started")
        page.get_by_role("tab", name="History").click()
        history = page.get_by_role("table", name="History")
        expect(history).to_contain_text(f"Escalation rule \u201c{rule}\u201d", timeout=15_000)
        expect(history).to_contain_text("Notified")
        assert_accessible(page, "sla-ticket-escalated")
        expect(page).to_have_url(path_re(f"/tickets/{number}"))

        # The manager's bell shows the escalation; the requester was told by e-mail.
        page.get_by_role("button", name=re.compile(r"^Notifications, \d+ unread$")).click()
        bell = page.get_by_role("dialog", name="Notifications")
        expect(bell.get_by_text(f"Ticket #{number}: resolution target breached")).to_be_visible()
        page.keyboard.press("Escape")
        sink, _port = smtp_sink
        _wait_mail(app_server, sink, REQUESTER, f"[#{number}] We received your request")

        # A further tick never fires the rule again.
        page.wait_for_timeout(4_500)
        page.reload()
        page.get_by_role("tab", name="History").click()
        history = page.get_by_role("table", name="History")
        expect(history.get_by_text(f"Escalation rule \u201c{rule}\u201d")).to_have_count(1)
    finally:
        _set_clock(app_server, 0)
        _remove_policy_and_rule(app_server, policy, rule)


def _remove_policy_and_rule(app_server, policy: str, rule: str) -> None:
    """Later tests share the server: the running scheduler must not go on touching their
    urgent tickets (their conflict messages would name "an automatic rule")."""
    engine = make_engine(app_server.database_url)
    try:
        with Session(engine) as s:
            manager = Actor.of(s.exec(select(User).where(User.email == MANAGER)).one())
            for r in s.exec(select(EscalationRule).where(EscalationRule.name == rule)).all():
                escalation.delete_rule(s, manager, r.id)
            for p in s.exec(select(SlaPolicy).where(SlaPolicy.name == policy)).all():
                sla.delete_policy(s, manager, p.id)
            s.commit()
    finally:
        engine.dispose()


def test_calendar_and_policy_crud_with_confirmation(page: Page):
    tag = uuid.uuid4().hex[:6]
    name = f"Berlin office {tag}"
    sign_in(page, MANAGER, expect_path="/analytics")
    page.goto("/admin/sla")
    page.get_by_role("button", name="New calendar").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Time zone").fill("Mars/Olympus")
    dialog.get_by_label("Holidays").fill("2026-12-25\nnot a date")
    dialog.get_by_role("button", name="Save calendar").click()
    expect(dialog.get_by_text("Enter a time zone such as Europe/Berlin or UTC.")).to_be_visible()
    expect(
        dialog.get_by_text("'not a date' is not a date (use YYYY-MM-DD, one per line).")
    ).to_be_visible()
    expect(dialog.get_by_label("Name")).to_have_value(name)
    dialog.get_by_label("Time zone").fill("Europe/Berlin")
    dialog.get_by_label("Holidays").fill("2026-12-25")
    dialog.get_by_label("Sat").check()
    dialog.get_by_role("button", name="Save calendar").click()
    expect(page.get_by_text(f"Calendar \u201c{name}\u201d saved.")).to_be_visible()
    row = (
        page.get_by_role("table", name="Business calendars")
        .get_by_role("row")
        .filter(has_text=name)
    )
    expect(row).to_contain_text("Mon, Tue, Wed, Thu, Fri, Sat")
    expect(row).to_contain_text("2026-12-25")
    page.mouse.move(0, 0)
    page.get_by_role("button", name="Toggle dark mode").click()
    page.wait_for_timeout(400)
    assert_accessible(page, "sla-policies-dark")
    page.get_by_role("button", name="Toggle dark mode").click()

    # A policy on that calendar, for a category.
    policy = f"Hardware normal {tag}"
    page.get_by_role("button", name="New policy").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(policy)
    _choose(page, "Priority", "Normal")
    page.get_by_label("Category", exact=True).click()
    page.get_by_role("option").nth(1).click()
    _choose(page, "Business calendar", name)
    dialog.get_by_role("button", name="Save policy").click()
    expect(page.get_by_text(f"Policy \u201c{policy}\u201d saved.")).to_be_visible()
    prow = page.get_by_role("table", name="SLA policies").get_by_role("row").filter(has_text=policy)
    expect(prow).to_contain_text(f"Business ({name})")
    expect(prow).to_contain_text("Category ")

    # Edit keeps the values; delete asks first.
    page.get_by_role("button", name=f"Edit {policy}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Name")).to_have_value(policy)
    dialog.get_by_label("Resolution (minutes)").fill("600")
    dialog.get_by_role("button", name="Save policy").click()
    expect(prow).to_contain_text("10h")
    # (let the toasts leave: axe reads colours mid-fade)
    expect(page.get_by_text(f"Policy “{policy}” saved.")).to_have_count(0, timeout=15_000)
    page.get_by_role("button", name=f"Delete {policy}").click()
    alert = page.get_by_role("alertdialog")
    expect(alert).to_contain_text(policy)
    assert_accessible(page, "sla-delete-confirm")
    alert.get_by_role("button", name="Cancel").click()
    expect(prow).to_be_visible()
    page.get_by_role("button", name=f"Delete {policy}").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_text(f"Deleted \u201c{policy}\u201d.")).to_be_visible()
    expect(prow).to_have_count(0)
    page.get_by_role("button", name=f"Delete calendar {name}").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
