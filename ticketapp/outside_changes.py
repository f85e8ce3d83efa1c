"""Live updates for changes made outside the app's processes.

`python -m ticketapp ingest-mail` runs in a process of its own (a mail server's pipe transport
starts it per message): it has no app, no tabs and no event loop to `live.publish` on. After its
commit it calls `announce`, which writes an `OutsideChange` row; every app worker runs
`poll_loop` (a lifespan task), reads the rows of the last WINDOW every POLL seconds and hands the
ones it has not seen to its own live views (`live.publish_here`), as if the change had been made
in that worker. Works with or without Redis and across hosts sharing the database; costs one
indexed query per worker per poll. Rows older than KEEP are deleted by the announcer.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ticketapp import live
from ticketapp.models import OutsideChange, utcnow

log = logging.getLogger(__name__)
WINDOW = timedelta(seconds=60)  # rows this recent are read (covers a late commit, clock skew)
KEEP = timedelta(minutes=10)


def poll_seconds() -> float:
    try:
        return max(0.2, float(os.environ.get("TICKETAPP_OUTSIDE_CHANGES_POLL", "1")))
    except ValueError:
        return 1.0


def announce(engine: Engine, ticket_ids: Iterable[int], kind: str = "ticket") -> None:
    """Record, after the caller's commit, that these tickets changed (and prune old rows)."""
    ids = sorted({int(i) for i in ticket_ids})
    if not ids:
        return
    with Session(engine) as session:
        session.add(OutsideChange(kind=kind, ticket_ids=ids))
        old = delete(OutsideChange).where(col(OutsideChange.created_at) < utcnow() - KEEP)
        session.exec(old)  # type: ignore[call-overload]
        session.commit()


def recent(engine: Engine) -> list[OutsideChange]:
    since = utcnow() - WINDOW
    with Session(engine) as session:
        rows = select(OutsideChange).where(col(OutsideChange.created_at) >= since)
        return list(session.exec(rows.order_by(col(OutsideChange.id))).all())


def unseen(engine: Engine, seen: set[int]) -> list[live.Change]:
    """The recent changes not in `seen` (which is updated to the recent ids)."""
    rows = recent(engine)
    fresh = [r for r in rows if r.id not in seen]
    seen.clear()
    seen.update(r.id for r in rows if r.id is not None)
    return [live.Change(kind=r.kind, ticket_ids=tuple(r.ticket_ids)) for r in fresh]


async def poll_loop() -> None:
    """The app's lifespan task (every worker): outside changes -> this worker's live views."""
    from ticketapp.db import get_engine

    engine = get_engine()
    seen: set[int] = set()
    every = poll_seconds()
    try:
        await asyncio.to_thread(unseen, engine, seen)  # what was announced before we started
    except Exception:
        log.warning("outside changes: first read failed", exc_info=True)
    while True:
        await asyncio.sleep(every)
        try:
            changes = await asyncio.to_thread(unseen, engine, seen)
        except Exception:
            log.warning("outside changes: read failed", exc_info=True)
            continue
        for change in changes:
            live.publish_here(change)
