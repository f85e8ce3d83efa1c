"""Security headers: the middleware adds them to every HTTP response, keeps a route's own CSP,
and the policy allows exactly the build's inline scripts."""

from __future__ import annotations

import base64
import hashlib

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from ticketapp import http_headers


def _sha(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def test_inline_script_hashes_cover_inline_scripts_only(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<html><script>window.x = 1;</script><script src="/assets/app.js"></script>'
        '<script type="module" async="">import "/assets/m.js";</script></html>'
    )
    (tmp_path / "a" / "page.html").write_text("<script>window.x = 1;</script><p>hi</p>")
    hashes = http_headers.inline_script_hashes(tmp_path)
    assert hashes == sorted([_sha("window.x = 1;"), _sha('import "/assets/m.js";')])


def test_policy_directives():
    csp = http_headers.content_security_policy(["'sha256-abc'"], "https://help.example.com")
    directives = dict(part.split(" ", 1) for part in csp.split("; "))
    # No string evaluation: the page runs only code from the build (components/browser_bridge).
    assert directives["script-src"] == "'self' 'sha256-abc'"
    assert "'unsafe-eval'" not in csp
    assert directives["connect-src"] == "'self' https://help.example.com wss://help.example.com"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]


def test_middleware_adds_headers_and_keeps_a_routes_own(tmp_path, monkeypatch):
    monkeypatch.setattr(http_headers, "_frontend_build_dir", lambda: tmp_path)
    http_headers.security_headers.cache_clear()

    async def page(request):
        return PlainTextResponse("page")

    async def download(request):
        return PlainTextResponse("file", headers={"Content-Security-Policy": "sandbox"})

    inner = Starlette(routes=[Route("/page", page), Route("/download", download)])
    client = TestClient(http_headers.SecurityHeaders(inner))
    try:
        headers = client.get("/page").headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert client.get("/missing").headers["x-frame-options"] == "DENY"  # 404s too
        download_headers = client.get("/download").headers
        assert download_headers["content-security-policy"] == "sandbox"
        assert download_headers["x-content-type-options"] == "nosniff"
    finally:
        http_headers.security_headers.cache_clear()


def test_no_script_strings_for_the_page_to_evaluate():
    """The CSP has no 'unsafe-eval': code that sends the page JavaScript as a string breaks
    it. What the server asks of the page goes through components/browser_bridge.jsx."""
    from pathlib import Path

    root = Path(http_headers.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if any(f"rx.{name}(" in line for name in ("call_script", "call_function", "run_script"))
    ]
    assert not offenders, offenders
