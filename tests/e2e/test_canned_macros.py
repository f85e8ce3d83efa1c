"""Canned responses (/settings/canned, the reply box's picker) and macros (/admin/macros, run
on tickets selected in the list), by keyboard where an agent would use it."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, open_admin_page, path_re, q, sign_in

AGENT = "agent@example.com"
MANAGER = "manager@example.com"


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_agent_inserts_a_canned_response_with_placeholders_by_keyboard(page: Page, db):
    tag = uuid.uuid4().hex[:6]
    number, requester = q(
        db,
        'SELECT t.number, u.name FROM ticket t JOIN "user" u ON u.id = t.requester_id '
        "WHERE t.status = 'open' AND t.merged_into_id IS NULL ORDER BY t.number LIMIT 1",
    )[0]
    agent_name = q(db, 'SELECT name FROM "user" WHERE email = :e', e=AGENT)[0][0]
    sign_in(page, AGENT, expect_path="/board")

    page.goto("/settings/canned")
    page.get_by_role("button", name="New canned response").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill(f"Thanks {tag}")
    dialog.get_by_label("Text").fill("Hi {{requester.first_name}}, about #{{ticket.nmber}}.")
    dialog.get_by_role("button", name="Save").click()
    # A misspelt placeholder is refused next to the field, nothing typed is lost.
    expect(dialog.get_by_role("alert")).to_contain_text("Unknown placeholder “ticket.nmber”")
    dialog.get_by_label("Text").fill(
        "Hi {{requester.first_name}}, about #{{ticket.number}}: done.\n\n{{agent.name}}"
    )
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Canned response saved.")).to_be_visible()
    table = page.get_by_role("table", name="Canned responses")
    expect(table.get_by_role("rowheader", name=f"Thanks {tag}")).to_be_visible()
    assert_accessible(page, "canned-responses")
    page.get_by_role("button", name="Toggle dark mode").click()
    page.wait_for_timeout(400)
    assert_accessible(page, "canned-responses-dark")
    page.get_by_role("button", name="Toggle dark mode").click()

    page.goto(f"/tickets/{number}")
    reply = page.get_by_label("Your reply")
    reply.click()
    page.keyboard.type("/")
    search = page.get_by_label("Filter canned responses")
    expect(search).to_be_focused(timeout=10_000)
    page.keyboard.type(tag)
    listing = page.get_by_role("list", name="Canned responses")
    expect(listing.get_by_role("button")).to_have_count(1)
    expect(listing).to_contain_text(f"Thanks {tag}")
    assert_accessible(page, "ticket-canned-picker")
    page.keyboard.press("Enter")
    first = requester.split()[0]
    expected = f"Hi {first}, about #{number}: done.\n\n{agent_name}"
    expect(reply).to_have_value(expected)
    expect(reply).to_be_focused()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent.")).to_be_visible()
    uses = q(
        db,
        "SELECT count(*) FROM canned_use u JOIN canned_response c ON c.id = u.canned_id "
        "WHERE c.title = :t",
        t=f"Thanks {tag}",
    )[0][0]
    assert uses == 1
    body = q(
        db,
        "SELECT c.body FROM comment c JOIN ticket t ON t.id = c.ticket_id "
        "WHERE t.number = :n ORDER BY c.id DESC LIMIT 1",
        n=number,
    )[0][0]
    assert body == expected


def test_agent_runs_a_macro_on_three_selected_tickets_after_a_preview(page: Page, new_page, db):
    tag = uuid.uuid4().hex[:6]
    name = f"Escalate {tag}"
    numbers = [
        r[0]
        for r in q(
            db,
            "SELECT number FROM ticket WHERE status IN ('open', 'in_progress') "
            "AND priority != 'urgent' AND merged_into_id IS NULL ORDER BY number DESC LIMIT 3",
        )
    ]
    assert len(numbers) == 3

    # A manager defines the macro.
    sign_in(page, MANAGER, expect_path="/analytics")
    usage = page.get_by_role("region", name="Canned responses used")
    today = datetime.now(UTC).date()
    expect(usage).to_contain_text(f"{today - timedelta(days=29)} – {today}")  # the dashboard's
    page.goto("/analytics?period=7")  # period, and it follows the period chosen
    expect(usage).to_contain_text(f"{today - timedelta(days=6)} – {today}")
    expect(usage.get_by_role("table", name="Canned responses used")).to_be_visible()
    open_admin_page(page, "Canned responses")
    page.get_by_role("link", name="Macros").click()
    expect(page).to_have_url(path_re("/admin/macros"))
    page.get_by_role("button", name="New macro").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(name)
    _choose(page, "Set priority", "Urgent")
    _choose(page, "Assign to", "Whoever runs the macro")
    dialog.get_by_label("Add tags").fill(f"Escalated {tag}")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Macro saved.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(name))
    expect(row).to_contain_text("Priority: Urgent")
    expect(row).to_contain_text(f"Add tags: escalated-{tag}")
    assert_accessible(page, "macros-admin")

    # An agent selects three tickets in the list and runs it.
    agent = new_page()
    sign_in(agent, AGENT, expect_path="/board")
    agent.goto("/tickets")
    for n in numbers:
        agent.get_by_label("Search tickets").fill(str(n))
        expect(agent).to_have_url(re.compile(rf"q={n}"))
        agent.get_by_role("checkbox", name=f"Select #{n}").click()
    expect(agent.get_by_text("3 selected")).to_be_visible()
    agent.get_by_role("button", name="Run a macro on the selected tickets").click()
    run = agent.get_by_role("dialog", name="Run a macro")
    expect(run).to_be_visible()
    _choose(agent, "Macro", name)
    preview = run.get_by_role("list", name="What will change")
    for n in numbers:
        expect(preview).to_contain_text(f"#{n}")
    expect(preview.get_by_text("Priority", exact=True)).to_have_count(3)
    expect(preview).to_contain_text("Urgent")
    assert_accessible(agent, "macro-preview")
    run.get_by_role("button", name="Apply to 3 tickets").click()
    expect(agent.get_by_text("Macro applied to 3 tickets.")).to_be_visible()
    expect(run).to_be_hidden()
    expect(agent.get_by_text("3 selected")).to_be_hidden()

    agent_id = q(db, 'SELECT id FROM "user" WHERE email = :e', e=AGENT)[0][0]
    for n in numbers:
        priority, assignee, entries = q(
            db,
            "SELECT t.priority, t.assignee_id, (SELECT count(*) FROM ticket_event e "
            "WHERE e.ticket_id = t.id AND e.kind = 'macro_applied' AND e.new_value = :m) "
            "FROM ticket t WHERE t.number = :n",
            n=n,
            m=name,
        )[0]
        assert (priority, assignee, entries) == ("urgent", agent_id, 1)
        tagged = q(
            db,
            "SELECT count(*) FROM ticket_tag tt JOIN tag g ON g.id = tt.tag_id "
            "JOIN ticket t ON t.id = tt.ticket_id WHERE t.number = :n AND g.name = :g",
            n=n,
            g=f"escalated-{tag}",
        )[0][0]
        assert tagged == 1

    # The ticket's history names the macro.
    agent.goto(f"/tickets/{numbers[0]}")
    expect(agent).to_have_url(path_re(f"/tickets/{numbers[0]}"))
    agent.get_by_role("tab", name="History").click()
    expect(agent.get_by_text(f"Applied the macro “{name}”")).to_be_visible()
    # Run from the ticket page: the preview says there is nothing left to change.
    agent.get_by_role("button", name="Run macro").click()
    run = agent.get_by_role("dialog", name="Run a macro")
    _choose(agent, "Macro", name)
    expect(run.get_by_role("list", name="What will change")).to_contain_text("Nothing to change.")
    expect(run.get_by_role("button", name="Apply to 1 ticket")).to_be_enabled()
    run.get_by_role("button", name="Cancel").click()
    expect(run).to_be_hidden()

    # The command palette offers the macro on the ticket on screen and opens its preview.
    agent.keyboard.press("Control+k")
    palette = agent.get_by_role("dialog", name="Command palette")
    palette.get_by_role("combobox", name="Search or jump to").fill(name)
    option = palette.get_by_role("option", name=re.compile("^" + re.escape(name)))
    expect(option).to_be_visible()
    for _ in range(10):  # to the macro's option (tickets, search and pages come first)
        if option.get_attribute("aria-selected") == "true":
            break
        agent.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    agent.keyboard.press("Enter")
    run = agent.get_by_role("dialog", name="Run a macro")
    expect(run.get_by_role("list", name="What will change")).to_contain_text("Nothing to change.")
    run.get_by_role("button", name="Cancel").click()
    expect(run).to_be_hidden()
