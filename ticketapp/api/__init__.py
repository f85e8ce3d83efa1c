"""The REST API for integrations, under /api/v1 (FastAPI; OpenAPI 3.1 at /api/v1/openapi.json,
an interactive page at /api/docs served from this machine, no CDN).

Routes and pydantic schemas only: every call resolves the token's actor (`deps.caller`) and
calls the same services/ as the pages, so a rule lives once. `create_app` builds it (tests pass
their engine); `route_api` is the rx.App api_transformer that sends /api/ to it and everything
else to the Reflex backend.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ticketapp import http_headers
from ticketapp.api import alerts, errors, resources, tickets
from ticketapp.api.deps import TokenBuckets, default_buckets
from ticketapp.api.errors import ErrorBody
from ticketapp.services import attachments

# Swagger UI 5 (OpenAPI 3.1) as shipped in the fastapi-offline wheel: served from here, no CDN.
SWAGGER_DIR = Path(fastapi_offline.__file__).parent / "static"
PREFIX = "/api/v1"
OPENAPI_URL = f"{PREFIX}/openapi.json"
DOCS_URL = "/api/docs"
MAX_BODY = attachments.MAX_BYTES + 1024 * 1024  # one file and its multipart wrapping
_ERRORS = {
    status: {"model": ErrorBody, "description": description}
    for status, description in {
        400: "Malformed request",
        401: "No valid token",
        403: "Not allowed for this user or token scope",
        404: "Not found, or not yours to see",
        409: "Conflict",
        412: "The If-Match version is stale",
        413: "Too large",
        422: "A value is not valid (`field` names it)",
        429: "Rate limited (see Retry-After)",
        500: "Server error",
    }.items()
}
DESCRIPTION = """The ticketapp help desk for integrations. Authenticate with a personal access
token (create one at /settings/tokens or `python -m ticketapp create-token`) sent as
`Authorization: Bearer tka_...`. A token acts as its user with that user's current role: a
requester's token sees only their tickets. Read-scoped tokens may only GET.

Errors are always `{"error": {"code", "message", "field"}}`; messages follow Accept-Language,
else the user's language setting.

Monitoring systems post alerts to `/alerts` with an integration token (`tki_...`, made by a
manager at /admin/integrations) instead: Alertmanager's webhook JSON or the generic shape."""


def create_app(engine: Engine | None = None, buckets: TokenBuckets | None = None) -> FastAPI:
    app = FastAPI(
        title="ticketapp API",
        version="1.0",
        description=DESCRIPTION,
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        responses=_ERRORS,  # type: ignore[arg-type]
    )
    app.state.engine = engine
    app.state.buckets = buckets or default_buckets()
    app.include_router(tickets.router, prefix=PREFIX)
    app.include_router(resources.router, prefix=PREFIX)
    app.include_router(alerts.router, prefix=PREFIX)
    errors.install(app, max_body=MAX_BODY)
    app.mount(f"{DOCS_URL}/assets", StaticFiles(directory=str(SWAGGER_DIR)), name="docs")

    @app.get(DOCS_URL, include_in_schema=False)
    async def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title="ticketapp API",
            swagger_js_url=f"{DOCS_URL}/assets/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_URL}/assets/swagger-ui.css",
            swagger_favicon_url="data:,",  # no icon request
        )
        # Its inline start-up script is allowed by hash, like the app's own pages.
        page.headers["Content-Security-Policy"] = http_headers.policy_for_page(page.body)
        return page

    return app


def route_api(backend: ASGIApp) -> ASGIApp:
    """The api_transformer: /api/... to the REST API, everything else to `backend`."""
    api = create_app()

    async def dispatch(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            await api(scope, receive, send)
        else:
            await backend(scope, receive, send)

    return dispatch
