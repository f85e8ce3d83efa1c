"""Filing a ticket, deflection to the knowledge base, the requester portal and the agents' list."""

from __future__ import annotations

import io
import re
import uuid

from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DroppableSocket, assert_accessible, path_re, q, sign_in

REQUESTER = "requester@example.com"
AGENT = "agent@example.com"
TICKET_URL = re.compile(r"/tickets/(\d+)/?$")


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _axe_both(page: Page, name: str) -> None:
    """axe in light mode, then in dark mode (and back)."""
    page.mouse.move(0, 0)  # no hover state left over from an earlier click
    assert_accessible(page, f"{name}-light")
    page.get_by_role("button", name="Toggle dark mode").click()
    page.wait_for_timeout(400)
    assert_accessible(page, f"{name}-dark")
    page.get_by_role("button", name="Toggle dark mode").click()


def _new_ticket_form(page: Page, email: str = REQUESTER) -> None:
    sign_in(page, email)
    page.wait_for_url(re.compile(r"/(portal|board|analytics)/?$"))
    page.goto("/tickets/new")
    expect(page.get_by_role("heading", name="New ticket", level=1)).to_be_visible()
    expect(page.get_by_label("Title")).to_be_editable()


def _type_text(page: Page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


def _wait_saved(page: Page) -> None:
    """Debounced inputs reach the server after 300 ms; give the round trip time."""
    page.wait_for_timeout(900)


# --- filing ---------------------------------------------------------------------------------


def test_requester_files_an_incident_with_an_image(page: Page, db):
    _new_ticket_form(page)
    title = f"Screen flickers on the docking station {_tag()}"
    _type_text(page, "Title", title)
    _type_text(page, "Description", "Since this morning the **external** screen flickers.")
    _choose(page, "Type", "Incident")
    _type_text(page, "Affected service", "Docking station")
    _type_text(page, "When it started", "2024-05-02T09:30")
    _choose(page, "Impact", "High")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "screen.png", "mimeType": "image/png", "buffer": _png()}]
    )
    files = page.get_by_role("list", name="Chosen files")
    expect(files).to_contain_text("screen.png")
    # Preview renders the markdown.
    page.get_by_role("radio", name="Preview").click()
    expect(page.get_by_role("region", name="Description preview").locator("strong")).to_have_text(
        "external"
    )
    page.get_by_role("radio", name="Write").click()
    _axe_both(page, "ticket-new-filled")

    page.get_by_role("button", name="Submit ticket").click()
    expect(page).to_have_url(TICKET_URL, timeout=15_000)
    number = int(TICKET_URL.search(page.url).group(1))
    expect(page.get_by_text(f"Ticket #{number} filed")).to_be_visible()

    rows = q(
        db,
        "select t.id, t.type, t.impact, t.details, u.email from ticket t "
        "join user u on u.id = t.requester_id where t.number = :n",
        n=number,
    )
    assert len(rows) == 1
    tid, ttype, impact, details, email = rows[0]
    assert (ttype, impact, email) == ("incident", "high", REQUESTER)
    assert "Docking station" in details
    files_in_db = q(db, "select filename, content_type from attachment where ticket_id = :t", t=tid)
    assert files_in_db == [("screen.png", "image/png")]


def test_validation_errors_sit_next_to_fields_and_keep_the_text(page: Page, db):
    _new_ticket_form(page)
    _type_text(page, "Description", "Typed text that must stay")
    _choose(page, "Type", "Problem")
    _type_text(page, "Expected result", "It prints")
    page.get_by_role("button", name="Submit ticket").click()

    title = page.get_by_label("Title")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#ticket-title-error")).to_have_text("Enter a short title.")
    assert "ticket-title-error" in (title.get_attribute("aria-describedby") or "")
    expect(page.locator("#detail-steps-error")).to_have_text("Enter the steps to reproduce.")
    expect(page.locator("#detail-actual-error")).to_have_text("Enter the actual result.")
    expect(page.locator("#detail-expected-error")).to_have_count(0)
    expect(page.get_by_label("Description", exact=True)).to_have_value("Typed text that must stay")
    expect(page.get_by_label("Expected result")).to_have_value("It prints")
    _axe_both(page, "ticket-new-errors")

    # Fixing a field clears its message.
    _type_text(page, "Title", f"Fixed title {_tag()}")
    expect(page.locator("#ticket-title-error")).to_have_count(0)


def test_a_reload_keeps_the_draft(page: Page):
    _new_ticket_form(page)
    title = f"Draft survives a reload {_tag()}"
    _type_text(page, "Title", title)
    _type_text(page, "Description", "Half-written description")
    _choose(page, "Type", "Change request")
    _type_text(page, "Justification", "Because we need it")
    _wait_saved(page)
    page.reload()
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("Description", exact=True)).to_have_value("Half-written description")
    expect(page.get_by_label("Justification")).to_have_value("Because we need it")


def test_ten_seconds_offline_loses_nothing_typed(page: Page, db):
    line = DroppableSocket()
    page.route_web_socket(re.compile(r"/_event"), line.attach)
    _new_ticket_form(page)
    title = f"Typed while offline {_tag()}"
    line.drop()
    _type_text(page, "Title", title)
    _type_text(page, "Description", "The train went into a tunnel")
    page.wait_for_timeout(10_000)
    line.offline = False  # back online: the client reconnects and sends what was queued
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("Description", exact=True)).to_have_value(
        "The train went into a tunnel"
    )
    _wait_saved(page)
    page.get_by_role("button", name="Submit ticket").click()
    expect(page).to_have_url(TICKET_URL, timeout=30_000)
    rows = q(db, "select description from ticket where title = :t", t=title)
    assert rows == [("The train went into a tunnel",)]


def test_a_double_click_files_one_ticket(page: Page, db):
    _new_ticket_form(page)
    title = f"Double click {_tag()}"
    _type_text(page, "Title", title)
    _type_text(page, "Description", "Clicked twice in a hurry")
    _wait_saved(page)
    # Two clicks in the same tick, before React can disable the button.
    page.evaluate(
        """() => { const b = [...document.querySelectorAll('button')]
                     .find(x => x.textContent.trim() === 'Submit ticket');
                   b.click(); b.click(); }"""
    )
    expect(page).to_have_url(TICKET_URL, timeout=15_000)
    page.wait_for_timeout(1500)
    assert q(db, "select count(*) from ticket where title = :t", t=title)[0][0] == 1


def test_attachments_are_checked_and_can_be_removed(page: Page):
    _new_ticket_form(page)
    page.locator("input[type=file]").set_input_files(
        files=[
            {"name": "vpn.log", "mimeType": "text/plain", "buffer": b"12:00 tunnel down\n"},
            {"name": "fake.png", "mimeType": "image/png", "buffer": b"not an image at all"},
        ]
    )
    files = page.get_by_role("list", name="Chosen files")
    expect(files).to_contain_text("vpn.log")
    expect(files).not_to_contain_text("fake.png")
    expect(page.locator("#attachments-error")).to_contain_text(
        "fake.png: the content does not look like a .png file."
    )
    page.get_by_role("button", name="Remove vpn.log").click()
    expect(page.get_by_role("list", name="Chosen files")).to_have_count(0)
    expect(page.locator("#attachments-error")).to_have_count(0)


def test_the_form_adapts_to_the_type(page: Page):
    _new_ticket_form(page)
    incident = ["Affected service", "When it started"]
    problem = ["Steps to reproduce", "Expected result", "Actual result"]
    change = ["Desired date", "Justification"]
    cases = {
        "Incident": incident,
        "Problem": problem,
        "Change request": change,
        "Question": [],
        "Feature request": [],
    }
    for type_label, shown in cases.items():
        _choose(page, "Type", type_label)
        for label in incident + problem + change:
            expect(page.get_by_label(label, exact=True)).to_have_count(1 if label in shown else 0)


def test_staff_file_on_behalf_of_a_requester(page: Page, db):
    _new_ticket_form(page, AGENT)
    page.get_by_label("Requester").fill("hannah")
    page.get_by_role("button", name=re.compile("Hannah Schmidt")).click()
    expect(page.get_by_text("Hannah Schmidt <hannah.schmidt@example.com>")).to_be_visible()
    title = f"Filed for Hannah {_tag()}"
    _type_text(page, "Title", title)
    _type_text(page, "Description", "She called the desk")
    page.get_by_role("button", name="Submit ticket").click()
    expect(page).to_have_url(TICKET_URL, timeout=15_000)
    rows = q(
        db,
        "select u.email, c.email from ticket t join user u on u.id = t.requester_id "
        "join user c on c.id = t.created_by_id where t.title = :t",
        t=title,
    )
    assert rows == [("hannah.schmidt@example.com", AGENT)]


# --- deflection -----------------------------------------------------------------------------


def test_deflection_solved_files_nothing(page: Page, db):
    deflections = q(db, "select count(*) from kb_deflection")[0][0]
    tickets_before = q(db, "select count(*) from ticket")[0][0]
    _new_ticket_form(page)
    _type_text(page, "Title", "printer not printing")
    region = page.get_by_role("region", name="Suggested articles")
    first = region.get_by_role("button", name=re.compile("^Open article: "))
    expect(first.first).to_be_visible()
    expect(region).to_contain_text(re.compile("printer", re.I))
    assert first.count() <= 5
    _axe_both(page, "ticket-new-suggestions")
    first.first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("button", name="This solved my problem")).to_be_visible()
    expect(dialog.locator(".markdown-body")).not_to_be_empty()
    assert_accessible(page, "ticket-new-article")
    dialog.get_by_role("button", name="This solved my problem").click()
    expect(page).to_have_url(path_re("/portal"))
    expect(page.get_by_text("No ticket was filed")).to_be_visible()
    assert q(db, "select count(*) from kb_deflection")[0][0] == deflections + 1
    assert q(db, "select count(*) from ticket")[0][0] == tickets_before
    # The draft is gone.
    page.goto("/tickets/new")
    expect(page.get_by_label("Title")).to_have_value("")


def test_still_need_help_returns_to_the_form_intact(page: Page, db):
    _new_ticket_form(page)
    title = f"printer not printing on floor 3 {_tag()}"
    _type_text(page, "Title", title)
    _type_text(page, "Description", "The queue is stuck")
    region = page.get_by_role("region", name="Suggested articles")
    region.get_by_role("button", name=re.compile("^Open article: ")).first.click()
    page.get_by_role("dialog").get_by_role("button", name="I still need help").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("Description", exact=True)).to_have_value("The queue is stuck")
    page.get_by_role("button", name="Submit ticket").click()
    expect(page).to_have_url(TICKET_URL, timeout=15_000)
    assert q(db, "select count(*) from ticket where title = :t", t=title)[0][0] == 1


# --- portal ---------------------------------------------------------------------------------


def test_portal_searches_the_kb_and_lists_my_tickets(page: Page, db):
    sign_in(page, REQUESTER, expect_path="/portal")
    mine = q(
        db,
        "select count(*) from ticket t join user u on u.id = t.requester_id where u.email = :e",
        e=REQUESTER,
    )[0][0]
    table = page.get_by_role("table", name="Your tickets")
    expect(table.locator("tbody tr")).to_have_count(min(mine, 50))
    expect(page.get_by_role("link", name="New ticket").first).to_be_visible()
    page.get_by_label("Search the knowledge base").fill("pasword")
    results = page.get_by_role("list", name="Knowledge base results")
    link = results.get_by_role("link", name=re.compile("reset your password", re.I))
    expect(link.first).to_be_visible()
    expect(results.locator("mark").first).to_be_visible()
    assert (link.first.get_attribute("href") or "").startswith("/kb/")
    _axe_both(page, "portal")


def test_portal_empty_state_for_a_new_requester(page: Page):
    page.goto("/signup")
    page.get_by_label("Name").fill("Nina Newcomer")
    page.get_by_label("Email").fill(f"nina-{_tag()}@example.org")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(path_re("/portal"))
    expect(page.get_by_text("You have not filed any tickets yet.")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="New ticket").click()
    expect(page).to_have_url(path_re("/tickets/new"))


def test_portal_status_follows_an_agent_bulk_change(page: Page, new_page, db):
    number, status = q(
        db,
        "select t.number, t.status from ticket t join user u on u.id = t.requester_id "
        "where u.email = :e and t.status in ('new', 'open') order by t.number limit 1",
        e=REQUESTER,
    )[0]
    sign_in(page, REQUESTER, expect_path="/portal")
    row = page.locator(f'tr[data-ticket="{number}"]')
    expect(row).to_be_visible()

    agent = new_page()
    sign_in(agent, AGENT, expect_path="/board")
    agent.goto(f"/tickets?q={number}")
    agent.get_by_role("checkbox", name=f"Select #{number}").click()
    _choose(agent, "Set status", "In progress")
    agent.get_by_role("button", name="Apply set status to selected tickets").click()
    expect(agent.get_by_role("status", name="Bulk action result")).to_contain_text("1 updated")

    expect(row).to_contain_text("In progress", timeout=10_000)


# --- the agents' list -----------------------------------------------------------------------


def test_tickets_filters_live_in_the_url(page: Page, db):
    sign_in(page, AGENT, expect_path="/board")
    page.goto("/tickets")
    expect(page.get_by_role("table", name="Tickets")).to_be_visible()
    _axe_both(page, "tickets-list")
    _choose(page, "Status", "Open (not resolved or closed)")
    expect(page).to_have_url(re.compile(r"status=active"))
    _choose(page, "Priority", "High")
    expect(page).to_have_url(re.compile(r"priority=high"))
    total = q(
        db,
        "select count(*) from ticket where priority = 'high' "
        "and status in ('new', 'open', 'in_progress', 'waiting')",
    )[0][0]
    count_text = f"1–{min(total, 25)} of {total}"
    rows = page.get_by_role("table", name="Tickets").locator("tbody tr")
    expect(page.get_by_text(count_text)).to_be_visible()
    page.reload()
    expect(page.get_by_label("Priority", exact=True)).to_have_text("High")
    expect(page.get_by_label("Status", exact=True)).to_have_text("Open (not resolved or closed)")
    expect(page.get_by_text(count_text)).to_be_visible()
    for cell in rows.locator("td:nth-child(5)").all_inner_texts():
        assert cell == "High"

    page.get_by_role("button", name="Sort by number").click()
    expect(page).to_have_url(re.compile(r"sort=number&dir=asc"))
    page.get_by_label("Search tickets").fill("VPN")
    expect(page).to_have_url(re.compile(r"q=VPN"))

    page.get_by_role("button", name="My open").click()
    expect(page).to_have_url(re.compile(r"assignee=me"))
    expect(page.get_by_label("Assignee", exact=True)).to_have_text("Me")


def test_bulk_status_change_reports_each_ticket(page: Page, db):
    closed_no = q(db, "select number from ticket where status = 'closed' order by number")[0][0]
    open_no = q(db, "select number from ticket where status = 'open' order by number desc")[0][0]
    sign_in(page, AGENT, expect_path="/board")
    page.goto("/tickets")
    # The selection spans searches and pages.
    for n in (closed_no, open_no):
        page.get_by_label("Search tickets").fill(str(n))
        expect(page).to_have_url(re.compile(rf"q={n}"))
        page.get_by_role("checkbox", name=f"Select #{n}").click()
    expect(page.get_by_text("2 selected")).to_be_visible()
    _choose(page, "Set status", "Resolved")
    page.get_by_role("button", name="Apply set status to selected tickets").click()
    result = page.get_by_role("status", name="Bulk action result")
    expect(result).to_contain_text("1 updated, 1 refused.")
    refused = result.get_by_role("list", name="Refused tickets")
    expect(refused).to_contain_text(f"#{closed_no}: Can't move from Closed to Resolved")
    assert q(db, "select status from ticket where number = :n", n=open_no)[0][0] == "resolved"
    assert q(db, "select status from ticket where number = :n", n=closed_no)[0][0] == "closed"
    assert_accessible(page, "tickets-bulk-result")


def test_requester_is_refused_at_tickets(page: Page):
    sign_in(page, REQUESTER, expect_path="/portal")
    page.goto("/tickets")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("table", name="Tickets")).to_have_count(0)
    expect(page.get_by_role("link", name="Tickets", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="New ticket").first).to_be_visible()
