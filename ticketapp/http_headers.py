"""Security headers on every HTTP response the app serves: pages, static assets, attachment
downloads (and any route mounted beside them).

One ASGI middleware, the outermost of rx.App's api_transformers, so the compiled frontend Reflex
mounts is covered too; ticketapp/deploy/nginx.conf sets the same headers (plus HSTS with TLS).

The Content-Security-Policy allows scripts from the app's own origin and the inline scripts the
production build wrote into its HTML files (theme, router context, streaming markers), by their
SHA-256 hashes, read from the build once: no other inline script, no inline event handler, no
plugin, no <base>, no framing, no string evaluation (no 'unsafe-eval': the app sends the page
no script strings, see components/browser_bridge.py and ticketapp/toasts.py). One allowance
remains, from Reflex itself: inline styles (Emotion and Radix write style tags and attributes).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ticketapp.config import base_url

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)


def hashes_in(html: bytes) -> set[str]:
    """CSP sources ('sha256-...') of the inline scripts of one HTML document."""
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode() + "'"
        for match in _INLINE_SCRIPT.finditer(html)
    }


def inline_script_hashes(build_dir: Path) -> list[str]:
    """CSP sources of every inline script in the built HTML files, sorted."""
    found: set[str] = set()
    for page in build_dir.rglob("*.html"):
        found |= hashes_in(page.read_bytes())
    return sorted(found)


def policy_for_page(html: bytes) -> str:
    """The policy for a page the backend renders itself (the API docs): its own inline scripts."""
    return content_security_policy(sorted(hashes_in(html)), base_url())


def _websocket_origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}"


def content_security_policy(script_hashes: list[str], public_url: str) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", public_url, _websocket_origin(public_url)],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


@functools.cache
def _frontend_build_dir() -> Path:
    from reflex import constants
    from reflex.utils import prerequisites

    return prerequisites.get_web_dir() / constants.Dirs.STATIC


@functools.cache
def security_headers() -> tuple[tuple[bytes, bytes], ...]:
    """The headers, computed once per process (the build does not change while it runs)."""
    csp = content_security_policy(inline_script_hashes(_frontend_build_dir()), base_url())
    return tuple(
        (name.lower().encode(), value.encode())
        for name, value in (
            ("Content-Security-Policy", csp),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Permissions-Policy", PERMISSIONS_POLICY),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        )
    )


class SecurityHeaders:
    """ASGI middleware: adds `security_headers()` to every HTTP response that does not set the
    header itself (attachment downloads keep their stricter sandbox policy)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in security_headers() if n not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
