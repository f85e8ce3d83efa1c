"""Custom fields and tags in the browser: a manager adds a field to Incident at /admin/fields and
a requester files an incident with it; an agent tags tickets with autocomplete and filters the
list by the tag. Every page touched is checked with axe (light and dark)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import assert_accessible, path_re, q, sign_in

MANAGER = "manager@example.com"
AGENT = "agent@example.com"
REQUESTER = "requester@example.com"
TICKET_URL = re.compile(r"/tickets/(\d+)/?$")


@pytest.fixture(scope="module")
def db(app_server):
    engine = create_engine(app_server.database_url)
    yield engine
    # A required Incident field would stop other tests from filing incidents: archive ours.
    with engine.begin() as conn:
        conn.execute(text("UPDATE custom_field SET active = false WHERE label LIKE 'Office %'"))
    engine.dispose()


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def _axe_both(page: Page, name: str) -> None:
    assert_accessible(page, f"{name}-light")
    page.get_by_role("button", name="Toggle dark mode").click()
    page.wait_for_timeout(400)
    assert_accessible(page, f"{name}-dark")
    page.get_by_role("button", name="Toggle dark mode").click()


def test_manager_adds_an_incident_field_and_a_requester_files_with_it(page: Page, new_page, db):
    label = f"Office {uuid.uuid4().hex[:6]}"
    sign_in(page, MANAGER)
    page.wait_for_url(re.compile(r"/(board|analytics|tickets)/?$"))
    page.goto("/admin/fields")
    expect(page.get_by_role("heading", name="Custom fields", level=1)).to_be_visible()
    page.get_by_role("button", name="New field").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(label)
    _choose(page, "Ticket type", "Incident")
    _choose(page, "Field type", "Single select")
    dialog.get_by_label("Options").fill("Riga\nOslo")
    dialog.get_by_label("Required").check()
    assert_accessible(page, "admin-fields-dialog")  # (the modal hides the theme toggle)
    dialog.get_by_role("button", name="Save field").click()
    expect(page.get_by_text(f"Field “{label}” saved.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=label)
    expect(row).to_contain_text("Incident")
    expect(row).to_contain_text("Single select")
    expect(row).to_contain_text("required, visible to requesters")
    _axe_both(page, "admin-fields")

    requester = new_page()
    sign_in(requester, REQUESTER)
    requester.wait_for_url(path_re("/portal"))
    requester.goto("/tickets/new")
    expect(requester.get_by_label("Title")).to_be_editable()
    requester.get_by_label("Title", exact=True).fill(f"Printer offline at the office {label}")
    requester.get_by_label("Description", exact=True).fill("Nothing prints since 9.")
    _choose(requester, "Type", "Incident")
    requester.get_by_label("Affected service", exact=True).fill("Printing")
    requester.get_by_label("When it started", exact=True).fill("2026-12-07T09:30")
    field = requester.get_by_label(label)
    expect(field).to_be_visible()
    requester.get_by_role("button", name="Submit ticket").click()
    expect(field).to_have_attribute("aria-invalid", "true")
    error = requester.locator(f"#{field.get_attribute('id')}-error")
    expect(error).to_have_text(f"{label} is required.")
    field.select_option("Oslo")
    # The field's value is in the tab's draft with the rest of the form: a reload that gets a
    # fresh server state (a new Reflex token, as a reconnect may) still shows it.
    requester.wait_for_function(
        "() => (sessionStorage.getItem('ticketapp-new-ticket-fields') || '').includes('Oslo')"
    )
    requester.evaluate("sessionStorage.removeItem('token')")
    requester.reload()
    expect(requester.get_by_label("Affected service", exact=True)).to_have_value("Printing")
    expect(field).to_have_value("Oslo")
    _axe_both(requester, "ticket-new-custom-field")
    requester.get_by_role("button", name="Submit ticket").click()
    expect(requester).to_have_url(TICKET_URL, timeout=15_000)
    number = int(TICKET_URL.search(requester.url).group(1))
    panel = requester.get_by_role("heading", name="Custom fields").locator("xpath=..")
    expect(panel).to_contain_text(label)
    expect(panel).to_contain_text("Oslo")
    expect(requester.get_by_role("heading", name="Tags")).to_have_count(0)  # staff-only
    _axe_both(requester, "ticket-custom-field-requester")
    stored = q(
        db,
        "SELECT v.value FROM custom_field_value v JOIN ticket t ON t.id = v.ticket_id "
        "JOIN custom_field f ON f.id = v.field_id WHERE t.number = :n AND f.label = :l",
        n=number,
        l=label,
    )
    assert stored == [("Oslo",)]

    # Staff edit it on the ticket page: the change is saved and written to history.
    page.goto(f"/tickets/{number}")
    staff_field = page.get_by_label(label)
    expect(staff_field).to_have_value("Oslo")
    staff_field.select_option("Riga")
    page.get_by_role("button", name="Save fields").click()
    expect(page.get_by_text("Fields saved.")).to_be_visible()
    page.get_by_role("tab", name="History").click()
    expect(page.get_by_role("tabpanel")).to_contain_text(f"Changed {label}")


def test_agent_tags_with_autocomplete_and_filters_the_list(page: Page, db):
    tag = f"vpn-{uuid.uuid4().hex[:6]}"
    first, second = [r[0] for r in q(db, "SELECT number FROM ticket ORDER BY id LIMIT 2")]
    sign_in(page, AGENT)
    page.wait_for_url(re.compile(r"/(board|tickets)/?$"))

    page.goto(f"/tickets/{first}")
    tag_box = page.get_by_label("Add a tag")
    tag_box.fill(tag.upper())
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Tag added.")).to_be_visible()
    tags = page.get_by_role("group", name="Tags of this ticket")
    expect(tags).to_contain_text(tag)

    page.goto(f"/tickets/{second}")
    tag_box = page.get_by_label("Add a tag")
    tag_box.press_sequentially(tag[:6], delay=60)
    suggestion = page.get_by_role("button", name=f"Use tag {tag}")
    expect(suggestion).to_be_visible()
    _axe_both(page, "ticket-tags-autocomplete")
    suggestion.click()
    expect(page.get_by_role("group", name="Tags of this ticket")).to_contain_text(tag)
    page.get_by_role("tab", name="History").click()
    expect(page.get_by_role("tabpanel")).to_contain_text("Added a tag")

    page.goto("/tickets")
    page.get_by_label("Tag", exact=True).fill(tag)
    expect(page).to_have_url(re.compile(rf"tag={tag}"), timeout=10_000)
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and the two tagged tickets
    expect(table.get_by_role("link", name=f"#{first}", exact=True)).to_be_visible()
    expect(table.get_by_role("link", name=f"#{second}", exact=True)).to_be_visible()
    _axe_both(page, "tickets-filtered-by-tag")
    # The Tags column (off by default): each tag links to the list of its tickets.
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("dialog", name="Columns to show").get_by_role("checkbox", name="Tags").click()
    page.keyboard.press("Escape")
    expect(table.get_by_role("columnheader", name="Tags")).to_be_visible()
    number_link = page.get_by_role("link", name=f"#{first}", exact=True)
    row = table.get_by_role("row").filter(has=number_link)
    badge = row.get_by_role("link", name=f"Tickets tagged {tag}")
    expect(badge).to_have_attribute("href", f"/tickets?tag={tag}")
    _axe_both(page, "tickets-tags-column")
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("button", name="Reset to default").click()  # (Alex's columns: other tests)
    page.keyboard.press("Escape")
    expect(table.get_by_role("columnheader", name="Tags")).to_have_count(0)

    # Removing the tag takes the ticket out of the filtered list.
    page.goto(f"/tickets/{second}")
    page.get_by_role("button", name=f"Remove tag {tag}").click()
    expect(page.get_by_text("Tag removed.")).to_be_visible()
    page.goto(f"/tickets?tag={tag}")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)


def test_bulk_tagging_and_a_manager_renames_the_tag(page: Page, new_page, db):
    tag = f"bulk-{uuid.uuid4().hex[:6]}"
    sign_in(page, AGENT)
    page.wait_for_url(re.compile(r"/(board|tickets)/?$"))
    page.goto("/tickets")
    headers = page.get_by_role("table").get_by_role("rowheader")
    expect(headers.nth(1)).to_be_visible()
    third, fourth = (headers.nth(i).inner_text().strip().lstrip("#") for i in (0, 1))
    for number in (third, fourth):
        box = page.get_by_role("checkbox", name=f"Select #{number}", exact=True)
        box.click()
        expect(box).to_be_checked()
    page.get_by_label("Add tag", exact=True).fill(tag)
    page.get_by_role("button", name="Add the tag to selected tickets").click()
    expect(page.get_by_role("status", name="Bulk action result")).to_contain_text("2 updated")

    manager = new_page()
    sign_in(manager, MANAGER)
    manager.wait_for_url(re.compile(r"/(board|analytics|tickets)/?$"))
    manager.goto("/admin/tags")
    row = manager.get_by_role("row").filter(has_text=tag)
    expect(row).to_contain_text("2")
    _axe_both(manager, "admin-tags")
    row.get_by_role("button", name=f"Rename {tag}").click()
    manager.get_by_label("New name").fill(f"{tag}-renamed")
    manager.get_by_role("button", name="Rename", exact=True).click()
    expect(manager.get_by_text("Tag renamed.")).to_be_visible()
    expect(manager.get_by_role("row").filter(has_text=f"{tag}-renamed")).to_contain_text("2")

    page.goto(f"/tickets?tag={tag}-renamed")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(3)


def test_agent_tags_a_card_from_its_menu_on_the_board(page: Page, db):
    tag = f"board-{uuid.uuid4().hex[:6]}"
    [number] = [
        r[0]
        for r in q(
            db,
            "SELECT number FROM ticket WHERE status = 'open' AND merged_into_id IS NULL "
            "ORDER BY number DESC LIMIT 1",
        )
    ]
    sign_in(page, AGENT, expect_path="/board")
    page.get_by_label("Search", exact=True).fill(f"#{number}")
    page.get_by_role("button", name=f"Move #{number}").click()
    page.get_by_role("menuitem", name="Tags and details…").click()
    panel = page.get_by_role("complementary", name="Ticket summary")
    expect(panel.get_by_role("heading", name=f"#{number}")).to_be_visible()
    panel.get_by_label("Add a tag").fill(tag)
    panel.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Tag added.")).to_be_visible()
    expect(panel.get_by_role("group", name="Tags of this ticket")).to_contain_text(tag)
    assert_accessible(page, "board-card-tags")
    tagged = q(
        db,
        "SELECT count(*) FROM ticket_tag tt JOIN tag g ON g.id = tt.tag_id "
        "JOIN ticket t ON t.id = tt.ticket_id WHERE t.number = :n AND g.name = :g",
        n=number,
        g=tag,
    )[0][0]
    assert tagged == 1
    panel.get_by_role("button", name=f"Remove tag {tag}").click()
    expect(page.get_by_text("Tag removed.")).to_be_visible()
    expect(panel.get_by_role("button", name=f"Remove tag {tag}")).to_have_count(0)
