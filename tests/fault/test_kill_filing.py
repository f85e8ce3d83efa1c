"""kill -9 in the middle of filing tickets with attachments, 100 times (issue 8, faults).

A child process (tests/fault/filer.py) files tickets with attachments through the same path as
the filing form, against a real SQLite file migrated by Alembic; the parent SIGKILLs it at a
random moment after its first ticket. After every kill:
- `PRAGMA integrity_check` is ok;
- every ticket acknowledged by the child (`filed N` after the commit) is in the database;
- every ticket has its `created` event; every attachment row has its `attachment` event,
  its file (full size) and its thumbnail;
- the sweep (services.attachments.sweep_orphans, run by the app at startup) removes the files a
  kill left between writing a file and committing its row, and leaves no file without a row;
- the next child starts and files fine (each round waits for its first ticket).
Then the production server is started on that database, killed with SIGKILL, started again:
it serves /login and a demo user signs in (Playwright).

Run: `make fault` (about 10 minutes: 100 child processes, then two production starts).
TICKETAPP_FAULT_KILLS overrides the number of kills.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import Session

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    _free_port,
    _wait_http,
    sign_in,
)
from ticketapp.db import make_engine
from ticketapp.services.attachments import sweep_orphans

KILLS = int(os.environ.get("TICKETAPP_FAULT_KILLS", "100"))


def _env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "TICKETAPP_DATA_DIR": str(data_dir),
        "TICKETAPP_DATABASE_URL": database_url,
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        **extra,
    }
    for name in ("REDIS_URL", "REFLEX_REDIS_URL"):
        env.pop(name, None)
    return env


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "ticketapp", *args], env=env, cwd=ROOT, check=True)


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    """One line of the child's stdout (fails on timeout or an early exit)."""
    import selectors

    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if sel.select(timeout=0.5):
                line = proc.stdout.readline()
                if line:
                    return line.strip()
                raise AssertionError(f"child exited early: {proc.stderr.read()[-3000:]}")
        raise AssertionError("child did not file a ticket in time")
    finally:
        sel.close()


def _drain(proc: subprocess.Popen) -> list[int]:
    """Numbers the child acknowledged (committed) before it died."""
    return [
        int(line.split()[1])
        for line in proc.stdout.read().splitlines()
        if line.startswith("filed ")
    ]


def _check_database(db_path: Path, store: Path, acknowledged: set[int]) -> None:
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        numbers = {n for (n,) in con.execute("SELECT number FROM ticket")}
        assert acknowledged <= numbers, f"lost tickets: {sorted(acknowledged - numbers)[:10]}"
        no_event = con.execute(
            "SELECT t.number FROM ticket t WHERE NOT EXISTS (SELECT 1 FROM ticket_event e "
            "WHERE e.ticket_id = t.id AND e.kind = 'created')"
        ).fetchall()
        assert no_event == [], f"tickets without their creation event: {no_event[:10]}"
        (dupes,) = con.execute(
            "SELECT count(*) FROM (SELECT number FROM ticket GROUP BY number HAVING count(*) > 1)"
        ).fetchone()
        assert dupes == 0
        rows = con.execute(
            "SELECT a.ticket_id, a.filename, a.size, a.storage_name, a.thumbnail_name, "
            "(SELECT count(*) FROM ticket_event e WHERE e.ticket_id = a.ticket_id "
            " AND e.kind = 'attachment' AND e.new_value = a.filename) FROM attachment a"
        ).fetchall()
    finally:
        con.close()
    for ticket_id, filename, size, storage, thumb, events in rows:
        path = store / storage
        assert path.is_file(), f"ticket {ticket_id}: {filename} has no file"
        assert path.stat().st_size == size, f"ticket {ticket_id}: {filename} is truncated"
        assert thumb is None or (store / thumb).is_file(), f"ticket {ticket_id}: no thumbnail"
        assert events >= 1, f"ticket {ticket_id}: {filename} has no attachment event"


def _sweep(engine, store: Path) -> int:
    with Session(engine) as session:
        removed = sweep_orphans(session, store, older_than=0)
    with Session(engine) as session:
        assert sweep_orphans(session, store, older_than=0) == []
    return len(removed)


def _start_server(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod"]
            + ["--loglevel", "warning"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _kill9(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):  # it had exited already: the wait says why
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_kill_during_filing(tmp_path):
    data_dir = tmp_path / "data"
    db_path = data_dir / "ticketapp.db"
    database_url = f"sqlite:///{db_path}"
    env = _env(data_dir, database_url)
    _cli(env, "migrate")
    _cli(env, "seed-demo")
    store = data_dir / "attachments"
    engine = make_engine(database_url)
    rng = random.Random(8)
    acknowledged: set[int] = set()
    orphans_swept = 0
    for i in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.fault.filer", database_url, str(data_dir), str(i)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert _read_line(child, 60) == "ready"
        first = _read_line(child, 60)  # the next child starts and files fine
        assert first.startswith("filed "), first
        acknowledged.add(int(first.split()[1]))
        time.sleep(rng.uniform(0, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        acknowledged.update(_drain(child))
        child.stdout.close()
        child.stderr.close()
        _check_database(db_path, store, acknowledged)
        orphans_swept += _sweep(engine, store)
        _check_database(db_path, store, acknowledged)  # the sweep took nothing a row names
    engine.dispose()
    print(
        f"\n{KILLS} kills: {len(acknowledged)} tickets acknowledged and present, "
        f"{orphans_swept} orphaned files swept"
    )

    # The production server on that database: kill -9, start again, it serves and signs in.
    port = _free_port()
    server_env = _env(data_dir, database_url, PORT=str(port))
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    proc = _start_server(server_env, log)
    try:
        _wait_http(base + "/ping", proc, log, timeout=900)
        _wait_http(base + "/login", proc, log, timeout=120)
    finally:
        _kill9(proc)
    proc = _start_server(server_env, log)
    try:
        _wait_http(base + "/ping", proc, log, timeout=900)
        _wait_http(base + "/login", proc, log, timeout=120)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(base_url=base).new_page()
                sign_in(page, "requester@example.com", expect_path="/portal")
                page.goto(f"/tickets/{max(acknowledged)}")
                page.get_by_text("printer on fire").first.wait_for(timeout=15_000)
            finally:
                browser.close()
    finally:
        _kill9(proc)
