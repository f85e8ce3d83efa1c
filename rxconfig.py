"""Reflex configuration. Every setting that varies by deployment comes from the environment.

The database is ours (ticketapp/db.py + Alembic), so Reflex's own db_url stays unset.
"""

import os

import reflex as rx

from ticketapp.config import settings

_port = int(os.environ.get("PORT", "3000"))
_origins = [f"http://localhost:{_port}", f"http://127.0.0.1:{_port}"]
_origins += [o for o in os.environ.get("TICKETAPP_ALLOWED_ORIGINS", "").split(",") if o]
# Behind a reverse proxy the browser must reach the websocket through the public address,
# which is baked into the frontend build: TICKETAPP_BASE_URL (e.g. https://help.example.com).
_public_url = os.environ.get("TICKETAPP_BASE_URL", "").rstrip("/")
_public = {"api_url": _public_url, "deploy_url": _public_url} if _public_url else {}
if _public_url:
    _origins.append(_public_url)

config = rx.Config(
    app_name="ticketapp",
    redis_url=settings.redis_url or None,
    # With Redis, a handler that holds a tab's state lock past this expiry has ALL its state
    # writes discarded after its answer was sent (the tab and the server then disagree).
    # Reflex's 10 s is reached under load (`make load`, 200 clients on 2 cores); 60 s is not.
    # REFLEX_REDIS_LOCK_EXPIRATION (ms) overrides it.
    redis_lock_expiration=60_000,
    redis_lock_warning_threshold=5_000,
    frontend_port=_port,
    backend_port=_port,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=_origins,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", has_background=True)
        ),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
    **_public,
)
