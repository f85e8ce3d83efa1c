"""Attachment downloads, served by the app's own backend (mounted through rx.App api_transformer).

GET /attachments/{id}            the file, always as a download
GET /attachments/{id}/thumbnail  the Pillow-made PNG thumbnail of an image (inline)

The user comes from the session cookie, never from the URL; attachments.open_download re-checks
that they may see the file. Anything not allowed, missing or malformed is a plain 404, so an
attachment id reveals nothing about whether it exists.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from ticketapp.db import run_in_session
from ticketapp.services import attachments, auth
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.session_cookie import SESSION_COOKIE, cookie_from
from ticketapp.session_cookie import routes as session_routes

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _open(session, token: str, attachment_id: str, thumbnail: bool):
    user = auth.resolve_session(session, token) if token else None
    if user is None:
        return None
    return attachments.open_download(session, Actor.of(user), attachment_id, thumbnail=thumbnail)


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers=_SECURITY_HEADERS)


async def _serve(request: Request, thumbnail: bool) -> Response:
    token = cookie_from(request.headers.get("cookie", ""), SESSION_COOKIE)
    try:
        found = await run_in_session(_open, token, request.path_params["attachment_id"], thumbnail)
    except ServiceError:
        return _not_found()
    if found is None:
        return _not_found()
    path, filename, content_type = found
    return FileResponse(
        path,
        media_type=content_type,
        filename=filename,
        content_disposition_type="inline" if thumbnail else "attachment",
        headers=_SECURITY_HEADERS,
    )


async def download(request: Request) -> Response:
    return await _serve(request, thumbnail=False)


async def thumbnail(request: Request) -> Response:
    return await _serve(request, thumbnail=True)


def attachment_url(attachment_id: int | str) -> str:
    return f"/attachments/{attachment_id}"


routes = [
    Route("/attachments/{attachment_id}", download, methods=["GET", "HEAD"]),
    Route("/attachments/{attachment_id}/thumbnail", thumbnail, methods=["GET", "HEAD"]),
]


def create_api() -> Starlette:
    """The Starlette app Reflex mounts its own backend under (see rx.App api_transformer):
    the downloads, and the session cookie's sign-in/sign-out answers (session_cookie.py)."""
    return Starlette(routes=routes + session_routes)
