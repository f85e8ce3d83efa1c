"""The interface in the users' languages, as a Russian-, Polish- or Latvian-speaking person uses it.

Every expected text is looked up in the shipped catalogs (never typed here), and each page is
also checked as a whole: no English UI text left on it (any multi-word msgid of the catalogs
that still reads in English), axe-clean, and nothing wider than the window, in a desktop and a
phone-sized window (Russian words are long).
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import DEMO_PASSWORD, assert_accessible, path_re
from tests.e2e.test_ticket_detail import REQUESTER, demo_ticket
from ticketapp import i18n
from ticketapp.i18n import build

AGENT = "agent@example.com"
MANAGER = "manager@example.com"
PHONE = {"width": 390, "height": 844}


def tr(locale: str, msgid: str, **params) -> str:
    text = i18n.translations(locale).gettext(msgid)
    assert text != msgid, f"{msgid!r} has no {locale} translation"
    return text.format(**params) if params else text


def _english_ui_text() -> list[str]:
    """Multi-word UI msgids without placeholders: on a translated page none may show."""
    found = []
    for message in build.read(build.po_path("ru"), "ru"):
        msgid = message.id if isinstance(message.id, str) else ""
        if msgid and "{" not in msgid and len(msgid.split()) >= 2 and len(msgid) >= 12:
            found.append(msgid)
    return found


ENGLISH = _english_ui_text()


def assert_in_language(page: Page, name: str) -> None:
    """No English UI text on the page, axe-clean, and nothing overflows the window."""
    body = page.locator("body").inner_text()
    left = [msgid for msgid in ENGLISH if msgid in body]
    assert not left, f"{name}: English UI text on a translated page: {left[:10]}"
    assert_accessible(page, name)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name}: the page is {overflow}px wider than the window"


def _context(browser: Browser, app_server, locale: str, viewport=None):
    return browser.new_context(
        base_url=app_server.base_url,
        locale=locale,
        viewport=viewport or {"width": 1280, "height": 800},
    )


def _sign_in(page: Page, locale: str, email: str, home: str) -> None:
    page.goto("/login")
    expect(page.get_by_role("heading", name=tr(locale, "Sign in"))).to_be_visible()
    page.get_by_label(tr(locale, "Email")).fill(email)
    page.get_by_label(tr(locale, "Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=tr(locale, "Sign in")).click()
    expect(page).to_have_url(path_re(home), timeout=15_000)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_requester_files_and_follows_a_ticket_in_russian(browser, app_server, viewport):
    context = _context(browser, app_server, "ru-RU", viewport)
    page = context.new_page()
    try:
        page.goto("/login")
        # The prerendered page is English until the browser has applied the tab's language.
        expect(page.get_by_role("heading", name=tr("ru", "Sign in"))).to_be_visible()
        assert_in_language(page, f"ru-login-{'phone' if viewport else 'desktop'}")
        _sign_in(page, "ru", REQUESTER, "/portal")
        expect(page.get_by_role("link", name=tr("ru", "My tickets"))).to_be_visible()
        assert_in_language(page, f"ru-portal-{'phone' if viewport else 'desktop'}")
        if viewport:
            return
        page.goto("/tickets/new")
        title = f"Не печатает принтер {uuid.uuid4().hex[:6]}"
        page.get_by_label(tr("ru", "Title")).fill(title)
        page.get_by_label(tr("ru", "Description")).fill("Принтер на третьем этаже молчит с утра.")
        assert_in_language(page, "ru-ticket-new")
        page.get_by_role("button", name=tr("ru", "Submit ticket")).click()
        expect(page).to_have_url(re.compile(r"/tickets/\d+/?$"), timeout=15_000)
        expect(page.get_by_role("heading", name=title)).to_be_visible()
        assert_in_language(page, "ru-ticket-requester")
    finally:
        context.close()


def test_an_agent_works_the_board_and_a_ticket_in_russian(browser, app_server):
    context = _context(browser, app_server, "ru-RU")
    page = context.new_page()
    try:
        _sign_in(page, "ru", AGENT, "/board")
        for status in ("New", "In progress", "Waiting on requester"):
            expect(page.get_by_role("region", name=tr("ru", status), exact=True)).to_be_visible()
        assert_in_language(page, "ru-board")
        number, _title = demo_ticket(app_server, None)  # the demo requester's are for others
        page.goto(f"/tickets/{number}")
        expect(page.get_by_text(f"#{number}").first).to_be_visible()
        assert_in_language(page, "ru-ticket-agent")
        # Text the server wrote earlier (the SLA clock log, routing reasons in the history) is
        # stored language-neutral and reads in Russian too.
        if _has_sla_policy(app_server, number):
            page.get_by_text(tr("ru", "SLA clock log")).click()
            log = page.get_by_role("list", name=tr("ru", "SLA clock log"))
            expect(log).to_contain_text(tr("ru", "Clock started"))
        else:
            expect(
                page.get_by_text(tr("ru", "No SLA policy applies to this ticket."))
            ).to_be_visible()
        page.get_by_role("tab", name=tr("ru", "History")).click()
        expect(page.get_by_text(tr("ru", "Created the ticket")).first).to_be_visible()
        assert_in_language(page, "ru-ticket-agent-history")
    finally:
        context.close()


def _has_sla_policy(app_server, number: int) -> bool:
    engine = create_engine(app_server.database_url)
    try:
        with engine.connect() as conn:
            policy = conn.execute(
                text("SELECT sla_policy_id FROM ticket WHERE number = :n"), {"n": number}
            ).scalar()
    finally:
        engine.dispose()
    return policy is not None


def test_a_manager_reads_analytics_in_russian(browser, app_server):
    """One dashboard serves every viewer: its numbers' words are translated in the browser."""
    context = _context(browser, app_server, "ru-RU")
    page = context.new_page()
    try:
        _sign_in(page, "ru", MANAGER, "/analytics")
        expect(page.get_by_test_id("kpi-value-backlog")).to_have_text(re.compile(r"^\d+$"))
        satisfaction = page.get_by_test_id("kpi-satisfaction")
        expect(satisfaction).to_contain_text(re.compile(r"\d+ оцен(ка|ки|ок)"))
        answered = tr("ru", "{answered} answered, {unanswered} not yet").split("{")[0]
        expect(page.get_by_test_id("kpi-median_first_response")).to_contain_text(answered)
        assert_in_language(page, "ru-analytics")
    finally:
        context.close()


def test_a_manager_reads_analytics_in_latvian(browser, app_server):
    context = _context(browser, app_server, "lv-LV")
    page = context.new_page()
    try:
        _sign_in(page, "lv", MANAGER, "/analytics")
        expect(page.get_by_test_id("kpi-value-backlog")).to_have_text(re.compile(r"^\d+$"))
        assert_in_language(page, "lv-analytics")
    finally:
        context.close()


def _open_language_menu(page: Page) -> None:
    """The sign-in page's language switcher (a click the page takes while it hydrates, before
    the select listens, is repeated)."""
    for _attempt in range(3):
        page.get_by_label("Language").click()
        try:
            expect(page.get_by_role("listbox")).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            continue
    expect(page.get_by_role("listbox")).to_be_visible()


def test_the_switcher_and_the_setting_choose_the_language(browser, app_server):
    context = _context(browser, app_server, "en-US")
    page = context.new_page()
    email = f"olga.{uuid.uuid4().hex[:6]}@example.com"
    try:
        page.goto("/login")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        _open_language_menu(page)
        page.get_by_role("option", name="Русский").click()
        expect(page.get_by_role("heading", name=tr("ru", "Sign in"))).to_be_visible()

        page.get_by_role("link", name=tr("ru", "Create an account")).click()
        page.get_by_label(tr("ru", "Name")).fill("Ольга Петрова")
        page.get_by_label(tr("ru", "Email")).fill(email)
        page.get_by_label(tr("ru", "Password")).fill("ясный кот гуляет по крыше")
        page.get_by_role("button", name=tr("ru", "Create account")).click()
        expect(page).to_have_url(path_re("/portal"), timeout=15_000)
        expect(page.get_by_role("link", name=tr("ru", "My tickets"))).to_be_visible()

        page.goto("/settings")
        page.get_by_label(tr("ru", "Interface language")).click()
        page.get_by_role("option", name="Polski").click()
        expect(page.get_by_text(tr("pl", "Language saved."))).to_be_visible()
        expect(page.get_by_role("link", name=tr("pl", "My tickets"))).to_be_visible()
        assert_in_language(page, "pl-settings")
    finally:
        context.close()

    # Another browser, set to English: once signed in, the user's own setting wins.
    context = _context(browser, app_server, "en-US")
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill("ясный кот гуляет по крыше")
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(path_re("/portal"), timeout=15_000)
        expect(page.get_by_role("link", name=tr("pl", "My tickets"))).to_be_visible()
    finally:
        context.close()
