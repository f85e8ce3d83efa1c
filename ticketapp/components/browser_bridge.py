"""Page-side helpers the server drives through props (browser_bridge.jsx), instead of sending
script strings for the page to evaluate: the Content-Security-Policy has no 'unsafe-eval'.

- session_handoff: posts a sign-in code to /auth/session (ticketapp/session_cookie.py);
- storage_recall: sends the browser's stored values back (the recovery in ticketapp/state.py);
- focus_first: focuses the first element a selector finds (e.g. a form's first invalid field);
- post_form: a plain form the browser posts itself (sign-out clears the cookie that way);
- file_clearer: clears an upload box's picked files when a handler asks (state.clear_files);
- toast_bridge: shows the toasts handlers send (ticketapp/toasts.py), on every page.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import passthrough_event_spec

_ASSET = rx.asset("browser_bridge.jsx", shared=True)


class SessionHandoff(rx.NoSSRComponent):
    library = _ASSET.importable_path
    tag = "SessionHandoff"

    action: rx.Var[str]
    code: rx.Var[str]
    next: rx.Var[str]


class StorageRecall(rx.NoSSRComponent):
    library = _ASSET.importable_path
    tag = "StorageRecall"

    request: rx.Var[str]
    names: rx.Var[dict[str, Any]]
    on_recall: rx.EventHandler[passthrough_event_spec(dict)]


class FocusFirst(rx.NoSSRComponent):
    library = _ASSET.importable_path
    tag = "FocusFirst"

    request: rx.Var[str]
    selector: rx.Var[str]


class PostForm(rx.NoSSRComponent):
    library = _ASSET.importable_path
    tag = "PostForm"

    action: rx.Var[str]


class ToastBridge(rx.NoSSRComponent):
    library = _ASSET.importable_path
    tag = "ToastBridge"
    lib_dependencies: list[str] = ["sonner@2.0.8"]  # the version Reflex's own Toaster uses

    shown: rx.Var[dict[str, str]]


class FileClearer(rx.NoSSRComponent):
    library = _ASSET.importable_path
    tag = "FileClearer"

    request: rx.Var[dict[str, str]]


file_clearer = FileClearer.create
post_form = PostForm.create
session_handoff = SessionHandoff.create
storage_recall = StorageRecall.create
focus_first = FocusFirst.create
toast_bridge = ToastBridge.create
