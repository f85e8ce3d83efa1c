"""The session cookie: HttpOnly, SameSite=Strict, Secure over TLS; set and cleared only by HTTP
answers of the app's own backend, read on the server only.

POST /auth/session   {code, next}: redeems a sign-in hand-off (services/session_handoff.py),
                     sets the session cookie (and the remembered device's), then 303 to `next`
POST /auth/sign-out  ends the session of the cookie, clears it, then 303 to /login

Reflex handlers read the cookie from the websocket's handshake headers (`cookie_from`), which
Reflex keeps on the server (it never sends the Cookie header to the page). Both routes refuse a
request another site started (Origin / Sec-Fetch-Site), so no page elsewhere can sign a browser
in or out.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ticketapp.config import base_url
from ticketapp.db import run_in_session
from ticketapp.services import auth, devices, session_handoff

SESSION_COOKIE = "ticketapp_session"
DEVICE_COOKIE = "ticketapp_device"
SESSION_MAX_AGE = 14 * 24 * 3600
DEVICE_MAX_AGE = devices.REMEMBER_DAYS * 24 * 3600
SIGN_IN_PATH = "/auth/session"
SIGN_OUT_PATH = "/auth/sign-out"
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def cookie_from(header: str, name: str) -> str:
    """One cookie's value from a Cookie header ("" when absent)."""
    for part in (header or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return unquote(value.strip().strip('"'))
    return ""


def safe_next(path: str) -> str:
    """Only same-site paths: never redirect to another origin."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        return ""
    return "" if "\\" in path or any(ord(c) < 32 for c in path) else path


def _same_origin(request: Request) -> bool:
    """Not started by another site: browsers send Sec-Fetch-Site and Origin with a form post."""
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def _secure(request: Request) -> bool:
    return (
        request.url.scheme == "https"
        or request.headers.get("x-forwarded-proto", "") == "https"
        or base_url().startswith("https://")
    )


def _set(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


def _refused() -> Response:
    return PlainTextResponse("Forbidden", status_code=403, headers=_NO_STORE)


async def sign_in(request: Request) -> Response:
    if not _same_origin(request):
        return _refused()
    form = await request.form()
    code, target = str(form.get("code", "")), safe_next(str(form.get("next", "")))
    tokens = await run_in_session(session_handoff.redeem, code)
    if tokens is None:
        return RedirectResponse("/login", status_code=303, headers=_NO_STORE)
    token, device_token = tokens
    response = RedirectResponse(target or "/", status_code=303, headers=_NO_STORE)
    _set(response, request, SESSION_COOKIE, token, SESSION_MAX_AGE)
    if device_token:
        _set(response, request, DEVICE_COOKIE, device_token, DEVICE_MAX_AGE)
    return response


async def sign_out(request: Request) -> Response:
    if not _same_origin(request):
        return _refused()
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        await run_in_session(auth.end_session, token)
    response = RedirectResponse("/login", status_code=303, headers=_NO_STORE)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


routes = [
    Route(SIGN_IN_PATH, sign_in, methods=["POST"]),
    Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
]
