"""Ticket search end to end: an agent finds a ticket by a word only its reply holds (the ticket
list, with a highlighted snippet, and the board's filter box); a requester searching their own
tickets finds theirs, not another requester's, and never by an internal note's word."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import assert_accessible, sign_in
from ticketapp.db import make_engine
from ticketapp.models import User
from ticketapp.services import tickets
from ticketapp.services.actor import Actor

AGENT = "agent@example.com"
REQUESTER = "requester@example.com"
OTHER_REQUESTER = "hannah.schmidt@example.com"


@pytest.fixture(scope="module")
def words(app_server) -> dict[str, str]:
    """Riley's ticket with a reply word and an internal-note word, and Hannah's ticket; filed
    through the services (their session hook indexes them, as the app's writes are)."""
    tag = uuid.uuid4().hex[:6]
    w = {
        "title": f"Scanner upstairs {tag}",
        "reply": f"quokka{tag}",
        "note": f"okapi{tag}",
        "other": f"narwhal{tag}",
    }
    engine = make_engine(app_server.database_url)
    with Session(engine) as s:

        def actor(email: str) -> Actor:
            return Actor.of(s.exec(select(User).where(User.email == email)).one())

        agent, riley, hannah = actor(AGENT), actor(REQUESTER), actor(OTHER_REQUESTER)
        ref = tickets.create_ticket(s, riley, title=w["title"], description="It beeps.")
        tickets.add_comment(s, agent, ref.id, f"The {w['reply']} driver needs an update.")
        tickets.add_comment(s, agent, ref.id, f"Vendor case {w['note']}.", internal=True)
        tickets.create_ticket(s, hannah, title=f"Label printer {w['other']}", description="Hm.")
        s.commit()
        w["number"] = str(ref.number)
    engine.dispose()
    return w


def test_agent_finds_a_ticket_by_a_word_only_in_a_reply(page: Page, words):
    sign_in(page, AGENT, expect_path="/board")
    page.goto("/tickets")
    page.get_by_label("Search tickets").fill(words["reply"])
    row = page.get_by_role("row").filter(has_text=words["title"])
    expect(row).to_have_count(1)
    expect(row.locator("mark")).to_have_text(words["reply"])
    expect(page.get_by_role("row")).to_have_count(2)  # the header and the one ticket
    assert_accessible(page, "ticket-search-list")
    # The internal note's word finds it too, for staff.
    page.get_by_label("Search tickets").fill(words["note"])
    expect(page.get_by_role("row").filter(has_text=words["title"])).to_have_count(1)
    # By number, with and without "#".
    page.get_by_label("Search tickets").fill("#" + words["number"])
    expect(page.get_by_role("row").nth(1)).to_contain_text(words["title"])

    page.goto("/board")
    page.get_by_label("Search", exact=True).fill(words["reply"][:-1])  # still typing
    expect(page.get_by_text(words["title"])).to_be_visible()
    expect(page.get_by_text(words["other"])).to_have_count(0)
    assert_accessible(page, "ticket-search-board")


def test_requester_finds_only_their_own_tickets_and_no_note_words(page: Page, words):
    sign_in(page, REQUESTER, expect_path="/portal")
    box = page.get_by_label("Search your tickets")
    box.fill(words["reply"])
    table = page.get_by_role("table", name="Your tickets")
    expect(table.get_by_role("row").filter(has_text=words["title"])).to_have_count(1)
    expect(table.locator("mark")).to_have_text(words["reply"])
    assert_accessible(page, "ticket-search-portal")

    box.fill(words["note"])  # a word only in an internal note on Riley's own ticket
    expect(page.get_by_text("None of your tickets match. Try other words.")).to_be_visible()
    expect(page.get_by_text(words["title"])).to_have_count(0)

    box.fill(words["other"])  # Hannah's ticket
    expect(page.get_by_text("None of your tickets match. Try other words.")).to_be_visible()
    expect(page.get_by_text(words["other"])).to_have_count(0)
    assert_accessible(page, "ticket-search-portal-none")

    box.fill("")
    expect(table.get_by_role("row").filter(has_text=words["title"])).to_have_count(1)
