"""This worker's registry of open analytics tabs: which filter set each one views, and for whom.

Pure bookkeeping; state.py computes each viewed filter set and pushes it to its tabs.
"""

from __future__ import annotations

import copy
import time
from datetime import timedelta
from typing import Any

VIEW_TTL = timedelta(days=7)  # a view not (re)opened for this long stops being recomputed
MAX_VIEWS = 32  # distinct filter sets kept live (least recently opened dropped first)
MAX_VIEWERS = 5_000  # registered tabs (stale ones are dropped on the next push anyway)


# The analytics tabs open on this worker: client token ->
# {"key": filter key, "params": URL params, "user": user id, "seen": time}.
_viewers: dict[str, dict[str, Any]] = {}


def _bounded(viewers: dict[str, dict[str, Any]], now: float) -> dict[str, dict[str, Any]]:
    """The registry within its bounds: views (filter sets) last opened within VIEW_TTL, the
    MAX_VIEWS most recently opened of them, and at most MAX_VIEWERS tabs (newest kept)."""
    opened: dict[str, float] = {}
    for v in viewers.values():
        opened[v["key"]] = max(opened.get(v["key"], 0.0), v["seen"])
    live_keys = sorted(
        (k for k, at in opened.items() if now - at < VIEW_TTL.total_seconds()),
        key=lambda k: opened[k],
    )[-MAX_VIEWS:]
    keep = set(live_keys)
    kept = sorted(
        ((t, v) for t, v in viewers.items() if v["key"] in keep), key=lambda tv: tv[1]["seen"]
    )
    return dict(kept[-MAX_VIEWERS:])


def register_viewer(token: str, key: str, params: dict[str, str], user_id: int) -> None:
    """Put a tab on this worker's feed for filter set `key` (idempotent; every on_load)."""
    now = time.time()
    entry = {"key": key, "params": params, "user": user_id, "seen": now}
    kept = _bounded({**_viewers, token: entry}, now)
    _viewers.clear()
    _viewers.update(kept)


def open_views() -> dict[str, dict[str, Any]]:
    """A copy of the registry within its bounds: what one refresh round works on."""
    return _bounded(copy.deepcopy(_viewers), time.time())


def forget(tokens: set[str], seen: dict[str, dict[str, Any]]) -> None:
    """Drop these tabs, but only the registrations the round saw in `seen` (from open_views):
    a tab may have re-registered meanwhile."""
    for token in tokens:
        if token in seen and _viewers.get(token) == seen[token]:
            del _viewers[token]
