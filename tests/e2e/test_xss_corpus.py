"""An XSS corpus through every field people write and others read: ticket titles and
descriptions, public replies, internal notes, a person's name, an attachment's file name, tags
and a KB article, filed through the REST API as a user would, then shown on the pages that
render them, to staff and to the requester. Nothing may run: no dialog, no `window.__xss`, no
inline handler or `javascript:` link in the DOM, and (the e2e context's watch) no CSP violation,
which is what a payload turned into HTML would cause.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import path_re, sign_in

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<svg/onload="window.__xss=1">',
    "[a link](javascript:window.__xss=1)",
    '<a href="jAvAsCrIpT:window.__xss=1">b</a>',
    '"><iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '![x](x" onerror="window.__xss=1)',
    "[c](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    "\u202e<b onmouseover=window.__xss=1>hover</b>",
    "<style>@import 'javascript:window.__xss=1';</style>",
]
CORPUS = "\n\n".join(PAYLOADS)
PASSWORD = "xss-corpus-password-1"
DANGEROUS_DOM = """() => {
  const handlers = document.querySelectorAll(
    '[onerror],[onload],[onmouseover],[onclick],[onfocus],iframe,object,embed');
  const links = Array.from(document.querySelectorAll('a[href]')).filter(
    (a) => /^\\s*(javascript|data|vbscript):/i.test(a.getAttribute('href')));
  return handlers.length + links.length;
}"""


def _token(app_server, email: str) -> dict[str, str]:
    out = app_server.cli("create-token", "--email", email, "--name", "xss", "--scope", "write")
    secret = next(w for w in out.split() if w.startswith("tka_"))
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture(scope="module")
def corpus(app_server) -> dict:
    """A requester named like an attack files a ticket of payloads; staff answer in kind."""
    api = httpx.Client(base_url=app_server.url("/api/v1"), timeout=30)
    tag = uuid.uuid4().hex[:6]
    manager = _token(app_server, "manager@example.com")
    agent = _token(app_server, "agent@example.com")
    email = f"xss-{tag}@example.com"
    name = f'Mallory {tag} <img src=x onerror="window.__xss=1">'
    r = api.post(
        "/users",
        json={"email": email, "name": name, "password": PASSWORD, "role": "requester"},
        headers=manager,
    )
    assert r.status_code == 201, r.text
    requester = _token(app_server, email)
    title = f"XSS {tag} <script>window.__xss=1</script>"
    r = api.post("/tickets", json={"title": title, "description": CORPUS}, headers=requester)
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    for internal in (False, True):
        r = api.post(
            f"/tickets/{number}/comments",
            json={"body": CORPUS, "internal": internal},
            headers=agent,
        )
        assert r.status_code == 201, r.text
    r = api.post(
        f"/tickets/{number}/attachments",
        files={"file": ('"><img src=x onerror=window.__xss=1>.txt', b"x", "text/plain")},
        headers=agent,
    )
    assert r.status_code == 201, r.text
    # Tags keep to letters, digits and - . + #: a payload is refused, a tag with those is shown.
    r = api.patch(f"/tickets/{number}", json={"tags": ["<script>"]}, headers=agent)
    assert r.status_code == 422, r.text
    r = api.patch(f"/tickets/{number}", json={"tags": [f"c#+{tag}"]}, headers=agent)
    assert r.status_code == 200, r.text
    r = api.post(
        "/kb/articles",
        json={
            "title": f"XSS article {tag} <svg/onload=window.__xss=1>",
            "body": CORPUS,
            "status": "published",
        },
        headers=agent,
    )
    assert r.status_code == 201, r.text
    slug = r.json()["slug"]
    user_id = next(
        u["id"]
        for u in api.get("/users", params={"q": email}, headers=manager).json()["items"]
        if u["email"] == email
    )
    api.close()
    return {
        "tag": tag,
        "email": email,
        "number": number,
        "title": title,
        "slug": slug,
        "user_id": user_id,
    }


def _nothing_ran(page: Page, dialogs: list[str]) -> None:
    page.wait_for_timeout(300)  # a handler would fire on render
    assert page.evaluate("() => window.__xss") is None
    assert page.evaluate(DANGEROUS_DOM) == 0
    assert dialogs == []


def _watch_dialogs(page: Page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def test_staff_pages_show_the_corpus_as_text(page: Page, corpus):
    dialogs = _watch_dialogs(page)
    sign_in(page, "agent@example.com", expect_path="/board")
    n = corpus["number"]

    page.goto(f"/tickets/{n}")
    expect(page).to_have_url(path_re(f"/tickets/{n}"))
    expect(page.get_by_role("heading", name=corpus["title"])).to_be_visible()
    expect(page.get_by_text("<script>window.__xss=1</script>").first).to_be_visible()
    expect(page.get_by_text(f"c#+{corpus['tag']}")).to_be_visible()
    _nothing_ran(page, dialogs)
    page.get_by_role("tab", name="History").click()
    _nothing_ran(page, dialogs)

    page.goto(f"/tickets?q={corpus['tag']}")
    expect(page.get_by_text(corpus["title"]).first).to_be_visible()
    _nothing_ran(page, dialogs)

    page.goto("/board")
    page.get_by_label("Search", exact=True).fill(corpus["tag"])
    expect(page.get_by_text(corpus["title"]).first).to_be_visible()
    _nothing_ran(page, dialogs)

    page.goto(f"/people/{corpus['user_id']}")
    expect(page.get_by_text(corpus["email"]).first).to_be_visible()
    _nothing_ran(page, dialogs)

    page.goto(f"/kb/{corpus['slug']}")
    expect(page.get_by_role("heading", name=f"XSS article {corpus['tag']}")).to_be_visible()
    _nothing_ran(page, dialogs)


def test_the_requester_sees_the_corpus_as_text(page: Page, corpus):
    dialogs = _watch_dialogs(page)
    sign_in(page, corpus["email"], password=PASSWORD, expect_path="/portal")
    expect(page.get_by_text(corpus["title"]).first).to_be_visible()
    _nothing_ran(page, dialogs)
    page.goto(f"/tickets/{corpus['number']}")
    expect(page.get_by_role("heading", name=corpus["title"])).to_be_visible()
    _nothing_ran(page, dialogs)
