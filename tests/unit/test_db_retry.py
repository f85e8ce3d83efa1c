"""db.run_with_retry: a transaction whose connection dies is retried once the database answers.

The connection is killed for real on the test PostgreSQL (`pg_terminate_backend` on the
session's own backend, as a server restart does to every connection); on SQLite the same
OperationalError class comes from a locked database, which is retried the same way.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from ticketapp.db import make_engine, run_with_retry


def _kill_own_connection(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
    else:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))


def _insert(session: Session, name: str) -> None:
    session.execute(
        text("INSERT INTO category (name, description) VALUES (:n, '')"),
        {"n": name},
    )


def _count(engine, name: str) -> int:
    with engine.connect() as c:
        return c.execute(
            text("SELECT count(*) FROM category WHERE name = :n"), {"n": name}
        ).scalar()


def test_a_dropped_connection_is_retried_and_applied_once(engine, monkeypatch):
    monkeypatch.setattr("ticketapp.db.RETRY_DELAYS", (0.05, 0.05))
    calls = []

    def work(session: Session) -> int:
        calls.append(1)
        _insert(session, "Retried")
        if len(calls) == 1:
            _kill_own_connection(session)  # the first attempt's insert dies with it
        return len(calls)

    assert run_with_retry(work, engine=engine) == 2
    assert _count(engine, "Retried") == 1


def test_a_stale_pooled_connection_is_replaced(postgres_schema_url):
    # PostgreSQL only: its pooled connections are what a server restart kills.
    engine = make_engine(postgres_schema_url)
    with engine.connect() as c:  # this pooled connection dies while idle in the pool
        pid = c.execute(text("SELECT pg_backend_pid()")).scalar()
    other = make_engine(postgres_schema_url)  # another pool: a server-side kill
    with other.connect() as killer:
        assert killer.execute(text("SELECT pg_terminate_backend(:p, 5000)"), {"p": pid}).scalar()
    other.dispose()
    try:
        assert run_with_retry(lambda s: s.execute(text("SELECT 1")).scalar(), engine=engine) == 1
    finally:
        engine.dispose()


def test_gives_up_after_the_last_delay(engine, monkeypatch):
    monkeypatch.setattr("ticketapp.db.RETRY_DELAYS", (0.01,))
    calls = []

    def work(session: Session) -> None:
        calls.append(1)
        _kill_own_connection(session)

    with pytest.raises(OperationalError):
        run_with_retry(work, engine=engine)
    assert len(calls) == 2


def test_no_retry_once_the_function_committed(engine, monkeypatch):
    monkeypatch.setattr("ticketapp.db.RETRY_DELAYS", (0.01, 0.01))
    calls = []

    def work(session: Session) -> None:
        calls.append(1)
        _insert(session, "Committed")
        session.commit()
        _kill_own_connection(session)

    with pytest.raises(OperationalError):
        run_with_retry(work, engine=engine)
    assert len(calls) == 1
    assert _count(engine, "Committed") == 1


def _killed_before_commit(url: str):
    """fn: reads, then its backend is terminated from another connection before the commit."""
    calls = []

    def work(session: Session) -> int:
        calls.append(1)
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
        if len(calls) == 1:
            other = make_engine(url)
            with other.connect() as killer:
                killer.execute(text("SELECT pg_terminate_backend(:p, 5000)"), {"p": pid})
            other.dispose()
        return len(calls)

    return work, calls


def test_a_read_only_or_idempotent_commit_that_fails_is_retried(postgres_schema_url, monkeypatch):
    monkeypatch.setattr("ticketapp.db.RETRY_DELAYS", (0.05,))
    engine = make_engine(postgres_schema_url)
    try:
        work, calls = _killed_before_commit(postgres_schema_url)
        assert run_with_retry(work, readonly=True, engine=engine) == 2
        work, calls = _killed_before_commit(postgres_schema_url)
        assert run_with_retry(work, idempotent=True, engine=engine) == 2
        work, calls = _killed_before_commit(postgres_schema_url)
        with pytest.raises(OperationalError):  # a write's commit: outcome unknown, not retried
            run_with_retry(work, engine=engine)
        assert len(calls) == 1
    finally:
        engine.dispose()


def test_a_savepoint_is_not_a_commit(engine, monkeypatch):
    """create_ticket releases a SAVEPOINT before its connection may die: still retried."""
    monkeypatch.setattr("ticketapp.db.RETRY_DELAYS", (0.05,))
    calls = []

    def work(session: Session) -> int:
        calls.append(1)
        with session.begin_nested():
            _insert(session, "Nested")
        if len(calls) == 1:
            _kill_own_connection(session)
        return len(calls)

    assert run_with_retry(work, engine=engine) == 2
    assert _count(engine, "Nested") == 1
