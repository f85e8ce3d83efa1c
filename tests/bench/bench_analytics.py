"""Analytics benchmark on the shared data set (tests/bench/datasets.py: 100,000 tickets over two
years with status events, comments, ratings on 30% of resolved tickets, 20,000 deflections).

Measured through the path the page takes (`run_in_session`, one transaction), as a manager:
- dashboard 30 d: services.analytics.dashboard with the page's default filters (what on_load
  and each live refresh run);
- dashboard 90 d / team + category: the other ends of the filters.
Baseline: the dashboard's own SQL run directly. Every statement the 30-day dashboard sends is
captured (cursor events) with its parameters and replayed on a plain connection; the baseline
is the sum of one replay of all of them (what the database alone costs), measured in the same
run. The heaviest single statement is noted under the table.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict

from sqlalchemy import event, text
from sqlmodel import Session, select

from tests.bench.harness import ameasure, measure, note, record, run
from ticketapp import db as dbmod
from ticketapp.models import User
from ticketapp.services import analytics
from ticketapp.services.actor import Actor

RUNS = 30


def test_analytics_bench(bench_db):
    engine, backend = bench_db.engine, bench_db.backend
    with Session(engine) as s:
        team = s.execute(text("SELECT min(id) FROM team")).scalar_one()
        category = s.execute(text("SELECT min(id) FROM category")).scalar_one()
        manager = Actor.of(s.exec(select(User).where(User.id == bench_db.data.manager_id)).one())
    today = analytics.local_today(analytics.zone())
    views = {
        "30": analytics.default_filters(today),
        "90": analytics.parse_filters({"period": "90"}, today),
        "filtered": analytics.parse_filters(
            {"period": "30", "team": str(team), "category": str(category)}, today
        ),
    }

    captured: list[tuple[str, object]] = []
    capturing = {"on": False}

    def capture(conn, cursor, statement, params, context, many):
        if capturing["on"] and not many:
            captured.append((statement, params))

    def dash(f):
        return dbmod.run_in_session(analytics.dashboard, manager, f, readonly=True)

    async def service() -> dict[str, list[float]]:
        capturing["on"] = True
        await dash(views["30"])
        capturing["on"] = False
        return {
            "30": await ameasure(lambda: dash(views["30"]), RUNS),
            "90": await ameasure(lambda: dash(views["90"]), RUNS),
            "filtered": await ameasure(lambda: dash(views["filtered"]), RUNS),
        }

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with bench_db.serving():
            out = run(service())
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert captured, "the dashboard sent no SQL"

    per_statement: dict[int, list[float]] = defaultdict(list)

    def raw():
        raw_conn = engine.raw_connection()
        try:
            cur = raw_conn.cursor()
            for i, (statement, params) in enumerate(captured):
                t = time.perf_counter()
                cur.execute(statement, params)
                cur.fetchall()
                per_statement[i].append((time.perf_counter() - t) * 1000)
            cur.close()
            raw_conn.rollback()
        finally:
            raw_conn.close()

    base = measure(raw, RUNS)
    record("analytics dashboard 30 d (page default)", backend, out["30"], base, "its SQL, raw")
    record("analytics dashboard 90 d", backend, out["90"], base, "30 d SQL, raw")
    record("analytics dashboard 30 d, team + category", backend, out["filtered"])
    heavy = max(per_statement, key=lambda i: statistics.median(per_statement[i]))
    note(
        f"analytics ({backend}): {len(captured)} statements per dashboard; heaviest "
        f"{statistics.median(per_statement[heavy]):.1f} ms median: "
        + " ".join(captured[heavy][0].split())[:160]
    )
