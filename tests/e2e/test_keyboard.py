"""Speed for agents: the command palette (Ctrl/Cmd-K), the list's j/k/Enter, the ticket page's
r/n/a/e, the shortcut help (?), the column chooser, and a ticket list that scrolls sideways
instead of cutting its SLA column off, all by keyboard and axe-clean."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    assert_accessible,
    close_checking_csp,
    path_re,
    sign_in,
    wait_for_shortcuts,
    watch_csp,
)

AGENT = "agent@example.com"
PRIYA = "priya.raman@example.com"  # the column chooser's agent: other tests keep Alex's columns
REQUESTER = "requester@example.com"


def _rows(page: Page):
    return page.locator("tr[data-ticket]")


def _open_list(page: Page, email: str = AGENT) -> None:
    sign_in(page, email, expect_path="/board")
    page.goto("/tickets")
    expect(_rows(page).first).to_be_visible(timeout=15_000)
    wait_for_shortcuts(page)


def test_ctrl_k_opens_the_palette_and_a_number_opens_the_ticket(page: Page):
    _open_list(page)
    number = _rows(page).nth(2).get_attribute("data-ticket")
    page.keyboard.press("Control+k")
    palette = page.get_by_role("dialog", name="Command palette")
    expect(palette).to_be_visible()
    box = palette.get_by_role("combobox", name="Search or jump to")
    expect(box).to_be_focused()
    # With nothing typed it lists the pages an agent may open, not the managers' pages.
    expect(palette.get_by_role("option", name=re.compile("^Knowledge base"))).to_be_visible()
    expect(palette.get_by_role("option", name=re.compile("^Users"))).to_have_count(0)
    assert_accessible(page, "keyboard-palette")
    page.keyboard.type(number)
    first = palette.get_by_role("option").first
    expect(first).to_have_text(f"Open ticket #{number}")
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page).to_have_url(path_re(f"/tickets/{number}"))
    expect(palette).to_have_count(0)
    expect(page.get_by_label("Your reply")).to_be_visible(timeout=15_000)

    # Words search the tickets; the arrow keys pick one; Escape closes and nothing happens.
    page.keyboard.press("Control+k")
    title = "VPN"
    page.keyboard.type(title)
    found = palette.get_by_role("option").filter(has_text=title).first
    expect(found).to_be_visible()
    expect(palette.get_by_role("option", name=f"Search tickets for “{title}”")).to_be_visible()
    page.keyboard.press("Escape")
    expect(palette).to_have_count(0)
    expect(page).to_have_url(path_re(f"/tickets/{number}"))

    # The palette's full search goes to the list with the words in its search box.
    page.keyboard.press("Control+k")
    page.keyboard.type(title)
    option = palette.get_by_role("option", name=f"Search tickets for “{title}”")
    expect(option).to_be_visible()
    for _ in range(30):  # arrow down to it
        if option.get_attribute("aria-selected") == "true":
            break
        page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tickets\?q=VPN$"))
    expect(page.get_by_label("Search tickets")).to_have_value(title)


def test_palette_in_dark_mode_and_for_a_requester(browser: Browser, app_server):
    ctx = browser.new_context(
        base_url=app_server.base_url, viewport={"width": 1280, "height": 800}, color_scheme="dark"
    )
    violations = watch_csp(ctx)
    page = ctx.new_page()
    sign_in(page, REQUESTER, expect_path="/portal")
    page.get_by_role("button", name=re.compile("^Command palette")).click()
    palette = page.get_by_role("dialog", name="Command palette")
    expect(palette).to_be_visible()
    expect(palette.get_by_role("option", name=re.compile("^My tickets"))).to_be_visible()
    expect(palette.get_by_role("option", name=re.compile("^Board"))).to_have_count(0)
    page.keyboard.type("printer")
    expect(palette.get_by_role("status")).to_have_text("")  # searched (no "Searching…")
    expect(palette.get_by_role("option", name=re.compile("^Search tickets"))).to_have_count(0)
    assert_accessible(page, "keyboard-palette-dark-requester")
    page.keyboard.press("Escape")
    expect(palette).to_have_count(0)
    page.keyboard.press("?")
    helper = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(helper).to_be_visible()
    expect(helper.get_by_text("Write a public reply")).to_be_visible()
    expect(helper.get_by_text("Write an internal note")).to_have_count(0)  # staff only
    assert_accessible(page, "keyboard-help-dark-requester")
    close_checking_csp(ctx, violations)


def test_agent_walks_the_list_with_j_k_and_replies_by_keyboard(page: Page):
    _open_list(page)
    rows = _rows(page)
    first, second = rows.nth(0), rows.nth(1)
    number = first.get_attribute("data-ticket")
    page.keyboard.press("j")
    expect(first.get_by_role("link", name=f"#{number}")).to_be_focused()
    page.keyboard.press("j")
    expect(second.get_by_role("rowheader").get_by_role("link")).to_be_focused()
    expect(second).to_have_attribute("data-kb-current", "")
    page.keyboard.press("k")
    expect(first).to_have_attribute("data-kb-current", "")
    assert_accessible(page, "keyboard-list-current-row")
    page.keyboard.press("Enter")
    expect(page).to_have_url(path_re(f"/tickets/{number}"))
    reply_box = page.locator("#reply-body")
    expect(reply_box).to_be_visible(timeout=15_000)
    wait_for_shortcuts(page)

    # n: an internal note; Tab leaves the box; r: back to a public reply, typed and sent.
    page.keyboard.press("n")
    expect(page.get_by_role("radio", name="Internal note")).to_be_checked()
    expect(page.get_by_label("Internal note text")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("r")
    expect(page.get_by_role("radio", name="Reply")).to_be_checked()
    expect(page.get_by_label("Your reply")).to_be_focused()
    text = f"On it, checking the logs now {uuid.uuid4().hex[:6]}."
    page.keyboard.type(text)
    page.keyboard.press("Control+Enter")
    expect(page.get_by_text(text)).to_be_visible(timeout=15_000)
    expect(page.get_by_label("Your reply")).to_have_value("")

    # a: assign to me; e: the status select opens; ?: the help, from the key and the button.
    page.keyboard.press("Shift+Tab")  # out of the box (it still has the focus after sending)
    page.keyboard.press("a")
    expect(page.get_by_role("button", name="Assign to me")).to_be_disabled()
    expect(page.get_by_role("combobox", name="Assignee")).to_have_text("Alex Agent")
    expect(page.get_by_role("combobox", name="Status")).to_be_enabled()  # saved
    page.keyboard.press("e")
    expect(page.get_by_role("listbox")).to_be_visible()
    expect(page.get_by_role("option", name="In progress")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)
    # The closed select keeps the focus (letters pick its options there): the button, then ?.
    page.get_by_role("button", name="Keyboard shortcuts").click()
    helper = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(helper).to_be_visible()
    for line in ("Next ticket", "Write an internal note", "Assign the ticket to me"):
        expect(helper.get_by_text(line)).to_be_visible()
    assert_accessible(page, "keyboard-help")
    page.keyboard.press("Escape")
    expect(helper).to_have_count(0)
    expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_focused()
    page.keyboard.press("?")
    expect(helper).to_be_visible()


def test_shortcuts_stay_quiet_while_typing_or_with_a_modifier(page: Page):
    _open_list(page)
    page.keyboard.press("Alt+j")
    page.keyboard.press("Control+j")
    expect(page.locator("tr[data-kb-current]")).to_have_count(0)
    search = page.get_by_label("Search tickets")
    search.focus()
    page.keyboard.type("j")
    expect(search).to_have_value("j")
    expect(search).to_be_focused()
    expect(page.locator("tr[data-kb-current]")).to_have_count(0)
    page.keyboard.type("?")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(search).to_have_value("j?")


def test_column_chooser_hides_a_column_for_good(page: Page):
    _open_list(page, PRIYA)
    table = page.get_by_role("table", name="Tickets")
    expect(table.get_by_role("columnheader", name="Team")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Type")).to_have_count(0)  # off by default
    page.get_by_role("button", name="Columns").click()
    chooser = page.get_by_role("dialog", name="Columns to show")
    assert_accessible(page, "keyboard-column-chooser")
    chooser.get_by_role("checkbox", name="Team").click()
    expect(table.get_by_role("columnheader", name="Team")).to_have_count(0)
    expect(table.get_by_role("columnheader", name="Status")).to_be_visible()
    page.keyboard.press("Escape")
    page.reload()
    expect(_rows(page).first).to_be_visible(timeout=15_000)
    expect(table.get_by_role("columnheader", name="Team")).to_have_count(0)
    page.get_by_role("button", name="Columns").click()
    expect(chooser.get_by_role("checkbox", name="Team")).not_to_be_checked()
    chooser.get_by_role("button", name="Reset to default").click()
    expect(table.get_by_role("columnheader", name="Team")).to_be_visible()


def test_at_1400_px_the_sla_column_is_reachable(page: Page):
    page.set_viewport_size({"width": 1400, "height": 900})
    _open_list(page, "dmitri.volkov@example.com")
    # Every column on: wider than the window.
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("dialog", name="Columns to show").get_by_role("checkbox", name="Type").click()
    expect(page.get_by_role("columnheader", name="Type")).to_be_visible()
    page.keyboard.press("Escape")
    sla = page.get_by_role("columnheader", name="SLA")
    expect(sla).to_be_attached()
    # The page itself never scrolls sideways: the table scrolls inside its own box.
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    scroller = page.get_by_role("region", name="Tickets table")
    sla.scroll_into_view_if_needed()
    box, frame = sla.bounding_box(), scroller.bounding_box()
    assert box and frame
    assert frame["x"] - 1 <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    assert box["x"] + box["width"] <= 1400
    # By keyboard: the scrolling region takes the focus and the arrow keys scroll it.
    scroller.evaluate("(el) => { el.scrollLeft = 0; }")
    scroller.focus()
    page.keyboard.press("End")
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    assert scroller.evaluate("(el) => el.scrollLeft + el.clientWidth >= el.scrollWidth - 2")
    assert_accessible(page, "keyboard-list-1400")
    page.get_by_role("button", name="Columns").click()
    page.get_by_role("button", name="Reset to default").click()
    expect(page.get_by_role("columnheader", name="Type")).to_have_count(0)
