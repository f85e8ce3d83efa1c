"""Benchmarks: collected only from bench_*.py, and only by `make bench` (TICKETAPP_BENCH=1).

`bench_db` builds the shared data set (tests/bench/datasets.py) once per backend per run, on a
fresh SQLite file and on a fresh `bench` schema of TICKETAPP_TEST_POSTGRES_URL; every bench
module reuses it. At the end the harness prints one table and writes tests/bench/RESULTS.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.bench import datasets, harness
from ticketapp import db as dbmod
from ticketapp.db import make_engine, migrate

BENCH_SCHEMA = "bench"
# The benchmarks file and reply as fast as they can from a few accounts: no abuse limits.
os.environ.setdefault("TICKETAPP_LIMIT_TICKETS_PER_MINUTE", "0")
os.environ.setdefault("TICKETAPP_LIMIT_REPLIES_PER_MINUTE", "0")


def pytest_collect_file(file_path, parent):
    # (A bench file named on the command line is collected by pytest itself.)
    if (
        file_path.suffix == ".py"
        and file_path.name.startswith("bench_")
        and not parent.session.isinitpath(file_path)
    ):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TICKETAPP_BENCH") == "1":
        return
    skip = pytest.mark.skip(reason="benchmarks run with `make bench`")
    for item in items:
        if "tests/bench/" in str(item.fspath):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if os.environ.get("TICKETAPP_BENCH") != "1" or not harness.ROWS:
        return
    text_ = harness.write()
    terminalreporter.write_sep("=", "benchmark results")
    terminalreporter.write_line(text_)
    terminalreporter.write_line(f"(written to {harness.RESULTS_MD})")


@dataclass
class BenchDB:
    backend: str
    url: str
    engine: Engine
    data: datasets.Dataset

    @contextmanager
    def serving(self) -> Iterator[None]:
        """Point ticketapp.db.get_engine() (run_in_session, session_scope) at this database."""
        old = dbmod.get_engine
        dbmod.get_engine = lambda: self.engine
        try:
            yield
        finally:
            dbmod.get_engine = old


def _sqlite_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('bench') / 'bench.db'}"


def bench_schema_url(server_url: str) -> str:
    """A fresh `bench` schema on the PostgreSQL at `server_url` (tests/servers.py finds one)."""
    harness.postgres_url = server_url
    admin = make_engine(server_url)
    with admin.begin() as c:
        c.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
        c.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
    admin.dispose()
    sep = "&" if "?" in server_url else "?"
    return f"{server_url}{sep}options=-csearch_path%3D{BENCH_SCHEMA}"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def bench_db(request, tmp_path_factory) -> Iterator[BenchDB]:
    backend = request.param
    if backend == "sqlite":
        url = _sqlite_url(tmp_path_factory)
    else:
        url = bench_schema_url(request.getfixturevalue("postgres_url"))
    migrate(url)
    engine = make_engine(url)
    data = datasets.build(backend, url, engine)
    c = data.counts
    harness.note(
        f"Data set ({backend}): {c['tickets']:,} tickets, {c['events']:,} events, "
        f"{c['comments']:,} comments, {c['articles']:,} KB articles, {c['agents']} agents, "
        f"{c['requesters']:,} requesters; generated in {data.seconds:.0f} s"
    )
    yield BenchDB(backend, url, engine, data)
    engine.dispose()
