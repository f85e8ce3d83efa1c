"""The ticket page (/tickets/<number>) for requesters, agents and managers."""

from __future__ import annotations

import io
import re
import uuid
import warnings
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import assert_accessible, sign_in

REQUESTER = "requester@example.com"
OTHER_REQUESTER = "hannah.schmidt@example.com"
AGENT = "agent@example.com"
MANAGER = "manager@example.com"

_used: set[int] = set()


def _tickets(
    app_server, requester: str | None, statuses: tuple[str, ...], not_assigned_to: str = ""
) -> list[tuple[int, str]]:
    """(number, title) of unmerged demo tickets in `statuses`, of `requester` (None: anyone but
    the demo requester, whose few tickets are kept for the tests that need them), not assigned
    to `not_assigned_to` (an e-mail) when given."""
    params: dict[str, str] = {f"s{i}": s for i, s in enumerate(statuses)}
    who = "u.email = :email" if requester else "u.email != :email"
    if not_assigned_to:
        who += (
            ' AND (t.assignee_id IS NULL OR t.assignee_id NOT IN (SELECT id FROM "user" '
            "WHERE email = :assignee))"
        )
    params["email"] = requester or REQUESTER
    params["assignee"] = not_assigned_to
    engine = create_engine(app_server.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    'SELECT t.number, t.title FROM ticket t JOIN "user" u ON u.id = t.requester_id '
                    f"WHERE {who} AND t.merged_into_id IS NULL "
                    f"AND t.status IN ({', '.join(':' + k for k in params if k[0] == 's')}) "
                    "ORDER BY t.number"
                ),
                params,
            ).all()
    finally:
        engine.dispose()
    return [(r[0], r[1]) for r in rows]


def demo_ticket(
    app_server, requester: str | None = REQUESTER, statuses=("open",), not_assigned_to: str = ""
):
    """A demo ticket (number, title) no other test in this run has used: preferably in
    `statuses`, else any status but closed."""
    for wanted in (tuple(statuses), ("new", "open", "in_progress", "waiting", "resolved")):
        for number, title in _tickets(app_server, requester, wanted, not_assigned_to):
            if number not in _used:
                _used.add(number)
                return number, title
    pytest.skip(f"no unused demo ticket for {requester}")


def _seen_at(app_server, number: int):
    engine = create_engine(app_server.database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT requester_seen_at FROM ticket WHERE number = :n"), {"n": number}
            ).scalar()
    finally:
        engine.dispose()


def _fail_on_dialog(page: Page) -> list[str]:
    fired: list[str] = []

    def on_dialog(dialog):
        fired.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return fired


def _record_websocket(page: Page) -> list[str]:
    frames: list[str] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda payload: frames.append(payload if isinstance(payload, str) else ""),
        ),
    )
    return frames


def open_ticket(page: Page, number: int, title: str | None = None) -> None:
    page.goto(f"/tickets/{number}")
    heading = page.get_by_role("heading", level=2).filter(has_text=f"#{number}")
    expect(heading).to_be_visible()
    if title:
        expect(heading).to_contain_text(title)


def wait_for_toasts(page: Page) -> None:
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=15_000)


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def write_reply(page: Page, body: str, internal: bool = False) -> None:
    if internal:
        page.get_by_role("radio", name="Internal note").click()
        page.get_by_label("Internal note text").fill(body)
        page.get_by_role("button", name="Add internal note").click()
    else:
        if page.get_by_role("radio", name="Reply").count():
            page.get_by_role("radio", name="Reply").click()
        page.get_by_label("Your reply").fill(body)
        page.get_by_role("button", name="Send reply").click()


def _png(color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, format="PNG")
    return out.getvalue()


# --- the main story -------------------------------------------------------------------------


def test_agent_works_ticket_requester_sees_reply_not_note_and_rates(
    page: Page, new_page, app_server
):
    number, title = demo_ticket(app_server, not_assigned_to=AGENT)
    tag = uuid.uuid4().hex[:8]
    note = f"Secret internal note {tag}"
    reply = f"Public reply for you {tag}"
    dialogs = _fail_on_dialog(page)

    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, number, title)
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_role("combobox", name="Assignee")).to_have_text("Alex Agent")

    write_reply(page, note, internal=True)
    entry = page.get_by_role("article").filter(has_text=note)
    expect(entry).to_be_visible()
    expect(entry).to_contain_text("Internal note")

    write_reply(page, reply)
    expect(page.get_by_role("article").filter(has_text=reply)).to_be_visible()
    # The reply box keeps nothing after a successful send.
    expect(page.get_by_label("Your reply")).to_have_value("")

    requester = new_page()
    frames = _record_websocket(requester)
    sign_in(requester, REQUESTER, expect_path="/portal")
    open_ticket(requester, number, title)
    expect(requester.get_by_role("article").filter(has_text=reply)).to_be_visible()
    expect(requester.get_by_text(note)).to_have_count(0)
    expect(requester.get_by_text("Internal note", exact=True)).to_have_count(0)
    assert note not in requester.content()
    assert _seen_at(app_server, number) is not None  # opening it marked the replies as read
    assert frames, "no websocket frames recorded"
    assert not any(note in f for f in frames), "an internal note reached the requester's state"
    # Requesters get no staff controls.
    expect(requester.get_by_role("combobox", name="Status")).to_have_count(0)
    expect(requester.get_by_role("radio", name="Internal note")).to_have_count(0)

    # The agent resolves; the requester's open page follows by itself (no reload).
    choose(page, "Status", "Resolved")
    expect(page.get_by_role("combobox", name="Status")).to_have_text("Resolved")
    expect(requester.get_by_role("heading", name="How did we do?")).to_be_visible()
    requester.get_by_role("radio", name="5").click()
    requester.get_by_label("Comment (optional)").fill("Quick and friendly.")
    requester.get_by_role("button", name="Send rating").click()
    expect(requester.get_by_text("Thanks for your feedback!")).to_be_visible()
    expect(requester.get_by_role("heading", name="How did we do?")).to_have_count(0)
    # Once per resolution: after a reload, still thanks, no second form.
    requester.reload()
    expect(requester.get_by_text("Thanks for your feedback!")).to_be_visible()
    expect(requester.get_by_role("heading", name="How did we do?")).to_have_count(0)
    assert not any(note in f for f in frames)
    assert not dialogs


def test_requester_reply_reaches_agent_live(page: Page, new_page, app_server):
    number, title = demo_ticket(app_server)
    text_ = f"Requester says hello {uuid.uuid4().hex[:8]}"
    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, number, title)

    requester = new_page()
    sign_in(requester, REQUESTER, expect_path="/portal")
    open_ticket(requester, number, title)
    write_reply(requester, text_)
    expect(requester.get_by_role("article").filter(has_text=text_)).to_be_visible()
    # The agent's page shows it without a reload.
    expect(page.get_by_role("article").filter(has_text=text_)).to_be_visible()


def test_stored_xss_in_a_reply_stays_inert(page: Page, new_page, app_server):
    number, title = demo_ticket(app_server)
    payload = (
        "<img src=x onerror=alert(1)> <script>alert(2)</script> "
        '<a href="javascript:alert(3)">link</a> [click](javascript:alert(4))'
    )
    dialogs = _fail_on_dialog(page)
    sign_in(page, REQUESTER, expect_path="/portal")
    open_ticket(page, number, title)
    write_reply(page, payload)
    entry = page.get_by_role("article").filter(has_text="onerror=alert(1)")
    expect(entry).to_be_visible()
    # Shown as text, never as markup.
    expect(entry).to_contain_text("<script>alert(2)</script>")
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("article script").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0

    agent = new_page()
    agent_dialogs = _fail_on_dialog(agent)
    sign_in(agent, AGENT, expect_path="/board")
    open_ticket(agent, number, title)
    expect(agent.get_by_role("article").filter(has_text="onerror=alert(1)")).to_be_visible()
    agent.get_by_role("article").filter(has_text="onerror=alert(1)").get_by_text("click").hover()
    agent.wait_for_timeout(500)
    assert agent.locator('img[src="x"]').count() == 0
    assert not dialogs and not agent_dialogs


def test_requester_cannot_open_another_requesters_ticket_or_attachment(
    page: Page, new_page, app_server, tmp_path
):
    number, title = demo_ticket(app_server)
    # The agent attaches an image on a reply to Riley's ticket.
    image = tmp_path / "screen.png"
    image.write_bytes(_png())
    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, number, title)
    page.locator("input[type=file]").set_input_files(str(image))
    expect(page.get_by_label("Files to attach")).to_contain_text("screen.png")
    write_reply(page, "Here is the screenshot.")
    link = page.get_by_role("article").filter(has_text="Here is the screenshot.").locator("a")
    expect(link).to_have_count(1)
    href = link.get_attribute("href")
    assert href and re.fullmatch(r"/attachments/\d+", href)

    # Riley (the requester) can download it.
    riley = new_page()
    sign_in(riley, REQUESTER, expect_path="/portal")
    assert riley.request.get(href).status == 200

    # Hannah, another requester, gets "not found" for the page and a 404 for the file.
    hannah = new_page()
    sign_in(hannah, OTHER_REQUESTER, expect_path="/portal")
    hannah.goto(f"/tickets/{number}")
    expect(hannah.get_by_role("heading", name="Ticket not found")).to_be_visible()
    assert title not in hannah.content()
    for url in (href, href + "/thumbnail", "/attachments/999999", "/attachments/abc"):
        resp = hannah.request.get(url)
        assert resp.status == 404, url
        assert "PNG" not in resp.text()
    # Signed out: 404 as well.
    anon = new_page()
    assert anon.request.get(href).status == 404
    # A number that does not exist reads the same as someone else's.
    hannah.goto("/tickets/999999")
    expect(hannah.get_by_role("heading", name="Ticket not found")).to_be_visible()


def test_attachment_shows_as_thumbnail_and_downloads_as_attachment(
    page: Page, app_server, tmp_path
):
    number, title = demo_ticket(app_server, None)
    image = tmp_path / "diagram.png"
    image.write_bytes(_png((20, 120, 220)))
    log = tmp_path / "server.log"
    log.write_text("line 1\nline 2\n")
    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, number, title)
    page.get_by_label("Your reply").fill("Two files attached.")
    page.locator("input[type=file]").set_input_files([str(image), str(log)])
    expect(page.get_by_label("Files to attach")).to_contain_text("diagram.png")
    page.get_by_role("button", name="Send reply").click()
    entry = page.get_by_role("article").filter(has_text="Two files attached.")
    thumb = entry.get_by_role("img", name="Thumbnail of diagram.png")
    expect(thumb).to_be_visible()
    # The thumbnail really loaded (a PNG made by Pillow), and is served inline.
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") > 0
    thumb_resp = page.request.get(thumb.get_attribute("src"))
    assert thumb_resp.headers["content-type"] == "image/png"
    assert thumb_resp.headers["x-content-type-options"] == "nosniff"

    with page.expect_download() as info:
        entry.get_by_role("link", name=re.compile("server.log")).click()
    assert info.value.suggested_filename == "server.log"
    href = entry.get_by_role("link", name=re.compile("server.log")).get_attribute("href")
    resp = page.request.get(href)
    assert resp.status == 200
    assert resp.headers["content-disposition"].startswith("attachment")
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.text() == "line 1\nline 2\n"
    image_href = entry.locator("a", has=page.locator("img")).get_attribute("href")
    image_resp = page.request.get(image_href)
    assert image_resp.headers["content-disposition"].startswith("attachment")
    assert image_resp.body() == image.read_bytes()


def test_rejected_upload_keeps_the_typed_reply(page: Page, app_server, tmp_path):
    number, title = demo_ticket(app_server)
    bad = tmp_path / "page.html"
    bad.write_text("<html><script>alert(1)</script></html>")
    sign_in(page, REQUESTER, expect_path="/portal")
    open_ticket(page, number, title)
    page.get_by_label("Your reply").fill("Please look at the attached page.")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("alert").filter(has_text="page.html")).to_contain_text("not accepted")
    expect(page.get_by_label("Your reply")).to_have_value("Please look at the attached page.")
    expect(
        page.get_by_role("article").filter(has_text="Please look at the attached")
    ).to_have_count(0)


def test_two_agents_editing_the_same_ticket_get_a_conflict(page: Page, new_page, app_server):
    number, title = demo_ticket(app_server, None)
    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, number, title)
    page.get_by_role("button", name="Edit title").click()
    page.get_by_label("Title", exact=True).fill(f"{title} (edited by Alex)")

    manager = new_page()
    sign_in(manager, MANAGER, expect_path="/analytics")
    open_ticket(manager, number, title)
    choose(manager, "Priority", "Urgent")
    expect(manager.get_by_role("combobox", name="Priority")).to_have_text("Urgent")

    # Alex saves on the copy he started from: refused, with a clear message.
    page.get_by_role("button", name="Save title").click()
    expect(page.get_by_role("alert").filter(has_text="changed by someone else")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Morgan Manager")
    # The fresh ticket is shown; nothing was overwritten.
    expect(page.get_by_role("combobox", name="Priority")).to_have_text("Urgent")
    heading = page.get_by_role("heading", level=2).filter(has_text=f"#{number}")
    manager.reload()
    expect(
        manager.get_by_role("heading", level=2).filter(has_text=f"#{number}")
    ).not_to_contain_text("edited by Alex")
    # His draft is still there; saving again now (deliberately) works.
    expect(page.get_by_label("Title", exact=True)).to_have_value(f"{title} (edited by Alex)")
    page.get_by_role("button", name="Save title").click()
    expect(heading).to_contain_text("edited by Alex")


def test_field_edits_appear_in_history(page: Page, app_server):
    number, title = demo_ticket(app_server, None)
    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, number, title)
    current = page.get_by_role("combobox", name="Priority").inner_text()
    new_priority = "Low" if current.strip() != "Low" else "High"
    choose(page, "Priority", new_priority)
    expect(page.get_by_text("Priority saved.")).to_be_visible()
    choose(page, "Status", "In progress")
    expect(page.get_by_role("combobox", name="Status")).to_have_text("In progress")
    page.get_by_role("tab", name="History").click()
    history = page.get_by_role("table", name="History")
    priority_row = history.get_by_role("row").filter(has_text="Changed Priority").first
    expect(priority_row).to_contain_text("Alex Agent")
    expect(priority_row).to_contain_text(current.strip())
    expect(priority_row).to_contain_text(new_priority)
    status_row = history.get_by_role("row").filter(has_text="Changed Status").first
    expect(status_row).to_contain_text("Open")
    expect(status_row).to_contain_text("In progress")


def test_agent_logs_time(page: Page, app_server):
    number, title = demo_ticket(app_server, None)
    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, number, title)
    page.get_by_role("tab", name="Time").click()
    before = page.locator("#time-total").inner_text()
    page.get_by_label("Minutes").fill("25")
    page.get_by_label("Note").fill("Checked the mail server logs")
    page.get_by_role("button", name="Log time").click()
    expect(page.get_by_role("table", name="Time entries")).to_contain_text(
        "Checked the mail server logs"
    )
    expect(page.locator("#time-total")).not_to_have_text(before)
    page.get_by_label("Minutes").fill("0")
    page.get_by_role("button", name="Log time").click()
    expect(page.get_by_role("alert")).to_contain_text("between 1 and 1440")


def test_a_long_resolved_ticket_closes_by_itself_on_the_open_page(page: Page, app_server):
    """Resolved for TICKETAPP_AUTO_CLOSE_DAYS (7): the in-app scheduler closes it, and an
    open ticket page shows it without a reload, with the closing in its history."""
    number, _title = demo_ticket(app_server, None, statuses=("resolved",))
    sign_in(page, "agent@example.com", expect_path="/board")
    page.goto(f"/tickets/{number}")
    status = page.get_by_role("combobox", name="Status")
    expect(status).to_have_text("Resolved")
    page.evaluate("window.__noReload = 'still here'")
    engine = create_engine(app_server.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE ticket SET resolved_at = :at WHERE number = :n"),
                {"at": datetime.now(UTC).replace(tzinfo=None) - timedelta(days=8), "n": number},
            )
    finally:
        engine.dispose()
    expect(status).to_have_text("Closed", timeout=15_000)  # the test scheduler ticks every 2 s
    assert page.evaluate("window.__noReload") == "still here"
    page.get_by_role("tab", name="History").click()
    closing = page.get_by_role("row").filter(has_text="Changed Status").first
    expect(closing).to_contain_text("Closed")


def test_merge_and_link(page: Page, app_server):
    source, source_title = demo_ticket(app_server, None)
    target, target_title = demo_ticket(app_server, None)
    related, _ = demo_ticket(app_server, None)
    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, source, source_title)

    page.get_by_label("Link ticket number").fill(str(related))
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.get_by_role("link", name=re.compile(f"#{related}"))).to_be_visible()

    # Seen once in a clean-clone run (2026-12-03): the first click on the opener, right after
    # linking, opened nothing. The page's second reload after its own change (since removed:
    # the ticket feed skips the tab that made the change) is the suspect, not proven; so a
    # lost click is retried like a person would, but reported, not hidden.
    opener = page.get_by_role("button", name="Merge into another ticket")
    field = page.get_by_label("Merge into ticket number")
    for attempt in range(3):
        opener.click()
        try:
            expect(field).to_be_visible(timeout=5000)
            break
        except AssertionError:
            warnings.warn(f"merge dialog did not open on click {attempt + 1}", stacklevel=1)
    field.fill(str(target))
    page.get_by_role("button", name="Continue").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(f"#{target} {target_title}")
    confirm.get_by_role("button", name="Merge").click()
    banner = page.locator(".rt-CalloutText").filter(has_text="This ticket was merged into")
    expect(banner).to_be_visible()
    page.get_by_role("link", name=f"#{target} {target_title}").click()
    open_ticket(page, target, target_title)
    expect(page.get_by_text("Merged into this ticket:")).to_be_visible()
    expect(page.get_by_role("link", name=f"#{source} {source_title}")).to_be_visible()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_ticket_page_is_accessible(page: Page, new_page, app_server, dark: bool):
    number, title = demo_ticket(app_server, statuses=("in_progress", "open"))
    sign_in(page, AGENT, expect_path="/board")
    open_ticket(page, number, title)
    if dark:
        page.get_by_role("button", name="Toggle dark mode").click()
    write_reply(page, f"An internal note for the screenshot {uuid.uuid4().hex[:4]}", internal=True)
    expect(page.get_by_text("Internal note added.")).to_be_visible()
    wait_for_toasts(page)
    assert_accessible(page, f"ticket-agent-{'dark' if dark else 'light'}")

    requester = new_page()
    sign_in(requester, REQUESTER, expect_path="/portal")
    open_ticket(requester, number, title)
    if dark:
        requester.get_by_role("button", name="Toggle dark mode").click()
    assert_accessible(requester, f"ticket-requester-{'dark' if dark else 'light'}")
