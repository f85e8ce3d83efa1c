"""Analytics benchmark (not a timed test; `make bench` prints a table).

100,000 tickets filed over two years (about 137 a day), with a realistic mix: most old tickets
closed, the last weeks partly open; first responses (10% never answered), resolutions, 8%
resolved twice (reopened in between), 1% merged, due dates, ~4 audit events and 2 comments per
ticket, ratings on 30% of resolved tickets, 20,000 KB deflections; 20 agents, 5 teams,
10 categories. Measured through the path the page takes (`run_in_session`, one transaction):
- dashboard 30 d: services.analytics.dashboard with the page's default filters (what on_load
  and each live refresh run);
- dashboard 90 d / team+category: the other ends of the filters;
- heaviest query: every SQL statement the dashboard ran is timed (cursor execute events) and
  the one with the highest median is shown, from the same runs;
- baseline: a no-op `SELECT 1` through run_in_session.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import event, insert, text
from sqlmodel import Session

from ticketapp import db as dbmod
from ticketapp.db import make_engine, migrate
from ticketapp.models import (
    Category,
    Comment,
    KbArticle,
    KbDeflection,
    Role,
    SatisfactionRating,
    Team,
    Ticket,
    TicketEvent,
    User,
    utcnow,
)
from ticketapp.services import analytics
from ticketapp.services.actor import Actor

TOTAL = 100_000
DAYS = 730
RUNS = 40
CHUNK = 10_000


def _chunks(session: Session, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[i : i + CHUNK])


def _seed(engine) -> Actor:
    now = utcnow()
    rng = random.Random(6)
    with Session(engine) as s:
        manager = User(email="m@example.com", name="Manager", password_hash="x", role=Role.MANAGER)
        agents = [
            User(email=f"a{i}@example.com", name=f"Agent {i}", password_hash="x", role=Role.AGENT)
            for i in range(20)
        ]
        requesters = [
            User(email=f"r{i}@example.com", name=f"Req {i}", password_hash="x") for i in range(200)
        ]
        teams = [Team(name=f"Team {i}") for i in range(5)]
        cats = [Category(name=f"Category {i}") for i in range(10)]
        s.add_all([manager, *agents, *requesters, *teams, *cats])
        s.flush()
        arts = [
            KbArticle(slug=f"a{i}", title=f"A{i}", body="x", category_id=cats[i % 10].id)
            for i in range(50)
        ]
        s.add_all(arts)
        s.commit()
        actor = Actor.of(manager)
        agent_ids = [a.id for a in agents]
        req_ids = [r.id for r in requesters]
        team_ids = [t.id for t in teams]
        cat_ids = [c.id for c in cats]
        art_ids = [a.id for a in arts]

    tickets, events, comments, ratings = [], [], [], []
    active = ["new", "open", "in_progress", "waiting"]
    for i in range(TOTAL):
        tid = i + 1
        created = now - timedelta(seconds=rng.uniform(0, DAYS * 86400))
        age_days = (now - created).total_seconds() / 86400
        roll = rng.random()
        if age_days > 14:
            status = "closed" if roll < 0.92 else "resolved" if roll < 0.95 else rng.choice(active)
        else:
            status = rng.choice(active) if roll < 0.5 else "resolved" if roll < 0.8 else "closed"
        agent = rng.choice(agent_ids)
        first = None
        if rng.random() < 0.9:
            first = min(now, created + timedelta(seconds=rng.expovariate(1 / 7200)))
        resolved = closed = None
        count = 0
        ev = [("created", None, None, created)]
        if first:
            ev.append(("status_changed", "new", "open", first))
        if status in ("resolved", "closed"):
            resolved = min(now, created + timedelta(seconds=rng.expovariate(1 / 130_000)))
            count = 1
            if rng.random() < 0.08:
                first_res = created + (resolved - created) / 3
                reopen = created + (resolved - created) / 2
                ev += [
                    ("status_changed", "open", "resolved", first_res),
                    ("status_changed", "resolved", "open", reopen),
                ]
                count = 2
            ev.append(("status_changed", "open", "resolved", resolved))
            if status == "closed":
                closed = min(now, resolved + timedelta(days=7))
                ev.append(("status_changed", "resolved", "closed", closed))
            if rng.random() < 0.3:
                ratings.append(
                    {
                        "ticket_id": tid,
                        "resolution_no": count,
                        "rater_id": rng.choice(req_ids),
                        "score": rng.choice([1, 2, 3, 4, 4, 5, 5, 5]),
                        "comment": "",
                        "created_at": min(now, resolved + timedelta(hours=3)),
                    }
                )
        merged = tid - 1 if status == "closed" and tid > 1 and rng.random() < 0.01 else None
        tickets.append(
            {
                "id": tid,
                "number": 1001 + i,
                "title": f"Bench ticket {i}",
                "description": "Lorem ipsum dolor sit amet. " * 4,
                "type": rng.choice(["question", "incident", "problem", "feature_request"]),
                "category_id": rng.choice(cat_ids) if rng.random() < 0.9 else None,
                "impact": "normal",
                "priority": rng.choice(["low", "normal", "normal", "high", "urgent"]),
                "status": status,
                "requester_id": rng.choice(req_ids),
                "assignee_id": agent if rng.random() < 0.85 else None,
                "team_id": rng.choice(team_ids) if rng.random() < 0.8 else None,
                "details": {},
                "created_at": created,
                "updated_at": closed or resolved or first or created,
                "first_response_at": first,
                "due_at": created + timedelta(days=3) if rng.random() < 0.5 else None,
                "resolved_at": resolved,
                "closed_at": closed,
                "resolution_count": count,
                "merged_into_id": merged,
                "rank": "",
                "version": 1,
            }
        )
        for kind, old, new, at in ev:
            events.append(
                {
                    "ticket_id": tid,
                    "actor_id": agent,
                    "created_at": at,
                    "kind": kind,
                    "field": "status" if kind == "status_changed" else None,
                    "old_value": old,
                    "new_value": new,
                }
            )
        for k in range(2):
            comments.append(
                {
                    "ticket_id": tid,
                    "author_id": agent if k else tickets[-1]["requester_id"],
                    "body": "Thanks, looking into it.",
                    "is_internal": False,
                    "created_at": first or created,
                }
            )
    deflections = [
        {
            "article_id": rng.choice(art_ids),
            "user_id": rng.choice(req_ids),
            "query": "vpn",
            "created_at": now - timedelta(seconds=rng.uniform(0, DAYS * 86400)),
        }
        for _ in range(20_000)
    ]
    with Session(engine) as s:
        _chunks(s, Ticket, tickets)
        _chunks(s, TicketEvent, events)
        _chunks(s, Comment, comments)
        _chunks(s, SatisfactionRating, ratings)
        _chunks(s, KbDeflection, deflections)
        s.commit()
    # Steady state: statistics, and (PostgreSQL) the visibility map autovacuum would have set,
    # so index-only scans are possible.
    # PostgreSQL: statistics and the visibility map, as autovacuum would have them (index-only
    # scans). SQLite: no ANALYZE, as in production (nothing runs it): the plans must be right
    # without statistics; closing the connections folds the write-ahead log into the file.
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return actor


def _stats(samples: list[float]) -> tuple[float, float]:
    ms = sorted(x * 1000 for x in samples)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return statistics.median(ms), p95


def _measure(engine, actor: Actor) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    out: dict[str, list[float]] = defaultdict(list)
    today = analytics.local_today(analytics.zone())
    views = {
        "dash30": analytics.default_filters(today),
        "dash90": analytics.parse_filters({"period": "90"}, today),
        "dashfilt": analytics.parse_filters({"period": "30", "team": "1", "category": "2"}, today),
    }
    captured: dict[str, object] = {}

    def capture(conn, cursor, statement, params, context, many):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.setdefault(statement, params)

    async def run() -> None:
        async def timed(name, fn, *args, **kw):
            t = time.perf_counter()
            await dbmod.run_in_session(fn, *args, **kw)
            out[name].append(time.perf_counter() - t)

        for _ in range(3):
            for f in views.values():
                await dbmod.run_in_session(analytics.dashboard, actor, f, readonly=True)
        for _ in range(RUNS):
            await timed("baseline", lambda s: s.exec(text("SELECT 1")).one(), readonly=True)
            await timed("dash30", analytics.dashboard, actor, views["dash30"], readonly=True)
            await timed("dash90", analytics.dashboard, actor, views["dash90"], readonly=True)
            await timed("dashfilt", analytics.dashboard, actor, views["dashfilt"], readonly=True)

    asyncio.run(run())
    # Every statement of the default view, replayed raw (execute + fetch all rows), RUNS times.
    event.listen(engine, "before_cursor_execute", capture)
    with Session(engine) as s:
        analytics.dashboard(s, actor, views["dash30"])
    event.remove(engine, "before_cursor_execute", capture)
    per_sql: dict[str, list[float]] = defaultdict(list)
    with engine.connect() as conn:
        for _ in range(RUNS):
            for statement, params in captured.items():
                t = time.perf_counter()
                conn.exec_driver_sql(statement, params).fetchall()  # type: ignore[arg-type]
                per_sql[" ".join(statement.split())].append(time.perf_counter() - t)
    return out, per_sql


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_analytics_bench(dialect, tmp_path, capsys):
    if dialect == "sqlite":
        url = f"sqlite:///{tmp_path / 'bench.db'}"
    else:
        url = os.environ.get("TICKETAPP_TEST_POSTGRES_URL", "")
        if not url:
            pytest.fail("TICKETAPP_TEST_POSTGRES_URL not set")
        admin = make_engine(url)
        with admin.begin() as c:
            c.execute(text("DROP SCHEMA IF EXISTS bench_analytics CASCADE"))
            c.execute(text("CREATE SCHEMA bench_analytics"))
        admin.dispose()
        url = f"{url}?options=-csearch_path%3Dbench_analytics"
    migrate(url)
    engine = make_engine(url)
    t = time.perf_counter()
    actor = _seed(engine)
    seeded = time.perf_counter() - t
    old = dbmod.get_engine
    dbmod.get_engine = lambda: engine  # run_in_session's session_scope uses get_engine()
    try:
        out, per_sql = _measure(engine, actor)
    finally:
        dbmod.get_engine = old
    with Session(engine) as s:
        counts = {
            name: s.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            for name in ("ticket", "ticket_event", "comment", "satisfaction_rating")
        }
    engine.dispose()
    heavy_sql, heavy = max(per_sql.items(), key=lambda kv: statistics.median(kv[1]))
    dash_med, _ = _stats(out["dash30"])
    heavy_med, heavy_p95 = _stats(heavy)
    base_med, _ = _stats(out["baseline"])
    lines = [
        f"\nanalytics bench ({dialect}): {counts} (seeded in {seeded:.0f} s), {RUNS} runs each,"
        f" {len(per_sql)} distinct statements per dashboard",
        f"{'operation':<42}{'median ms':>10}{'p95 ms':>10}{'x heaviest':>12}{'x SELECT 1':>12}",
    ]
    rows = [
        ("dashboard, 30 days (page default)", out["dash30"]),
        ("dashboard, 90 days", out["dash90"]),
        ("dashboard, 30 days, team + category", out["dashfilt"]),
        ("heaviest single SQL statement", heavy),
        ("no-op SELECT 1 (run_in_session)", out["baseline"]),
    ]
    for label, samples in rows:
        med, p95 = _stats(samples)
        lines.append(
            f"{label:<42}{med:>10.2f}{p95:>10.2f}{med / heavy_med:>12.2f}{med / base_med:>12.1f}"
        )
    lines.append(f"heaviest statement: {heavy_sql[:300]}")
    with capsys.disabled():
        print("\n".join(lines))
    assert dash_med < 5000  # sanity only; the numbers above are the result
    assert heavy_p95 >= heavy_med
