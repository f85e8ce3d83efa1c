"""Engine and sessions. SQLite gets WAL, foreign keys and a busy timeout on every connection."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from ticketapp.config import settings

R = TypeVar("R")


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


async def run_in_session(fn: Callable[..., R], *args, readonly: bool = False, **kwargs) -> R:
    """Run `fn(session, *args)` in a worker thread inside one transaction.

    Event handlers use this so a slow query or a password hash never stalls the event loop.
    """

    def work() -> R:
        with session_scope(readonly=readonly) as session:
            return fn(session, *args, **kwargs)

    return await asyncio.to_thread(work)


def migrate(url: str | None = None) -> None:
    """Apply every Alembic migration (`alembic upgrade head`) to `url` or the configured DB."""
    from pathlib import Path

    from alembic.config import Config

    from alembic import command

    root = Path(__file__).resolve().parent.parent
    cfg = Config(str(root / "alembic.ini"))
    cfg.set_main_option("script_location", str(root / "alembic"))
    cfg.attributes["configure_logger"] = False
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, "head")
