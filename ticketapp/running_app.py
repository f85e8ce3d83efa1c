"""The running `rx.App`, handed over by ticketapp.py when it builds the app.

The few lower modules that must reach the app (live pushes into tabs' states, session recovery
asking for a page's load events) take it from here instead of importing the app module, which
imports every page: that import made the whole UI one import cycle.
"""

from __future__ import annotations

import reflex as rx

_app: rx.App | None = None


def register(app: rx.App) -> rx.App:
    global _app
    _app = app
    return app


def get() -> rx.App:
    if _app is None:
        raise RuntimeError("the app is not built yet (ticketapp.ticketapp registers it)")
    return _app
