"""One error shape for every failure: `{"error": {"code", "message", "field"}}`, the message in
the caller's language, never a stack trace.

ServiceError subclasses map to statuses here and only here; the services decide what is wrong.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ServiceError,
    TooManyRequests,
)

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
}
MESSAGES = {
    400: N_("The request is malformed."),
    401: N_("Send a valid API token: Authorization: Bearer <token>."),
    403: N_("You are not allowed to do that."),
    404: N_("Not found."),
    405: N_("This method is not allowed here."),
    413: N_("The request is too large."),
    415: N_("The request is malformed."),
    422: N_("Check the values you sent."),
    429: N_("Too many requests. Wait a moment and try again."),
    500: N_("Something went wrong on our side. Try again later."),
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """A refusal made by the API layer itself (auth, scope, rate limit, preconditions)."""

    def __init__(
        self,
        status: int,
        msgid: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        **params: object,
    ):
        super().__init__(msgid or MESSAGES.get(status, ""))
        self.status = status
        self.msgid = msgid or MESSAGES.get(status, MESSAGES[500])
        self.params = params
        self.field = field
        self.headers = headers or {}


def error_response(
    status: int, message: str, field: str | None = None, headers: dict | None = None
) -> JSONResponse:
    body = {"error": {"code": CODES.get(status, "error"), "message": message, "field": field}}
    return JSONResponse(body, status_code=status, headers=headers)


def status_of(exc: ServiceError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, TooManyRequests):
        return 429
    return 422


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    headers = None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after)}
    return error_response(status_of(exc), exc.message, exc.field, headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, i18n._(exc.msgid, **exc.params), exc.field, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """pydantic's refusals: unreadable JSON or no body object is 400, a bad field 422."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    loc = tuple(first.get("loc", ()))
    if first.get("type") == "json_invalid" or loc == ("body",):
        return error_response(400, i18n._(MESSAGES[400]))
    names = [str(part) for part in loc[1:]] if len(loc) > 1 else [str(p) for p in loc]
    return error_response(422, i18n._(N_("This value is missing or not valid.")), ".".join(names))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code if exc.status_code in CODES else 400
    return error_response(status, i18n._(MESSAGES.get(status, MESSAGES[400])), None, exc.headers)


class CatchAll:
    """Any unexpected exception becomes a 500 in the error shape (logged, never shown); sets the
    language of the request's messages from Accept-Language."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        # The caller's language from the first byte, so even a refusal before sign-in speaks it
        # (deps.caller switches to the user's setting when there is no Accept-Language).
        accept = dict(scope.get("headers") or []).get(b"accept-language", b"")
        i18n.use(i18n.negotiate(accept.decode("latin-1")))
        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("API request failed: %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(500, i18n._(MESSAGES[500]))
            await response(scope, receive, send)


class BodyLimit:
    """A request announcing a body over `max_bytes` is refused with 413 before it is read."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers") or []).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > self.max_bytes:
                status = 400 if not length.isdigit() else 413
                await error_response(status, i18n._(MESSAGES[status]))(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install(app: FastAPI, max_body: int) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(CatchAll)
