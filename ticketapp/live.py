"""The change feed: after a commit, a handler publishes what changed; live views (board,
analytics, portal, notifications) subscribe and push updates to every open browser.

Fan-out to browsers goes through `rx.SharedState` linked to a fixed token: a listener modifies
that shared state with `shared_state(...)`, and Reflex sends the delta to every linked client,
across workers when Redis is configured. Publishing never blocks or fails the handler.

Linking has a cost: while a client is linked, EVERY event of that client holds the shared
token's lock for the whole handler (Reflex's `_modify_linked_states` patches each linked state
in the client's tree under that lock). Fine for a per-user or per-ticket token; a token that
many busy clients share (the board) serializes them all. Those views keep a registry of client
tokens instead and `push` to each client's own state (see pages/board.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
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


async def push(tokens: Iterable[str], cls: type[S], apply: Callable[[S], bool]) -> set[str]:
    """Run `apply` on `cls` in each connected client's own state, concurrently.

    Each client is modified under its own lock only (the way Reflex itself updates linked
    clients), and its delta goes to its browser (relayed to the owning worker with Redis).
    Returns the tokens to forget: disconnected clients, and those for which `apply` said False.
    """
    from ticketapp.ticketapp import app

    namespace = app.event_namespace
    if namespace is None:
        return set()
    tokens = list(dict.fromkeys(tokens))

    async def one(token: str) -> bool:
        try:
            # Never touch a gone client's state: that would recreate an expired one.
            if not await namespace._token_manager.is_token_connected(token):
                return False
            async with app.modify_state(rx.BaseStateToken(ident=token, cls=cls)) as root:
                return bool(apply(await root.get_state(cls)))
        except Exception:
            log.exception("live push to a client failed")
            return True

    kept = await asyncio.gather(*(one(t) for t in tokens))
    return {t for t, keep in zip(tokens, kept, strict=True) if not keep}
