"""Changes made by other processes reach the live views: `ingest-mail` announces the ticket it
filed through the database (ticketapp/outside_changes.py), and every app worker's poll hands it
to its listeners, once (SQLite and PostgreSQL; and the real pipe command)."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

from sqlmodel import Session, select

from tests.unit.test_mail_cli import DATA, run
from ticketapp import db, live, outside_changes
from ticketapp.models import OutsideChange, utcnow


def test_announced_changes_are_read_once(engine):
    seen: set[int] = set()
    outside_changes.announce(engine, [3, 1, 3])
    first = outside_changes.unseen(engine, seen)
    assert [(c.kind, c.ticket_ids) for c in first] == [("ticket", (1, 3))]
    assert outside_changes.unseen(engine, seen) == []
    outside_changes.announce(engine, [7])
    outside_changes.announce(engine, [])  # nothing changed: nothing written
    assert [c.ticket_ids for c in outside_changes.unseen(engine, seen)] == [(7,)]


def test_old_rows_are_neither_read_nor_kept(engine):
    with Session(engine) as session:
        old = utcnow() - outside_changes.KEEP - timedelta(minutes=1)
        session.add(OutsideChange(kind="ticket", ticket_ids=[9], created_at=old))
        session.commit()
    assert outside_changes.unseen(engine, set()) == []
    outside_changes.announce(engine, [10])
    with Session(engine) as session:
        assert [r.ticket_ids for r in session.exec(select(OutsideChange)).all()] == [[10]]


async def test_the_poll_hands_changes_to_this_workers_listeners(engine, monkeypatch):
    monkeypatch.setenv("TICKETAPP_OUTSIDE_CHANGES_POLL", "0.2")
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    outside_changes.announce(engine, [1])  # before the app started: not replayed
    got: list[live.Change] = []

    async def listener(change: live.Change) -> None:
        got.append(change)

    live.subscribe_every_worker(listener)
    task = asyncio.create_task(outside_changes.poll_loop())
    try:
        await asyncio.sleep(0.5)
        await asyncio.to_thread(outside_changes.announce, engine, [42])
        for _ in range(100):
            if got:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # and only once
        assert [(c.kind, c.ticket_ids) for c in got] == [("ticket", (42,))]
    finally:
        task.cancel()
        live._worker_listeners.remove(listener)


def test_the_pipe_command_announces_the_ticket_it_filed(tmp_path):
    env = {
        **os.environ,
        "TICKETAPP_DATA_DIR": str(tmp_path),
        "TICKETAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "TICKETAPP_SCHEDULER": "0",
    }
    env.pop("TICKETAPP_SMTP_HOST", None)
    assert run(["migrate"], env, b"").returncode == 0
    stored = run(["ingest-mail"], env, (DATA / "plain.eml").read_bytes())
    assert stored.returncode == 0, stored.stderr
    dropped = run(["ingest-mail"], env, (DATA / "bounce.eml").read_bytes())
    assert dropped.returncode == 0
    engine = db.make_engine(env["TICKETAPP_DATABASE_URL"])
    try:
        with Session(engine) as session:
            rows = session.exec(select(OutsideChange)).all()
            assert [(r.kind, r.ticket_ids) for r in rows] == [("ticket", [1])]
    finally:
        engine.dispose()
