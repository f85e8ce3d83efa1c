"""Board benchmark (not a timed test; `make bench` prints a table).

10,000 tickets, 500 of them on the active columns (new/open/in progress/waiting), the rest
resolved or closed. Measured through the same path a Reflex handler takes
(`run_in_session`: a worker thread and one transaction):
- board open: services.board.board_columns with the page's defaults (50 cards per column,
  Closed collapsed);
- move: services.board.move_card (alternating across columns and within a column) + commit;
- live delta: cards_by_ids + column_totals for one changed card (what each viewer runs);
- baseline: a no-op `SELECT 1` through run_in_session, measured in the same run.
The baseline is a no-op service call, NOT a no-op Reflex websocket event round trip: that
would need the production build running against this database (see the README of the board).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from datetime import timedelta

import pytest
from sqlalchemy import insert, text
from sqlmodel import Session, select

from ticketapp import db as dbmod
from ticketapp.db import make_engine, migrate
from ticketapp.models import Role, Ticket, TicketStatus, User, utcnow
from ticketapp.services import board
from ticketapp.services.actor import Actor

TOTAL = 10_000
OPEN = 500
RUNS = 60
ACTIVE = [TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING]
MOVABLE = ACTIVE[1:]  # any of these may move to any other (New is entry-only)


def _seed(engine) -> Actor:
    now = utcnow()
    with Session(engine) as s:
        users = [
            User(email=f"u{i}@example.com", name=f"User {i}", password_hash="x", role=role)
            for i, role in enumerate([Role.REQUESTER, Role.AGENT, Role.AGENT, Role.MANAGER])
        ]
        s.add_all(users)
        s.commit()
        requester, agent = users[0].id, users[1].id
        actor = Actor.of(users[1])
    rng = random.Random(4)
    per_status: dict[str, int] = {}
    rows = []
    for i in range(TOTAL):
        if i < OPEN:
            status = ACTIVE[i % len(ACTIVE)]
        else:
            status = TicketStatus.CLOSED if i % 5 else TicketStatus.RESOLVED
        n = per_status.get(status, 0)
        per_status[status] = n + 1
        rows.append(
            {
                "number": 1001 + i,
                "title": f"Bench ticket {i}",
                "description": "Lorem ipsum " * 20,
                "type": "question",
                "impact": "normal",
                "priority": rng.choice(["low", "normal", "high", "urgent"]),
                "status": status.value,
                "requester_id": requester,
                "assignee_id": agent if i % 3 else None,
                "details": {},
                "created_at": now - timedelta(hours=i),
                "updated_at": now,
                "resolution_count": 0,
                "rank": "",
                "version": 1,
            }
        )
    with Session(engine) as s:
        s.execute(insert(Ticket), rows)
        for status in TicketStatus:
            board.rebalance_column(s, status)
        s.commit()
    return actor


def _stats(samples: list[float]) -> tuple[float, float]:
    ms = sorted(x * 1000 for x in samples)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return statistics.median(ms), p95


async def _measure(actor: Actor) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"baseline": [], "open": [], "move": [], "delta": []}
    limits = {"closed": 0}

    async def timed(name, fn, *args, **kw):
        t = time.perf_counter()
        result = await dbmod.run_in_session(fn, *args, **kw)
        out[name].append(time.perf_counter() - t)
        return result

    with Session(dbmod.get_engine()) as s:
        cards = {
            st: [
                t.id
                for t in s.exec(
                    select(Ticket).where(Ticket.status == st).order_by(Ticket.rank).limit(60)
                )
            ]
            for st in ACTIVE
        }
    for _ in range(3):  # warm up
        await dbmod.run_in_session(lambda s: s.exec(select(1)).one(), readonly=True)
        await dbmod.run_in_session(board.board_columns, actor, None, limits=limits, readonly=True)
    rng = random.Random(7)
    for i in range(RUNS):
        await timed("baseline", lambda s: s.exec(text("SELECT 1")).one(), readonly=True)
        await timed("open", board.board_columns, actor, None, limits=limits, readonly=True)
        src = MOVABLE[i % 3]
        dst = MOVABLE[(i + 1) % 3] if i % 2 else src
        moving = rng.choice(cards[src])
        above = rng.choice([c for c in cards[dst] if c != moving])
        card = await timed("move", board.move_card, actor, moving, dst.value, above, None, None)
        cards[src].remove(moving)
        cards[dst].append(moving)
        await timed(
            "delta",
            lambda s, a, ids: (board.cards_by_ids(s, a, ids), board.column_totals(s, a)),
            actor,
            [card.id],
            readonly=True,
        )
    return out


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_board_bench(dialect, tmp_path, capsys):
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path / 'bench.db'}"
    else:
        url = os.environ.get("TICKETAPP_TEST_POSTGRES_URL", "")
        if not url:
            pytest.skip("TICKETAPP_TEST_POSTGRES_URL not set")
        admin = make_engine(url)
        with admin.begin() as c:
            c.execute(text("DROP SCHEMA IF EXISTS bench_board CASCADE"))
            c.execute(text("CREATE SCHEMA bench_board"))
        admin.dispose()
        url = f"{url}?options=-csearch_path%3Dbench_board"
    migrate(url)
    engine = make_engine(url)
    actor = _seed(engine)
    old = dbmod.get_engine
    dbmod.get_engine = lambda: engine  # run_in_session's session_scope uses get_engine()
    try:
        out = asyncio.run(_measure(actor))
    finally:
        dbmod.get_engine = old
        engine.dispose()
    base_med, base_p95 = _stats(out["baseline"])
    lines = [
        f"\nboard bench ({dialect}): {TOTAL} tickets, {OPEN} open cards, {RUNS} runs each",
        f"{'operation':<34}{'median ms':>10}{'p95 ms':>10}{'x baseline (median)':>22}",
    ]
    names = {
        "baseline": "no-op SELECT 1 (run_in_session)",
        "open": "board open (board_columns)",
        "move": "move (move_card + commit)",
        "delta": "live delta (1 card + counts)",
    }
    for key, label in names.items():
        med, p95 = _stats(out[key])
        lines.append(f"{label:<34}{med:>10.2f}{p95:>10.2f}{med / base_med:>22.1f}")
    with capsys.disabled():
        print("\n".join(lines))
    assert _stats(out["open"])[0] < 1000
