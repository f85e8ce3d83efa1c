"""Engine and sessions. SQLite gets WAL, foreign keys and a busy timeout on every connection."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from ticketapp.config import settings

R = TypeVar("R")
log = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///"):
            from pathlib import Path

            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy drive transactions (pysqlite's own BEGIN handling is off).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_begin_immediate(conn) -> None:
    # Writers take the lock up front, so a read-then-write transaction never fails to upgrade
    # (SQLITE_BUSY_SNAPSHOT); read-only sessions begin deferred and never wait for writers.
    if conn.get_execution_options().get("readonly"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@cache
def get_engine() -> Engine:
    return make_engine(settings.database_url)


@contextmanager
def session_scope(engine: Engine | None = None, readonly: bool = False) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    bind = engine or get_engine()
    if readonly:
        bind = bind.execution_options(readonly=True)
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


async def run_in_session(
    fn: Callable[..., R], *args, readonly: bool = False, idempotent: bool = False, **kwargs
) -> R:
    """Run `fn(session, *args)` in a worker thread inside one transaction.

    Event handlers use this so a slow query or a password hash never stalls the event loop.
    """

    return await asyncio.to_thread(
        run_with_retry, fn, *args, readonly=readonly, idempotent=idempotent, **kwargs
    )


RETRY_DELAYS = (0.5, 1.5, 3.0)  # seconds: rides out a database restart or failover


def _record_root_commit(committed: list[bool]) -> Callable[[Session], None]:
    # after_commit also fires when a SAVEPOINT (begin_nested) is released: that is no commit.
    def listener(session: Session) -> None:
        if not session.in_nested_transaction():
            committed.append(True)

    return listener


def run_with_retry(
    fn: Callable[..., R],
    *args,
    readonly: bool = False,
    idempotent: bool = False,
    engine: Engine | None = None,
    **kwargs,
) -> R:
    """`fn(session, *args)` in one transaction, retried when the database was unreachable.

    Only an OperationalError raised by `fn` itself (before our commit, with nothing committed
    inside `fn`) is retried: the server rolled that transaction back or never saw it, so a new
    attempt cannot apply anything twice. A failure during the final commit is not retried (its
    outcome is unknown) unless the transaction was read-only or the caller says running it twice
    applies it once (`idempotent=True`: e.g. filing with an idempotency key, touching a session).
    Stale pooled connections are dropped by `pool_pre_ping` at checkout.
    """
    bind = engine or get_engine()
    if readonly:
        bind = bind.execution_options(readonly=True)
    for attempt in range(len(RETRY_DELAYS) + 1):
        with Session(bind, expire_on_commit=False) as session:
            committed: list[bool] = []
            event.listen(session, "after_commit", _record_root_commit(committed))
            try:
                result = fn(session, *args, **kwargs)
            except OperationalError:
                session.rollback()
                if committed or attempt == len(RETRY_DELAYS):
                    raise
                log.warning("database unreachable, retrying (attempt %d)", attempt + 1)
                time.sleep(RETRY_DELAYS[attempt])
                continue
            except BaseException:
                session.rollback()
                raise
            try:
                session.commit()
            except OperationalError:
                # Nothing written, or writing it again changes nothing: safe to run again.
                if not (readonly or idempotent) or attempt == len(RETRY_DELAYS):
                    raise
                log.warning("database unreachable at commit, retrying (attempt %d)", attempt + 1)
                time.sleep(RETRY_DELAYS[attempt])
                continue
            return result
    raise AssertionError("unreachable")


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Apply the Alembic migrations up to `revision` (`alembic upgrade head`) to `url` or the
    configured DB."""
    from pathlib import Path

    from alembic.config import Config

    from alembic import command

    root = Path(__file__).resolve().parent.parent
    cfg = Config(str(root / "alembic.ini"))
    cfg.set_main_option("script_location", str(root / "alembic"))
    cfg.attributes["configure_logger"] = False
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, revision)
