"""Requester context end to end: a manager creates an organisation with an e-mail domain; a new
requester signing up at that domain joins it and files a ticket; an agent opens the requester's
profile from the ticket page and adds a note; the list filters by organisation; staff see
possible duplicates on the filing form (requesters do not). Every page axe-checked."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, open_admin_page, path_re, sign_in

MANAGER = "manager@example.com"
AGENT = "agent@example.com"
REQUESTER = "requester@example.com"
TICKET_URL = re.compile(r"/tickets/(\d+)/?$")


@pytest.fixture(scope="module")
def org() -> dict[str, str]:
    tag = uuid.uuid4().hex[:6]
    return {
        "name": f"Globex {tag}",
        "domain": f"globex{tag}.test",
        "email": f"jane.{tag}@globex{tag}.test",
        "title": f"Badge reader rejects card {tag}",
        "tag": tag,
    }


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_manager_creates_an_organisation_and_a_new_requester_joins_it(page: Page, new_page, org):
    sign_in(page, MANAGER, expect_path="/analytics")
    open_admin_page(page, "Users")
    page.get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", name="Organisations", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile("No organisations yet"))).to_be_visible()
    page.get_by_role("button", name="New organisation").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(org["name"])
    dialog.get_by_label("E-mail domains").fill("not a domain")
    dialog.get_by_role("button", name="Save organisation").click()
    expect(dialog.get_by_role("alert")).to_contain_text("is not a domain")
    expect(dialog.get_by_label("Name")).to_have_value(org["name"])  # nothing lost
    assert_accessible(page, "organisations-dialog-error")
    dialog.get_by_label("E-mail domains").fill(org["domain"])
    dialog.get_by_role("button", name="Save organisation").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    row = page.get_by_role("row").filter(has_text=org["name"])
    expect(row).to_contain_text(org["domain"])
    # A second organisation cannot take the same domain: the message is next to the field.
    page.get_by_role("button", name="New organisation").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill(f"Copycat {org['tag']}")
    dialog.get_by_label("E-mail domains").fill(org["domain"])
    dialog.get_by_role("button", name="Save organisation").click()
    expect(dialog.get_by_role("alert")).to_contain_text(f"already belongs to {org['name']}")
    dialog.get_by_role("button", name="Cancel").click()
    assert_accessible(page, "organisations")

    # A new requester at that domain signs up and files a ticket.
    jane = new_page()
    jane.goto("/signup")
    jane.get_by_label("Name").fill("Jane Globex")
    jane.get_by_label("Email").fill(org["email"])
    jane.get_by_label("Password").fill("correct horse battery staple")
    jane.get_by_role("button", name="Create account").click()
    expect(jane).to_have_url(path_re("/portal"), timeout=15_000)
    jane.goto("/tickets/new")
    jane.get_by_label("Title", exact=True).fill(org["title"])
    jane.get_by_label("Description", exact=True).fill("The reader at the side door beeps red.")
    # Requesters never see the possible duplicates panel.
    expect(jane.get_by_role("region", name="Suggested articles")).to_be_visible()
    expect(jane.get_by_role("region", name="Possible duplicates")).to_have_count(0)
    jane.get_by_role("button", name="Submit ticket").click()
    expect(jane).to_have_url(TICKET_URL, timeout=15_000)

    # The organisation counts her as a member.
    page.reload()
    expect(page.get_by_role("row").filter(has_text=org["name"])).to_contain_text("1 ticket")


def test_agent_opens_the_requester_profile_from_a_ticket_and_adds_a_note(page: Page, org):
    sign_in(page, AGENT, expect_path="/board")
    page.goto("/tickets")
    _choose(page, "Organisation", org["name"])
    rows = page.get_by_role("row")
    expect(rows).to_have_count(2)  # the header and Jane's ticket
    expect(rows.nth(1)).to_contain_text(org["title"])
    assert_accessible(page, "tickets-by-organisation")
    rows.nth(1).get_by_role("link").first.click()
    expect(page).to_have_url(TICKET_URL)
    page.get_by_role("link", name="Jane Globex").click()
    expect(page).to_have_url(re.compile(r"/people/\d+/?$"))
    expect(page.get_by_role("heading", name="Jane Globex", level=1)).to_be_visible()
    expect(page.get_by_text(org["email"])).to_be_visible()
    expect(page.get_by_text(org["name"])).to_be_visible()
    expect(page.get_by_role("table", name="Tickets filed by this person")).to_contain_text(
        org["title"]
    )
    expect(page.get_by_text("No notes yet.")).to_be_visible()
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("alert")).to_contain_text("Write the note first.")
    page.get_by_label("Add a note").fill("Prefers a call before 10:00.")
    page.get_by_role("button", name="Add note").click()
    notes = page.get_by_role("list", name="Notes")
    expect(notes).to_contain_text("Prefers a call before 10:00.")
    expect(notes).to_contain_text("Alex Agent")
    expect(page.get_by_label("Add a note")).to_have_value("")
    # Edit it.
    notes.get_by_role("button", name=re.compile("^Edit note")).click()
    page.get_by_label("Edit note").fill("Prefers a call before 11:00.")
    page.get_by_role("button", name="Save note").click()
    expect(notes).to_contain_text("Prefers a call before 11:00.")
    expect(notes).to_contain_text("edited")
    assert_accessible(page, "requester-profile")


def test_staff_see_possible_duplicates_on_the_new_ticket_form(page: Page, org):
    sign_in(page, AGENT, expect_path="/board")
    page.goto("/tickets/new")
    expect(page.get_by_label("Title", exact=True)).to_be_editable()
    page.get_by_label("Title", exact=True).fill(f"badge reader {org['tag']}")
    region = page.get_by_role("region", name="Possible duplicates")
    link = region.get_by_role("link", name=re.compile(re.escape(org["title"])))
    expect(link).to_be_visible()
    expect(region).to_contain_text("Jane Globex")
    assert re.search(r"/tickets/\d+$", link.get_attribute("href") or "")
    assert_accessible(page, "ticket-new-duplicates")


def test_manager_filters_analytics_by_organisation(page: Page, org):
    sign_in(page, MANAGER, expect_path="/analytics")
    _choose(page, "Organisation", org["name"])
    expect(page).to_have_url(re.compile(r"/analytics/?\?.*organisation=\d+"))
    expect(page.get_by_label("Organisation", exact=True)).to_have_text(org["name"])
    assert_accessible(page, "analytics-by-organisation")


def test_requesters_cannot_open_profiles_or_organisations(page: Page):
    sign_in(page, REQUESTER, expect_path="/portal")
    for path in ("/people/1", "/admin/organisations"):
        page.goto(path)
        expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
