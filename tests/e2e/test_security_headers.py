"""Security headers as a browser meets them: every response carries them, the sign-in page
cannot be framed, and a script injected into a page does not run."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Browser, expect

from .conftest import watch_csp

pytestmark = pytest.mark.e2e


def _headers(url: str) -> dict[str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return {k.lower(): v for k, v in resp.headers.items()}
    except urllib.error.HTTPError as err:  # a 404 is a response too
        return {k.lower(): v for k, v in err.headers.items()}


def test_every_response_carries_the_headers(app_server):
    login = _headers(app_server.url("/login/"))
    csp = login["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'sha256-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    for path in ("/login/", "/styles.css", "/no-such-page", "/attachments/999999"):
        headers = _headers(app_server.url(path))
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "same-origin", path
        assert "content-security-policy" in headers, path
    # Attachment downloads keep their own sandboxing policy.
    assert "sandbox" in _headers(app_server.url("/attachments/999999"))["content-security-policy"]


def test_sign_in_page_cannot_be_framed(browser: Browser, app_server):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.set_content(f'<iframe title="framed" src="{app_server.url("/login")}"></iframe>')
    frame = page.frame_locator("iframe")
    page.wait_for_timeout(2000)
    expect(frame.get_by_label("Password")).to_have_count(0)
    ctx.close()


def test_an_injected_script_does_not_run(browser: Browser, app_server):
    ctx = browser.new_context(base_url=app_server.base_url)
    violations = watch_csp(ctx)
    page = ctx.new_page()
    page.goto("/login")
    expect(page.get_by_label("Password")).to_be_visible()
    assert violations == []  # the page itself breaks no rule
    page.evaluate(
        """() => {
            const s = document.createElement("script");
            s.textContent = "window.__injected = true";
            document.body.appendChild(s);
            const img = document.createElement("img");
            img.setAttribute("onerror", "window.__injected = true");
            img.src = "/nope.png";
            document.body.appendChild(img);
        }"""
    )
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.__injected === undefined")
    assert violations and all(v.startswith("script-src") for v in violations), violations
    ctx.close()
