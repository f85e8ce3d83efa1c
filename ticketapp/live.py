"""The change feed: after a commit, a handler publishes what changed; live views (board,
analytics, portal, notifications) subscribe and push updates to every open browser.

Fan-out to browsers goes through `rx.SharedState` linked to a fixed token: a listener modifies
that shared state with `shared_state(...)`, and Reflex sends the delta to every linked client,
across workers when Redis is configured. Publishing never blocks or fails the handler.

Linking has a cost: while a client is linked, EVERY event of that client holds the shared
token's lock for the whole handler (Reflex's `_modify_linked_states` patches each linked state
in the client's tree under that lock). Fine for a per-user or per-ticket token; a token that
many busy clients share (the board, an analytics filter set) serializes them all. Those views
keep a registry of client tokens instead and `push` to each client's own state (see
pages/board.py and pages/analytics.py).

Several workers (with Redis): a listener registered with `subscribe` runs once, in the worker
that committed the change, and reaches other workers' browsers through shared states. A
listener registered with `subscribe_every_worker` runs in EVERY worker for every change (the
change is broadcast on a Redis channel, `relay_loop`), so it can serve only the browsers
connected to its own worker (`push(..., local_only=True)`): no state crosses workers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
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
_worker_listeners: list[Listener] = []
_tasks: set[asyncio.Task] = set()
CHANNEL = "ticketapp:changes"
_worker_ids: dict[int, str] = {}
RELAY_RETRY_SECONDS = 1.0


def subscribe(listener: Listener) -> Listener:
    """Register a listener run where the change was committed (usable as a decorator).
    Listeners coalesce bursts themselves."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def subscribe_every_worker(listener: Listener) -> Listener:
    """Register a listener run in every worker for every change (see the module docstring)."""
    if listener not in _worker_listeners:
        _worker_listeners.append(listener)
    return listener


def _start(coro) -> None:
    task = asyncio.get_running_loop().create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def publish(change: Change) -> None:
    """Tell every listener, in background tasks, that `change` was committed."""
    for listener in [*_listeners, *_worker_listeners]:
        _start(_deliver(listener, change))
    if _redis_url():
        _start(_broadcast(change))


def _worker() -> str:
    """This worker's id, to tell its own broadcasts apart. Per process: the app module is
    imported before the server forks its workers."""
    return _worker_ids.setdefault(os.getpid(), secrets.token_hex(8))


def _redis_url() -> str:
    from ticketapp.config import settings

    return settings.redis_url


_redis_client = None


async def _broadcast(change: Change) -> None:
    """Send `change` to the other workers (never fails the publisher: a lost broadcast costs
    other workers' boards a live update, not data)."""
    global _redis_client
    try:
        if _redis_client is None:
            import redis.asyncio as aioredis

            _redis_client = aioredis.Redis.from_url(_redis_url(), socket_timeout=5)
        message = {"worker": _worker(), "kind": change.kind, "ids": list(change.ticket_ids)}
        message["actor"] = change.actor_id
        await _redis_client.publish(CHANNEL, json.dumps(message))
    except Exception:
        log.warning("change broadcast failed", exc_info=True)


def _received(data: bytes) -> Change | None:
    try:
        message = json.loads(data)
        if message.get("worker") == _worker():
            return None
        ids = tuple(int(i) for i in message.get("ids") or ())
        actor = message.get("actor")
        return Change(str(message["kind"]), ids, int(actor) if actor is not None else None)
    except (ValueError, TypeError, KeyError):
        log.warning("ignored a malformed change broadcast")
        return None


async def relay_loop() -> None:
    """The app's lifespan task: hand other workers' changes to `subscribe_every_worker`
    listeners. Survives Redis restarts (resubscribes)."""
    if not _redis_url():
        return
    import redis.asyncio as aioredis

    while True:
        client = aioredis.Redis.from_url(_redis_url())
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(CHANNEL)
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    change = _received(message["data"])
                    for listener in list(_worker_listeners) if change else []:
                        _start(_deliver(listener, change))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("change relay lost Redis; retrying", exc_info=True)
            await asyncio.sleep(RELAY_RETRY_SECONDS)
        finally:
            await client.aclose()


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


async def push(
    tokens: Iterable[str], cls: type[S], apply: Callable[[S], bool], local_only: bool = False
) -> set[str]:
    """Run `apply` on `cls` in each connected client's own state, concurrently.

    Each client is modified under its own lock only (the way Reflex itself updates linked
    clients), and its delta goes to its browser (relayed to the owning worker with Redis).
    `local_only`: skip, and forget, clients whose socket is on another worker.
    Returns the tokens to forget: disconnected clients, and those for which `apply` said False.
    """
    from ticketapp.ticketapp import app

    namespace = app.event_namespace
    if namespace is None:
        return set()
    tokens = list(dict.fromkeys(tokens))

    manager = namespace._token_manager

    async def one(token: str) -> bool:
        try:
            if local_only:
                record = manager.token_to_socket.get(token)
                if record is None or record.instance_id != manager.instance_id:
                    return False
            # Never touch a gone client's state: that would recreate an expired one.
            elif not await manager.is_token_connected(token):
                return False
            async with app.modify_state(rx.BaseStateToken(ident=token, cls=cls)) as root:
                return bool(apply(await root.get_state(cls)))
        except Exception:
            log.exception("live push to a client failed")
            return True

    kept = await asyncio.gather(*(one(t) for t in tokens))
    return {t for t, keep in zip(tokens, kept, strict=True) if not keep}
