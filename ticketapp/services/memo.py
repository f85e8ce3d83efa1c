"""Answers remembered by this process until the rows they come from change (issue 21).

A `Memo` is a small LRU whose entries are forgotten all at once (`bump`) when a transaction
that changed the rows they depend on is committed, whoever committed it: `forget_on_commit`
watches SQLAlchemy sessions (ORM changes and bulk UPDATE/DELETE), so pages, the API, mail and
the scheduler need no call to forget. Other processes learn of changes through the live relay
(ticketapp/state.py bumps the memos on the changes it hears of), and no entry outlives
`max_age` seconds in any case (a change made with raw SQL, or by a process that cannot tell
this one, applies within it).

An answer computed while a bump happened is not kept: the generation is read before the
computation and checked before storing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

T = TypeVar("T")
MISSING: Any = object()  # what `get` returns for an unknown or outdated key
_every_memo: list[Memo] = []


def db_key(session: Session) -> int:
    """Which database a session reads, for memo keys: the engine's connection pool (a read-only
    session's bind is a fresh `execution_options` copy of the engine each time, sharing it)."""
    return id(session.get_bind().pool)


def forget_all() -> None:
    """Bump every memo of this process (a test that starts on a fresh database)."""
    for memo in _every_memo:
        memo.bump(announce=False)


class Memo:
    def __init__(self, name: str, max_entries: int, max_age: float):
        self.name = name
        self.max_entries = max_entries
        self.max_age = max_age
        self.generation = 0
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Any, int, float]] = OrderedDict()
        self._hooks: list[Callable[[], None]] = []
        self._computing: dict[Hashable, threading.Event] = {}
        self.changed: Callable[[Session], bool] = lambda session: False
        self.flag = f"ticketapp_memo_{name}"
        _every_memo.append(self)

    def bump(self, announce: bool = True) -> None:
        """Forget everything; `announce`: run the `on_bump` hooks (tell other processes)."""
        with self._lock:
            self.generation += 1
            self._entries.clear()
        for hook in list(self._hooks) if announce else []:
            hook()

    def on_bump(self, hook: Callable[[], None]) -> None:
        if hook not in self._hooks:
            self._hooks.append(hook)

    def get(self, key: Hashable) -> Any:
        """The value kept for `key`, or MISSING."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return MISSING
            value, generation, at = entry
            if generation != self.generation or time.monotonic() - at > self.max_age:
                del self._entries[key]
                return MISSING
            self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any, generation: int) -> None:
        """Keep `value`, computed from rows read after `generation` was read."""
        with self._lock:
            if generation != self.generation:
                return
            self._entries[key] = (value, generation, time.monotonic())
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def cached_for(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """`cached`, unless `session`'s own transaction changed what this memo follows (it
        must see its own changes, not the committed past): then `compute()` itself."""
        if session.info.get(self.flag) or self.changed(session):
            return compute()
        return self.cached(key, compute)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The remembered answer for `key`, else `compute()` (remembered). Answers are
        shared between callers: never change one. Callers that miss the same key together
        (a burst of the same search) wait for the first one's answer instead of each
        computing it (handlers call this from worker threads)."""
        value = self.get(key)
        if value is not MISSING:
            self.hits += 1
            return value
        with self._lock:
            running = self._computing.get(key)
            if running is None:
                self._computing[key] = threading.Event()
        if running is not None:
            running.wait(timeout=30)
            value = self.get(key)
            if value is not MISSING:
                self.hits += 1
                return value
            return compute()  # the first one failed, or a change came in meanwhile
        self.misses += 1
        try:
            generation = self.generation
            value = compute()
            self.put(key, value, generation)
            return value
        finally:
            with self._lock:
                self._computing.pop(key).set()


def forget_on_commit(
    memo: Memo,
    changed: Callable[[Session], bool],
    bulk_entities: tuple[type, ...],
) -> None:
    """Bump `memo` after every committed transaction for which `changed(session)` held before
    a flush, or that ran a bulk UPDATE/DELETE on one of `bulk_entities`."""
    flag = memo.flag
    memo.changed = changed

    def before_flush(session: Session, _context, _instances) -> None:
        if changed(session):
            session.info[flag] = True

    def bulk(state: ORMExecuteState) -> None:
        mapper = state.bind_mapper
        writes = state.is_update or state.is_delete
        if writes and mapper is not None and mapper.class_ in bulk_entities:
            state.session.info[flag] = True

    def after_commit(session: Session) -> None:
        # after_commit also fires when a SAVEPOINT is released: only the real commit counts.
        # A flag left by a rolled-back transaction costs one needless bump at most.
        if not session.in_nested_transaction() and session.info.pop(flag, False):
            memo.bump()

    event.listen(Session, "before_flush", before_flush)
    event.listen(Session, "do_orm_execute", bulk)
    event.listen(Session, "after_commit", after_commit)
