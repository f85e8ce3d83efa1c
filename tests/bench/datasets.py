"""Deterministic benchmark data set (issue 8): built with bulk inserts, once per backend per run.

    100,000 tickets  (2 years of history; ~2,000 on the active board columns, the rest resolved
                      or closed) with realistic events (created, assigned, status changes,
                      replies) and comments (public replies and internal notes), satisfaction
                      ratings on 30% of resolved tickets, 20,000 KB deflections
     10,000 KB articles (English and Russian, derived from the demo articles in
                      ticketapp/demo_kb.py with varied titles, tags and extra paragraphs), indexed
                      exactly as services/kb.py indexes them (FTS5 / tsvector + kb_term)
         50 agents, 1 manager, 2,000 requesters, 8 categories, 5 teams

Everything comes from `random.Random(SEED)`: the same rows on every run and both backends.
Every user's password is BENCH_PASSWORD (one argon2 hash, reused), so load tests can sign in.
Sizes shrink with TICKETAPP_BENCH_SCALE (e.g. 0.1) for quick development runs.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from ticketapp.demo_kb import DEMO_ARTICLES
from ticketapp.models import (
    Category,
    Comment,
    KbArticle,
    KbDeflection,
    SatisfactionRating,
    Team,
    TeamMember,
    Ticket,
    TicketEvent,
    User,
)
from ticketapp.services import kb, ranking
from ticketapp.services import text as tx

SEED = 20261201
SCALE = float(os.environ.get("TICKETAPP_BENCH_SCALE", "1"))
N_TICKETS = int(100_000 * SCALE)
N_ARTICLES = int(10_000 * SCALE)
N_AGENTS = 50
N_REQUESTERS = 2_000
BENCH_PASSWORD = "bench-password-1"
ACTIVE_SHARE = 0.02  # tickets still on the active columns
# The same rows on every run, anchored at today's midnight (UTC) so that "the last 30 days" of
# the analytics dashboards always has data.
NOW = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
N_DEFLECTIONS = int(20_000 * SCALE)
CHUNK = 5_000

CATEGORIES = [
    "Access & accounts",
    "Email & calendar",
    "Network & VPN",
    "Hardware",
    "Software",
    "Printing",
    "Billing",
    "Other",
]
TEAMS = ["Service desk", "Network", "Workplace", "Applications", "Finance IT"]
SUBJECTS = [
    "VPN drops every few minutes",
    "Cannot sign in to email",
    "Printer on floor 3 jams",
    "Laptop does not boot",
    "Need access to the finance share",
    "Invoice shows the wrong amount",
    "Outlook calendar not syncing",
    "Wi-Fi slow in meeting room",
    "Request a second monitor",
    "Password expired while travelling",
    "Не работает VPN из дома",
    "Не приходит почта",
    "Принтер печатает пустые листы",
    "Нужен доступ к папке бухгалтерии",
]
REPLIES = [
    "Thanks, I can reproduce it. Looking into it now.",
    "Could you send a screenshot of the error?",
    "Restarting the client fixed it for me, thanks!",
    "We pushed a fix; please try again and let us know.",
    "Still happening this morning.",
    "Спасибо, сейчас проверю.",
    "Internal: escalated to the network team, see change CHG-2211.",
]


@dataclass
class Dataset:
    backend: str
    url: str
    engine: Engine
    manager_id: int
    agent_ids: list[int]
    requester_ids: list[int]
    category_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _chunks(rows: list[dict], size: int = CHUNK):
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _bulk(conn, model, rows: list[dict]) -> None:
    table = model.__table__
    for part in _chunks(rows):
        conn.execute(insert(table), part)


def _users(conn, password_hash: str) -> tuple[int, list[int], list[int]]:
    rows = [
        {
            "email": "bench-manager@example.com",
            "name": "Bench Manager",
            "role": "manager",
        }
    ]
    rows += [
        {"email": f"agent{i}@example.com", "name": f"Agent {i:02d}", "role": "agent"}
        for i in range(N_AGENTS)
    ]
    rows += [
        {"email": f"requester{i}@example.com", "name": f"Requester {i:04d}", "role": "requester"}
        for i in range(N_REQUESTERS)
    ]
    for r in rows:
        r.update(
            password_hash=password_hash,
            is_active=True,
            is_available=True,
            created_at=NOW - timedelta(days=800),
        )
    _bulk(conn, User, rows)
    ids = dict(conn.execute(text('SELECT email, id FROM "user"')).all())
    manager = ids["bench-manager@example.com"]
    agents = [ids[f"agent{i}@example.com"] for i in range(N_AGENTS)]
    requesters = [ids[f"requester{i}@example.com"] for i in range(N_REQUESTERS)]
    return manager, agents, requesters


def _tickets(conn, rng: random.Random, agents, requesters, categories, teams) -> dict[str, int]:
    statuses = ["new", "open", "in_progress", "waiting"]
    tickets: list[dict] = []
    by_status: dict[str, list[int]] = {}
    span = 730 * 24 * 3600
    for i in range(N_TICKETS):
        created = NOW - timedelta(seconds=span * (N_TICKETS - i) / N_TICKETS)
        if rng.random() < ACTIVE_SHARE or i >= N_TICKETS - 200:
            status = rng.choice(statuses)
        else:
            status = "closed" if rng.random() < 0.85 else "resolved"
        assignee = rng.choice(agents) if status != "new" or rng.random() < 0.2 else None
        first_response = created + timedelta(minutes=rng.randint(5, 600)) if assignee else None
        resolved = (
            created + timedelta(hours=rng.randint(1, 240))
            if status in ("resolved", "closed")
            else None
        )
        priority = rng.choices(["low", "normal", "high", "urgent"], [20, 55, 20, 5])[0]
        tickets.append(
            {
                "number": 1001 + i,
                "title": f"{rng.choice(SUBJECTS)} (#{i})",
                "description": rng.choice(SUBJECTS) + ". " + rng.choice(REPLIES) * 3,
                "type": rng.choice(["question", "incident", "problem", "feature_request"]),
                "category_id": rng.choice(categories),
                "impact": priority,
                "priority": priority,
                "status": status,
                "requester_id": rng.choice(requesters),
                "assignee_id": assignee,
                "team_id": rng.choice(teams),
                "created_by_id": None,
                "details": {},
                "created_at": created,
                "updated_at": resolved or first_response or created,
                "first_response_at": first_response,
                "first_response_due_at": created + timedelta(hours=8),
                "due_at": created + timedelta(days=3),
                "resolved_at": resolved,
                "closed_at": resolved + timedelta(days=7) if status == "closed" else None,
                "resolution_count": 1 if resolved else 0,
                "rank": "",
                "version": 1,
            }
        )
        by_status.setdefault(status, []).append(i)
    for idxs in by_status.values():
        for idx, rank in zip(idxs, ranking.spaced_ranks(len(idxs)), strict=True):
            tickets[idx]["rank"] = rank
    for t in tickets:
        t["created_by_id"] = t["requester_id"]
    _bulk(conn, Ticket, tickets)
    ids = [r[0] for r in conn.execute(text("SELECT id FROM ticket ORDER BY number"))]

    events: list[dict] = []
    comments: list[dict] = []
    ratings: list[dict] = []
    for tid, t in zip(ids, tickets, strict=True):
        created = t["created_at"]
        ev = [("created", None, None, str(t["number"]), created, t["requester_id"])]
        if t["assignee_id"]:
            fr = t["first_response_at"]
            ev.append(
                ("assigned", "assignee_id", None, str(t["assignee_id"]), fr, t["assignee_id"])
            )
            if t["status"] != "new":
                ev.append(("status_changed", "status", "new", "open", fr, t["assignee_id"]))
            comments.append(
                {
                    "ticket_id": tid,
                    "author_id": t["assignee_id"],
                    "body": rng.choice(REPLIES),
                    "is_internal": (internal := rng.random() < 0.2),
                    "created_at": fr,
                }
            )
            ev.append(
                ("internal_note" if internal else "comment", None, None, None, fr, t["assignee_id"])
            )
            if rng.random() < 0.6:
                comments.append(
                    {
                        "ticket_id": tid,
                        "author_id": t["requester_id"],
                        "body": rng.choice(REPLIES),
                        "is_internal": False,
                        "created_at": fr + timedelta(minutes=rng.randint(1, 300)),
                    }
                )
                ev.append(("comment", None, None, None, fr, t["requester_id"]))
        if t["resolved_at"] and rng.random() < 0.3:
            ratings.append(
                {
                    "ticket_id": tid,
                    "resolution_no": 1,
                    "rater_id": t["requester_id"],
                    "score": rng.choice([1, 2, 3, 4, 4, 5, 5, 5]),
                    "comment": "",
                    "created_at": t["resolved_at"] + timedelta(hours=3),
                }
            )
        if t["resolved_at"]:
            ev.append(
                ("status_changed", "status", "open", "resolved", t["resolved_at"], t["assignee_id"])
            )
        if t["closed_at"]:
            ev.append(("status_changed", "status", "resolved", "closed", t["closed_at"], None))
        if t["status"] in ("in_progress", "waiting"):
            ev.append(
                ("status_changed", "status", "open", t["status"], t["updated_at"], t["assignee_id"])
            )
        for kind, fld, old, new, at, actor in ev:
            events.append(
                {
                    "ticket_id": tid,
                    "actor_id": actor,
                    "created_at": at,
                    "kind": kind,
                    "field": fld,
                    "old_value": old,
                    "new_value": new,
                }
            )
    _bulk(conn, TicketEvent, events)
    _bulk(conn, Comment, comments)
    _bulk(conn, SatisfactionRating, ratings)
    return {
        "tickets": len(tickets),
        "events": len(events),
        "comments": len(comments),
        "ratings": len(ratings),
    }


FOLLOW_UPS = [
    "Host srv{n:05d} logs error 0x{code:04x} again after the update.",
    "Attached the screenshot from srv{n:05d}; the calendar sync stopped at 09:{code:02d}.",
    "The printer queue on srv{n:05d} is stuck, job {code} never finishes.",
    "Reinstalled the VPN client on laptop LT-{n:05d}; please confirm it stays connected.",
    "Пользователь сообщает, что ноутбук LT-{n:05d} снова не загружается (код {code}).",
    "Checked the mailbox quota for user {n}: 98% full, archived old items.",
]


def _follow_ups(conn) -> int:
    """More of each conversation (issue 20: ~330,000 comments in all), with rarer words (host
    and laptop names, codes) for the search benchmark; its own random stream, so every other
    row of the data set stays as it was."""
    rng = random.Random(SEED + 20)
    t = Ticket.__table__.c
    rows = conn.execute(
        select(t.id, t.requester_id, t.assignee_id, t.created_at)
        .where(t.assignee_id.is_not(None))
        .order_by(t.id)
    ).all()
    comments: list[dict] = []
    for tid, requester, assignee, created in rows:
        for k in range(rng.choice([0, 1, 2, 2, 3, 3])):
            text_ = rng.choice(FOLLOW_UPS).format(n=rng.randrange(100_000), code=rng.randrange(60))
            comments.append(
                {
                    "ticket_id": tid,
                    "author_id": assignee if k % 2 == 0 else requester,
                    "body": text_,
                    "is_internal": k % 2 == 0 and rng.random() < 0.15,
                    "created_at": created + timedelta(hours=2 + k),
                }
            )
    _bulk(conn, Comment, comments)
    return len(comments)


def _search_index(conn) -> float:
    """The ticket search index, as the migration back-fills it (the rows above were written
    without the ORM, so no session hook saw them)."""
    from ticketapp.services.tickets import search_index

    started = time.perf_counter()
    search_index.backfill(conn, batch=2_000)
    return time.perf_counter() - started


def _articles(conn, rng: random.Random, author: int, categories: dict[str, int]) -> int:
    demo = DEMO_ARTICLES
    sentences = [
        s.strip()
        for a in demo
        for s in a["body"].replace("\n", " ").split(". ")
        if len(s.split()) > 4
    ]
    ru_sentences = [s for s in sentences if tx.is_cyrillic(s.split()[0].strip("*#-0123456789."))]
    en_sentences = [s for s in sentences if s not in set(ru_sentences)]
    products = ["Outlook", "Teams", "VPN", "SAP", "Jira", "Zoom", "Chrome", "Excel", "Wi-Fi"]
    rows: list[dict] = []
    for i in range(N_ARTICLES):
        base = demo[i % len(demo)]
        lang = base["language"]
        pool = ru_sentences if lang == "ru" else en_sentences
        extra = ". ".join(rng.choice(pool) for _ in range(rng.randint(3, 12)))
        product = rng.choice(products)
        title = f"{base['title']}: {product} ({i})"
        rows.append(
            {
                "slug": f"{tx.slugify(base['title'], 60)}-{i}",
                "title": title[:200],
                "body": f"{base['body']}\n\n{product}: {extra}.",
                "category_id": categories.get(base["category"]),
                "tags": f"{base['tags']}, {product.lower()}",
                "status": "published" if rng.random() < 0.9 else "draft",
                "audience": base["audience"],
                "language": lang,
                "author_id": author,
                "created_at": NOW - timedelta(days=rng.randint(1, 700)),
                "updated_at": NOW - timedelta(days=rng.randint(0, 30)),
                "helpful_yes": rng.randint(0, 40),
                "helpful_no": rng.randint(0, 8),
            }
        )
    _bulk(conn, KbArticle, rows)
    ids = dict(conn.execute(text("SELECT slug, id FROM kb_article")).all())
    index: list[dict] = []
    vocabulary: Counter[str] = Counter()
    for r in rows:
        doc = kb._doc(r["title"], r["tags"], r["body"])
        index.append({"id": ids[r["slug"]], "t": doc[0], "g": doc[1], "b": doc[2]})
        vocabulary.update(t for t in kb._doc_terms(doc) if len(t) <= tx.MAX_TOKEN_LEN)
    if conn.dialect.name == "sqlite":
        stmt = text("INSERT INTO kb_search(rowid, title, tags, body) VALUES (:id, :t, :g, :b)")
    else:
        stmt = text(
            "UPDATE kb_article SET search_vector = "
            "setweight(to_tsvector('simple', :t), 'A') || "
            "setweight(to_tsvector('simple', :g), 'B') || "
            "setweight(to_tsvector('simple', :b), 'C') WHERE id = :id"
        )
    for part in _chunks(index, 1000):
        conn.execute(stmt, part)
    terms = [{"t": t, "n": len(t), "c": c} for t, c in sorted(vocabulary.items())]
    for part in _chunks(terms):
        conn.execute(text("INSERT INTO kb_term(term, length, doc_count) VALUES (:t, :n, :c)"), part)
    article_ids = sorted(ids.values())
    _bulk(
        conn,
        KbDeflection,
        [
            {
                "article_id": rng.choice(article_ids),
                "user_id": None,
                "query": rng.choice(["vpn", "password reset", "принтер", "outlook"]),
                "created_at": NOW - timedelta(seconds=rng.uniform(0, 730 * 86400)),
            }
            for _ in range(N_DEFLECTIONS)
        ],
    )
    return len(rows)


def build(backend: str, url: str, engine: Engine) -> Dataset:
    """Fill a freshly migrated, empty database; returns what the benchmarks need."""
    from ticketapp.services.auth import hash_password

    started = time.perf_counter()
    rng = random.Random(SEED)
    with engine.begin() as conn:
        manager, agents, requesters = _users(conn, hash_password(BENCH_PASSWORD))
        _bulk(conn, Category, [{"name": n, "description": ""} for n in CATEGORIES])
        categories = dict(conn.execute(text("SELECT name, id FROM category")).all())
        _bulk(conn, Team, [{"name": n, "description": "", "created_at": NOW} for n in TEAMS])
        teams = [r[0] for r in conn.execute(text("SELECT id FROM team ORDER BY id"))]
        _bulk(
            conn,
            TeamMember,
            [{"team_id": teams[i % len(teams)], "user_id": a} for i, a in enumerate(agents)],
        )
        counts = _tickets(conn, rng, agents, requesters, list(categories.values()), teams)
        counts["articles"] = _articles(conn, rng, manager, categories)
        counts["comments"] += _follow_ups(conn)
        counts["search_seconds"] = round(_search_index(conn))
    if backend == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("INSERT INTO kb_search(kb_search) VALUES ('optimize')")
            conn.exec_driver_sql("INSERT INTO ticket_search(ticket_search) VALUES ('optimize')")
    else:
        # What autovacuum does to a settled database: statistics and the visibility map (so
        # counts can use index-only scans).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    counts.update(agents=len(agents), requesters=len(requesters))
    return Dataset(
        backend=backend,
        url=url,
        engine=engine,
        manager_id=manager,
        agent_ids=agents,
        requester_ids=requesters,
        category_ids=list(categories.values()),
        counts=counts,
        seconds=time.perf_counter() - started,
    )
