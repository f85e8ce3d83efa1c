"""The session cookie is HttpOnly, SameSite=Strict, set and cleared by the backend's HTTP answers:
no script on the page can read the session, whatever it looks through."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import path_re, sign_in

# What an injected script could reach: cookies, both storages, the page, every global that is
# not a function (Reflex's state lives in React; the page has no other copy of a session).
STEAL = """() => {
    const seen = [document.cookie, document.documentElement.outerHTML];
    for (const store of [localStorage, sessionStorage])
        for (let i = 0; i < store.length; i++) seen.push(store.key(i), store.getItem(store.key(i)));
    for (const name of Object.getOwnPropertyNames(window)) {
        try {
            const value = window[name];
            if (typeof value === "string") seen.push(value);
            else if (value && typeof value === "object" && !(value instanceof Node))
                seen.push(JSON.stringify(value).slice(0, 100000));
        } catch (e) {}
    }
    return seen.join("\\n");
}"""


def _session_cookie(page: Page) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == "ticketapp_session")


def test_the_session_cookie_is_out_of_every_scripts_reach(page: Page):
    frames: list[str] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda f: frames.append(f if isinstance(f, str) else "")),
    )
    sign_in(page, "agent@example.com", expect_path="/board")
    expect(page.get_by_role("heading", name="Board")).to_be_visible()
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/"
    token = cookie["value"]
    assert len(token) >= 40

    assert "ticketapp_session" not in page.evaluate("document.cookie")
    assert token not in page.evaluate(STEAL)
    # A script that sets its own cookie of that name changes nothing the server trusts:
    # the browser keeps the HttpOnly one, and the page stays signed in as the agent.
    page.evaluate("document.cookie = 'ticketapp_session=forged; path=/'")
    assert _session_cookie(page)["value"] == token
    page.reload()
    expect(page.get_by_role("heading", name="Board")).to_be_visible()
    # The server never sent the token to the page, not even in a websocket frame.
    assert frames and not any(token in f for f in frames)


def test_sign_out_clears_the_cookie_and_ends_the_session(page: Page, new_page):
    sign_in(page, "requester@example.com", expect_path="/portal")
    token = _session_cookie(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(path_re("/login"))
    assert not any(c["name"] == "ticketapp_session" for c in page.context.cookies())
    other = new_page()
    other.context.add_cookies([token])
    other.goto("/portal")
    expect(other).to_have_url(re.compile(r"/login"))


def test_a_sign_in_post_from_another_site_is_refused(page: Page, app_server):
    answer = page.request.post(
        app_server.url("/auth/session"),
        form={"code": "anything", "next": "/board"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        max_redirects=0,
    )
    assert answer.status == 403
    assert "set-cookie" not in answer.headers


def test_next_path_survives_the_cookie_post(page: Page):
    sign_in(page, "agent@example.com", next_path="/tickets", expect_path="/tickets")
    expect(page.get_by_role("heading", name="Tickets", exact=True)).to_be_visible()
