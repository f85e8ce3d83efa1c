"""Toasts from handlers, shown by code in the build instead of a script string.

Reflex's `rx.toast.*` sends the page a string of JavaScript to evaluate, which the
Content-Security-Policy refuses (no 'unsafe-eval'). `route_through` makes every `rx.toast.*`
call with a plain message, in handlers and in Reflex's own error answer, an event for
SessionState.show_toast instead: it sets a state var that ToastBridge (browser_bridge.jsx)
shows once. Toasts built into the page (`on_click=rx.toast...(t(...))`, a Var) stay as they
are: the build compiles them to functions, nothing is evaluated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reflex_base.vars.base import Var
from reflex_components_sonner.toast import ToastNamespace

LEVELS = ("info", "success", "warning", "error")
_ORIGINAL = {level: getattr(ToastNamespace, level) for level in LEVELS}
_ORIGINAL_CALL = ToastNamespace.__call__


def _text(message: Any, props: dict[str, Any]) -> str:
    parts = [message, props.get("title", ""), props.get("description", "")]
    return "\n".join(str(p) for p in parts if isinstance(p, str) and p)


def route_through(show: Callable[[str, str], Any]) -> None:
    """Send every plain-text `rx.toast` through `show(level, text)` (an event handler)."""

    def bridged(level: str):
        def send(message: Any = "", **props: Any):
            if isinstance(message, Var) or any(isinstance(v, Var) for v in props.values()):
                return _ORIGINAL[level](message, **props)
            return show(level, _text(message, props))

        return staticmethod(send)

    def call(message: Any = "", level: str | None = None, **props: Any):
        if isinstance(message, Var) or any(isinstance(v, Var) for v in props.values()):
            return _ORIGINAL_CALL(message, level=level, **props)
        props.pop("fallback_to_alert", None)
        return show(level if level in LEVELS else "info", _text(message, props))

    for level in LEVELS:
        setattr(ToastNamespace, level, bridged(level))
    ToastNamespace.__call__ = staticmethod(call)  # type: ignore[method-assign]
