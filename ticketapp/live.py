"""The change feed: after a commit, a handler publishes what changed; live views (board,
analytics, portal, notifications) subscribe and push updates to every open browser.

Fan-out to browsers goes through `rx.SharedState` linked to a fixed token: a listener modifies
that shared state with `shared_state(...)`, and Reflex sends the delta to every linked client,
across workers when Redis is configured. Publishing never blocks or fails the handler.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

import reflex as rx

log = logging.getLogger(__name__)
S = TypeVar("S", bound=rx.State)


@dataclass(frozen=True)
class Change:
    kind: str  # "ticket", "comment", "rating", "deflection", "kb", "user"
    ticket_ids: tuple[int, ...] = ()
    actor_id: int | None = None


Listener = Callable[[Change], Awaitable[None]]
_listeners: list[Listener] = []
_tasks: set[asyncio.Task] = set()


def subscribe(listener: Listener) -> Listener:
    """Register a listener (usable as a decorator). Listeners coalesce bursts themselves."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def publish(change: Change) -> None:
    """Tell every listener, in background tasks, that `change` was committed."""
    for listener in list(_listeners):
        task = asyncio.get_running_loop().create_task(_deliver(listener, change))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)


async def _deliver(listener: Listener, change: Change) -> None:
    try:
        await listener(change)
    except Exception:
        log.exception("live listener %s failed on %s", listener, change)


@asynccontextmanager
async def shared_state(token: str, cls: type[S]) -> AsyncIterator[S]:
    """Modify the shared state `cls` linked to `token`, from anywhere in the backend."""
    from ticketapp.ticketapp import app

    async with app.modify_state(rx.BaseStateToken(ident=token, cls=cls)) as root:
        yield await root.get_state(cls)
