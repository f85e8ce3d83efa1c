"""Knowledge base in the browser: search as you type, articles, helpfulness votes, visibility,
the editor (create, edit, conflict, history, delete) and create-from-ticket."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import assert_accessible, path_re, sign_in

PRINTER_TITLE = "Printer shows as offline"
INTERNAL_TITLE = "New employee onboarding checklist"


def _db(app_server):
    return create_engine(app_server.database_url)


def _scalar(app_server, sql: str, **params):
    engine = _db(app_server)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def _row(app_server, sql: str, **params):
    engine = _db(app_server)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).first()
    finally:
        engine.dispose()


def _search(page: Page, query: str) -> None:
    box = page.get_by_label("Search the knowledge base")
    box.fill(query)


def _results(page: Page):
    return page.get_by_role("list", name="Results")


def _dark(page: Page) -> None:
    page.get_by_role("button", name="Toggle dark mode").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))


def test_requester_searches_opens_and_votes_once(page: Page, app_server):
    sign_in(page, "requester@example.com", expect_path="/portal")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Knowledge base").click()
    expect(page).to_have_url(path_re("/kb"))
    expect(page.get_by_role("heading", name="Knowledge base", level=1)).to_be_visible()
    # Empty box: categories with counts and the most helpful articles.
    expect(page.get_by_role("heading", name="Categories")).to_be_visible()
    expect(page.get_by_role("list", name="Most helpful articles")).to_be_visible()
    expect(page.get_by_role("button", name="New article")).to_have_count(0)
    page.mouse.move(5, 700)  # not hovering the nav link just clicked
    assert_accessible(page, "kb-overview")

    _search(page, "printers")
    results = _results(page)
    link = results.get_by_role("link", name=PRINTER_TITLE)
    expect(link).to_be_visible()
    # "printers" matches "Printer" (stemming) and the match is highlighted.
    expect(link.locator("mark")).to_have_text(re.compile(r"^printer", re.I))
    expect(results.locator(".kb-snippet mark").first).to_be_visible()
    assert_accessible(page, "kb-search-results")

    slug = _scalar(app_server, "SELECT slug FROM kb_article WHERE title = :t", t=PRINTER_TITLE)
    user_id = _scalar(
        app_server, 'SELECT id FROM "user" WHERE email = :e', e="requester@example.com"
    )
    yes_before = _scalar(app_server, "SELECT helpful_yes FROM kb_article WHERE slug = :s", s=slug)

    link.click()
    expect(page).to_have_url(path_re(f"/kb/{slug}"))
    expect(page.get_by_role("heading", name=PRINTER_TITLE, level=1)).to_be_visible()
    expect(page.get_by_role("article").get_by_text("Use Printer Offline")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Updated \d"))).to_be_visible()
    expect(page.get_by_role("button", name="Edit")).to_have_count(0)
    expect(page.get_by_role("heading", name="Related articles")).to_be_visible()

    yes = page.get_by_role("group", name="Was this helpful?").get_by_role("button", name="Yes")
    expect(yes).to_have_attribute("aria-pressed", "false")
    yes.click()
    expect(page.get_by_text("Thanks for your feedback!")).to_be_visible()
    expect(yes).to_have_attribute("aria-pressed", "true")

    page.reload()
    yes = page.get_by_role("group", name="Was this helpful?").get_by_role("button", name="Yes")
    expect(yes).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("You found this helpful.")).to_be_visible()
    yes.click()  # voting the same again changes nothing
    expect(page.get_by_text("Thanks for your feedback!").first).to_be_visible()

    article_id = _scalar(app_server, "SELECT id FROM kb_article WHERE slug = :s", s=slug)
    votes = _scalar(
        app_server,
        "SELECT count(*) FROM kb_feedback WHERE article_id = :a AND user_id = :u",
        a=article_id,
        u=user_id,
    )
    assert votes == 1
    yes_after = _scalar(
        app_server, "SELECT helpful_yes FROM kb_article WHERE id = :a", a=article_id
    )
    assert yes_after == yes_before + 1

    assert_accessible(page, "kb-article-light")
    _dark(page)
    assert_accessible(page, "kb-article-dark")
    page.goto("/kb")
    _search(page, "printer")
    expect(_results(page).get_by_role("link", name=PRINTER_TITLE)).to_be_visible()
    assert_accessible(page, "kb-search-dark")


def test_requester_never_sees_internal_articles(page: Page, app_server, new_page):
    slug = _scalar(app_server, "SELECT slug FROM kb_article WHERE title = :t", t=INTERNAL_TITLE)
    sign_in(page, "requester@example.com", expect_path="/portal")
    page.goto("/kb")
    _search(page, "onboarding checklist")
    expect(page.get_by_text("No articles match")).to_be_visible()
    expect(page.get_by_role("link", name="Open a ticket")).to_have_attribute("href", "/tickets/new")
    expect(page.get_by_role("link", name=INTERNAL_TITLE)).to_have_count(0)

    page.goto(f"/kb/{slug}")
    expect(page.get_by_role("heading", name="Article not found", level=1)).to_be_visible()
    expect(page.get_by_text("onboarding", exact=False)).to_have_count(0)

    page.goto("/kb/new")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()

    # The same search as an agent finds it, badged Internal.
    agent = new_page()
    sign_in(agent, "agent@example.com", expect_path="/board")
    agent.goto("/kb")
    _search(agent, "onboarding checklist")
    hit = _results(agent).get_by_role("listitem").filter(has_text=INTERNAL_TITLE)
    expect(hit).to_be_visible()
    expect(hit.get_by_text("Internal", exact=True)).to_be_visible()
    assert_accessible(agent, "kb-staff-search")


def test_category_filter(page: Page):
    sign_in(page, "requester@example.com", expect_path="/portal")
    page.goto("/kb")
    page.get_by_role("button", name=re.compile(r"^Printing")).click()
    listed = page.get_by_role("list", name="Articles in Printing")
    expect(listed.get_by_role("link", name=PRINTER_TITLE)).to_be_visible()
    expect(listed.get_by_role("link", name=re.compile("VPN"))).to_have_count(0)
    # With a query, the filter narrows the results too.
    _search(page, "connect")
    expect(page.get_by_text("No articles match")).to_be_visible()
    expect(page.get_by_text("or all categories")).to_be_visible()
    page.get_by_label("Category").click()
    page.get_by_role("option", name=re.compile(r"^All categories")).click()
    expect(_results(page).get_by_role("link", name=re.compile("VPN")).first).to_be_visible()


def test_agent_writes_edits_and_deletes_an_article(page: Page, app_server, new_page):
    first_word = "zorblat" + uuid.uuid4().hex[:6]
    new_word = "quixel" + uuid.uuid4().hex[:6]
    title = f"Projector flickers {uuid.uuid4().hex[:4]}"

    sign_in(page, "agent@example.com", expect_path="/board")
    page.goto("/kb")
    page.get_by_role("button", name="New article").click()
    expect(page).to_have_url(path_re("/kb/new"))
    expect(page.get_by_role("heading", name="New article", level=1)).to_be_visible()
    assert_accessible(page, "kb-editor-light")

    # Validation next to the field; nothing typed is lost.
    page.get_by_label("Body").fill(f"Turn the projector off and on. The {first_word} cable.")
    page.get_by_role("button", name="Create article").click()
    expect(page.locator("#kb-title-error")).to_have_text("This field is required.")
    expect(page.get_by_label("Body")).to_have_value(re.compile(first_word))

    page.get_by_label("Title").fill(title)
    page.get_by_label("Body").fill(
        f"**Turn the projector off** and on. The {first_word} cable.\n\n- check the input"
    )
    page.get_by_label("Status").click()
    page.get_by_role("option", name="Published").click()
    page.get_by_label("Tags").fill("projector, meeting room")
    page.get_by_role("tab", name="Preview").click()
    expect(page.locator(".kb-prose strong")).to_have_text("Turn the projector off")
    _dark(page)
    assert_accessible(page, "kb-editor-dark-preview")
    page.get_by_role("tab", name="Write").click()
    page.get_by_role("button", name="Create article").click()
    expect(page.get_by_text("Article created.")).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    slug = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_text("No earlier versions")).to_be_visible()

    # Edit: the new wording is searchable at once, the old one no longer.
    page.get_by_role("button", name="Edit").click()
    expect(page).to_have_url(path_re(f"/kb/{slug}/edit"))
    body = page.get_by_label("Body")
    expect(body).to_have_value(re.compile(first_word))
    body.fill(f"Unplug the {new_word} adapter, wait ten seconds, plug it back in.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Article saved.")).to_be_visible()
    expect(page).to_have_url(path_re(f"/kb/{slug}"))
    expect(page.get_by_role("article").get_by_text(new_word, exact=False)).to_be_visible()

    page.goto("/kb")
    _search(page, new_word)
    expect(_results(page).get_by_role("link", name=title)).to_be_visible()
    expect(_results(page).locator("mark").filter(has_text=new_word)).to_be_visible()
    _search(page, first_word)
    expect(page.get_by_text("No articles match")).to_be_visible()

    # Version history: who / when, and the previous text.
    page.goto(f"/kb/{slug}")
    history = page.get_by_role("region", name="Version history")
    expect(history.get_by_role("row").filter(has_text="Version 1")).to_contain_text("Alex Agent")
    page.get_by_role("button", name="View version 1").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(first_word)
    expect(dialog.locator("strong")).to_have_text("Turn the projector off")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)

    # Delete asks first; Cancel keeps the article.
    page.get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Delete this article?")
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_have_count(0)
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete article").click()
    expect(page).to_have_url(path_re("/kb"))
    expect(page.get_by_text(f"Deleted “{title}”.")).to_be_visible()
    _search(page, new_word)
    expect(page.get_by_text("No articles match")).to_be_visible()
    assert _scalar(app_server, "SELECT count(*) FROM kb_article WHERE slug = :s", s=slug) == 0
    page.goto(f"/kb/{slug}")
    expect(page.get_by_role("heading", name="Article not found", level=1)).to_be_visible()


def test_conflicting_edit_keeps_the_text_on_screen(page: Page, app_server, new_page):
    title = "Install a printer driver"
    slug = _scalar(app_server, "SELECT slug FROM kb_article WHERE title = :t", t=title)
    mine = "My careful rewrite " + uuid.uuid4().hex[:6]

    sign_in(page, "agent@example.com", expect_path="/board")
    page.goto(f"/kb/{slug}/edit")
    expect(page.get_by_label("Title")).to_have_value(title)

    other = new_page()
    sign_in(other, "manager@example.com", expect_path="/analytics")
    other.goto(f"/kb/{slug}/edit")
    expect(other.get_by_label("Tags")).to_have_value(re.compile("printer"))
    other.get_by_label("Tags").fill("printer, driver, install, add printer, drivers")
    other.get_by_role("button", name="Save changes").click()
    expect(other.get_by_text("Article saved.")).to_be_visible()

    page.get_by_label("Body").fill(mine)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Someone else changed this article")).to_be_visible()
    expect(page.get_by_label("Body")).to_have_value(mine)
    assert_accessible(page, "kb-editor-conflict")
    page.get_by_role("button", name="Save mine anyway").click()
    expect(page.get_by_text("Article saved.")).to_be_visible()
    expect(page.get_by_role("article")).to_contain_text(mine)


def test_create_article_from_resolved_ticket(page: Page, app_server):
    row = _row(
        app_server,
        """SELECT t.number, t.title FROM ticket t
           WHERE t.status = 'resolved'
             AND EXISTS (SELECT 1 FROM comment c WHERE c.ticket_id = t.id AND c.is_internal)
             AND EXISTS (SELECT 1 FROM comment c WHERE c.ticket_id = t.id AND NOT c.is_internal)
           ORDER BY t.number LIMIT 1""",
    )
    assert row is not None, "demo data has a resolved ticket with public replies and notes"
    number, ticket_title = row
    public = _scalar(
        app_server,
        "SELECT c.body FROM comment c JOIN ticket t ON t.id = c.ticket_id "
        "WHERE t.number = :n AND NOT c.is_internal ORDER BY c.id LIMIT 1",
        n=number,
    )
    internal = _scalar(
        app_server,
        "SELECT c.body FROM comment c JOIN ticket t ON t.id = c.ticket_id "
        "WHERE t.number = :n AND c.is_internal ORDER BY c.id LIMIT 1",
        n=number,
    )

    sign_in(page, "agent@example.com", expect_path="/board")
    page.goto(f"/kb/new?from_ticket={number}")
    expect(page.get_by_text(f"Prefilled from ticket #{number}")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(ticket_title)
    body = page.get_by_label("Body").input_value()
    assert "## Problem" in body
    assert public.strip()[:40] in body
    assert internal.strip()[:40] not in body

    # The link picker puts a markdown link to an article into the body.
    page.get_by_role("button", name="Link an article").click()
    page.get_by_label("Search articles to link").fill("printer offline")
    page.get_by_role("list", name="Articles").get_by_role("button").first.click()
    expect(page.get_by_label("Body")).to_have_value(re.compile(r"\[[^\]]+\]\(/kb/[a-z0-9-]+\)"))
