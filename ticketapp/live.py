"""The change feed: after a commit, a handler publishes what changed; live views (board,
analytics, portal, ticket pages, the bell) follow it and update every open browser.

No live view links a shared state. A linked client holds the shared token's lock for the whole
of EVERY event it sends (Reflex's `_modify_linked_states`), so busy clients sharing a token
serialized (the board, found by `make load`), and with Redis two tabs of one user, each linked
to the user's bell and to a ticket's feed, could take those locks in opposite orders and
deadlock until a lock expired. Instead each view keeps this worker's open tabs in a `Tabs`
registry and pushes into each tab's own state, under that tab's lock only (`push`). Most
pushes only move a stamp (`bump`): the page then reloads its own view in its own event, under
its own session, so nothing one user may not see travels in a push.

Several workers (with Redis): a listener registered with `subscribe_every_worker` runs in
EVERY worker for every change (the change is broadcast on a Redis channel, `relay_loop`), and
serves only the tabs connected to its own worker (`local_only=True`): no state crosses
workers. Publishing never blocks or fails the handler.

Other processes (the `ingest-mail` pipe command) cannot publish: they announce their changes
through the database, and every worker picks them up (ticketapp/outside_changes.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import reflex as rx

from ticketapp import running_app

log = logging.getLogger(__name__)
S = TypeVar("S", bound=rx.State)


@dataclass(frozen=True)
class Change:
    kind: str  # "ticket", "comment", "rating", "deflection", "kb", "user"
    ticket_ids: tuple[int, ...] = ()
    actor_id: int | None = None
    # The client token of the tab that made the change. That tab has already reloaded its own
    # view, so a feed built with `skip_origin` leaves it out (not sent to other workers: a tab
    # publishes from the worker it is connected to).
    origin: str = ""


Listener = Callable[[Change], Awaitable[None]]
_worker_listeners: list[Listener] = []
_tasks: set[asyncio.Task] = set()
CHANNEL = "ticketapp:changes"
_worker_ids: dict[int, str] = {}
RELAY_RETRY_SECONDS = 1.0


def subscribe_every_worker(listener: Listener) -> Listener:
    """Register a listener run in every worker for every change (see the module docstring)."""
    if listener not in _worker_listeners:
        _worker_listeners.append(listener)
    return listener


_remote_listeners: list[Listener] = []


def subscribe_remote(listener: Listener) -> Listener:
    """Register a listener run for the changes OTHER workers made (relayed over Redis): for
    what this worker keeps in memory about rows another worker changed."""
    if listener not in _remote_listeners:
        _remote_listeners.append(listener)
    return listener


def _start(coro) -> None:
    task = asyncio.get_running_loop().create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def publish(change: Change) -> None:
    """Tell every listener, in background tasks, that `change` was committed."""
    for listener in _worker_listeners:
        _start(_deliver(listener, change))
    if _redis_url():
        _start(_broadcast(change))


def publish_here(change: Change) -> None:
    """`publish` to this worker's listeners only (each worker learns of the change by itself:
    ticketapp/outside_changes.py)."""
    for listener in _worker_listeners:
        _start(_deliver(listener, change))


def tickets_changed(ticket_ids: tuple[int, ...]) -> None:
    """`publish` for work done outside any tab (the scheduler): these tickets changed."""
    publish(Change(kind="ticket", ticket_ids=ticket_ids))


def notified() -> None:
    """`publish` for notifications made outside any tab about no ticket (the scheduler turned a
    webhook endpoint off): the bells of their recipients reload."""
    publish(Change(kind="notification"))


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


_sync_redis_client = None


def announce(kind: str) -> None:
    """Tell the OTHER workers of a change, synchronously, from any thread (a commit hook runs
    in the handler's worker thread). Without Redis there are no other workers. Never fails."""
    global _sync_redis_client
    if not _redis_url():
        return
    try:
        if _sync_redis_client is None:
            import redis

            _sync_redis_client = redis.Redis.from_url(_redis_url(), socket_timeout=2)
        message = {"worker": _worker(), "kind": kind, "ids": [], "actor": None}
        _sync_redis_client.publish(CHANNEL, json.dumps(message))
    except Exception:
        log.warning("change announcement failed", exc_info=True)


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
                    for listener in [*_remote_listeners, *_worker_listeners] if change else []:
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


async def push(
    tokens: Iterable[str], cls: type[S], apply: Callable[[S], bool], local_only: bool = False
) -> set[str]:
    """Run `apply` on `cls` in each connected client's own state, concurrently.

    Each client is modified under its own lock only (the way Reflex itself updates linked
    clients), and its delta goes to its browser (relayed to the owning worker with Redis).
    `local_only`: skip, and forget, clients whose socket is on another worker.
    Returns the tokens to forget: disconnected clients, and those for which `apply` said False.
    """
    return await push_each(dict.fromkeys(tokens, apply), cls, local_only)


async def push_each(
    applies: Mapping[str, Callable[[S], bool]], cls: type[S], local_only: bool = False
) -> set[str]:
    """`push` with an `apply` of its own for each client token."""
    app = running_app.get()
    namespace = app.event_namespace
    if namespace is None:
        return set()
    manager = namespace._token_manager

    async def one(token: str, apply: Callable[[S], bool]) -> bool:
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

    tokens = list(applies)
    kept = await asyncio.gather(*(one(t, applies[t]) for t in tokens))
    return {t for t, keep in zip(tokens, kept, strict=True) if not keep}


class Tabs:
    """The tabs open on THIS worker for one live view, each under the key whose changes it
    follows (a user id, a ticket id; one shared key when every tab takes every change).

    A page's on_load (or mount) registers its tab; `push` runs an update in the tabs under the
    given keys, each in that tab's own state under its own lock, and forgets the tabs that are
    gone or said they left the view. Bounded: past `limit`, the oldest registrations go.
    """

    def __init__(self, cls: type[rx.State], limit: int = 20_000):
        self.cls = cls
        self.limit = limit
        self._tabs: dict[str, tuple[Hashable, float]] = {}

    def register(self, token: str, key: Hashable = None) -> None:
        self._tabs[token] = (key, time.time())
        if len(self._tabs) > self.limit:
            newest = sorted(self._tabs.items(), key=lambda kv: kv[1][1])[-self.limit :]
            self._tabs.clear()
            self._tabs.update(newest)

    def followed(self) -> set[Hashable]:
        """The keys some tab here follows."""
        return {key for key, _ in self._tabs.values()}

    def __len__(self) -> int:
        return len(self._tabs)

    async def push(
        self, applies: Mapping[Hashable, Callable[[Any], bool]], skip: Iterable[str] = ()
    ) -> None:
        """Run `applies[key]` in every tab registered under `key` (those on this worker),
        except the tabs in `skip`."""
        skip = set(skip)
        seen = {
            t: entry for t, entry in self._tabs.items() if entry[0] in applies and t not in skip
        }
        if not seen:
            return
        per_tab = {t: applies[key] for t, (key, _) in seen.items()}
        gone = await push_each(per_tab, self.cls, local_only=True)
        # Forget only the registrations this push saw (a tab may have re-registered).
        for token in gone:
            if self._tabs.get(token) == seen[token]:
                del self._tabs[token]


class Coalescer:
    """Run `work(changes)` once per burst of changes, one run at a time: the first poke starts
    a short timer; changes poked during the timer or the work go into (at most) one more run."""

    def __init__(self, work: Callable[[list[Change]], Awaitable[Any]], delay: float):
        self.work = work
        self.delay = delay
        self.runs = 0
        self._changes: list[Change] = []
        self._dirty = False
        self._task: asyncio.Task | None = None

    def poke(self, change: Change | None = None) -> None:
        self._dirty = True
        if change is not None:
            self._changes.append(change)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        try:
            while self._dirty:
                await asyncio.sleep(self.delay)
                self._dirty = False
                changes, self._changes = self._changes, []
                self.runs += 1
                try:
                    await self.work(changes)
                except Exception:
                    log.exception("live feed: %s failed", getattr(self.work, "__name__", ""))
        finally:
            self._task = None

    async def idle(self) -> None:
        while self._task is not None:
            await asyncio.sleep(0.01)


Updates = Mapping[Hashable, Callable[[Any], bool]]


class Feed:
    """One live view on this worker: its open tabs, the kinds of change it follows, and what a
    burst of them does to which tabs (`updates(changes, followed keys)` -> key -> update,
    run under each tab's own lock). Listens in every worker; coalesces bursts."""

    def __init__(
        self,
        cls: type[rx.State],
        kinds: Iterable[str],
        updates: Callable[[list[Change], set[Hashable]], Awaitable[Updates]],
        delay: float,
        limit: int = 20_000,
        skip_origin: bool = False,
    ):
        self.tabs = Tabs(cls, limit)
        self.kinds = frozenset(kinds)
        self.skip_origin = skip_origin
        self._updates = updates
        self._coalescer = Coalescer(self._run, delay)
        subscribe_every_worker(self._on_change)

    def register(self, token: str, key: Hashable = None) -> None:
        """Put a tab on this feed (idempotent: every load calls it)."""
        self.tabs.register(token, key)

    async def _on_change(self, change: Change) -> None:
        if change.kind in self.kinds:
            self._coalescer.poke(change)

    async def _run(self, changes: list[Change]) -> None:
        followed = self.tabs.followed()
        if followed:
            skip = set()
            if self.skip_origin:
                origins = {c.origin for c in changes}
                if len(origins) == 1 and "" not in origins:  # one tab made the whole burst
                    skip = origins
            await self.tabs.push(await self._updates(changes, followed), skip)


def ticket_ids(changes: Iterable[Change]) -> set[int]:
    return {int(i) for c in changes for i in c.ticket_ids}


def bump(state: rx.State, on_view: bool, stamp: str = "feed_stamp") -> bool:
    """The usual push: move the tab's stamp so its page reloads its own view (under its own
    session, so a push carries no data). False (forget the tab) when it left the view.

    A state with no URL is a fresh one (Redis lost the tab's): a random stamp makes the page
    send its reload event anyway, which recovers the session and rebuilds the page (state.py).
    """
    if not (state.router.url.path or ""):
        setattr(state, stamp, secrets.randbelow(2**31) + 1)
        return True
    if not on_view:
        return False
    setattr(state, stamp, getattr(state, stamp) + 1)
    return True
