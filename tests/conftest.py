"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL; a real Redis.

The schema comes from the Alembic migrations (so they are tested too): once per test session
into a template (a SQLite file that each test copies; a private PostgreSQL schema that each
test truncates). PostgreSQL and Redis are the configured servers, or private ones the session
starts when those do not answer (tests/servers.py).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests import servers
from ticketapp.db import make_engine, migrate
from ticketapp.services.memo import forget_all


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database the tests may create schemas in."""
    with servers.postgres() as url:
        yield url


@pytest.fixture(scope="session")
def redis_server_url() -> Iterator[str]:
    """A Redis server (no database number: each test picks one with `servers.redis_db`)."""
    with servers.redis() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("db") / "template.db"
    migrate(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def postgres_schema_url(postgres_url) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in postgres_url else "?"
    url = f"{postgres_url}{sep}options=-csearch_path%3D{schema}"
    migrate(url)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path) -> Iterator[Engine]:
    """A migrated, empty database. Tests that take it run on both dialects."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        eng = make_engine(f"sqlite:///{path}")
    else:
        eng = make_engine(request.getfixturevalue("postgres_schema_url"))
        with eng.begin() as conn:
            # Every table the migrations made (also those that are not models), not alembic's.
            names = conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                    "AND tablename <> 'alembic_version'"
                )
            ).scalars()
            tables = ", ".join(f'"{name}"' for name in names)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    forget_all()  # what the process remembers about the last test's database (services/memo)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session for arranging and asserting; services commit through it like the app does."""
    with Session(engine, expire_on_commit=False) as s:
        yield s
