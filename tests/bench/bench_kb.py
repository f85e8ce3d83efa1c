"""Knowledge-base search over the data set's 10,000 articles (English and Russian).

Workload: services.kb.search as a requester (published, public articles only) through
run_in_session, the path the /kb page's handler takes: parsing, stemming, the ranked FTS query
(all words; any word to fill up), loading the hits and highlighting them.
Baseline: the raw ranked FTS query for the same words (FTS5 MATCH + bm25 on SQLite, tsvector
@@ tsquery + ts_rank on PostgreSQL), with the expression prepared beforehand.
Queries: whole words and a prefix being typed; common and rare terms.
"""

from __future__ import annotations

import itertools

from sqlalchemy import text
from sqlmodel import Session, select

from tests.bench.harness import ameasure, measure, record, run
from ticketapp import db as dbmod
from ticketapp.models import User
from ticketapp.services import kb
from ticketapp.services.actor import Actor

RUNS = 60
QUERIES = {
    "en": [
        "reset password",
        "vpn disconnects",
        "printer",
        "outlook calendar sync",
        "mfa authenticator app",
        "wi-fi guest",
        "invoice wrong amount",
        "laptop won't boot",
        "shared mailbox acc",
        "teams",
    ],
    "ru": [
        "сбросить пароль",
        "vpn не подключается",
        "принтер",
        "почта не приходит",
        "доступ к папке",
        "ноутбук",
        "двухфакторная аутентиф",
        "календарь",
    ],
}


def _raw(dialect: str, query: str) -> tuple[str, dict]:
    q = kb._parse(query, kb.MAX_QUERY_CHARS, kb.MAX_QUERY_TERMS)
    params = {"limit": 10, "published": "published", "public": "public"}
    visible = "a.status = :published AND a.audience = :public"
    if dialect == "sqlite":
        params["q"] = kb._fts5_expr(q, "and")
        sql = (
            f"SELECT a.id, {kb._BM25} AS score FROM kb_search "
            "JOIN kb_article a ON a.id = kb_search.rowid "
            f"WHERE kb_search MATCH :q AND {visible} ORDER BY score, a.id LIMIT :limit"
        )
    else:
        params["q"] = kb._tsquery_expr(q, "and")
        sql = (
            f"SELECT a.id, ts_rank({kb._TS_WEIGHTS}, a.search_vector, q, 1) AS score "
            "FROM kb_article a, to_tsquery('simple', :q) q "
            f"WHERE a.search_vector @@ q AND {visible} ORDER BY score DESC, a.id LIMIT :limit"
        )
    return sql, params


def test_kb_search_bench(bench_db):
    engine, backend = bench_db.engine, bench_db.backend
    with Session(engine) as s:
        actor = Actor.of(s.exec(select(User).where(User.email == "requester7@example.com")).one())
    for lang, queries in QUERIES.items():
        prepared = [_raw(engine.dialect.name, q) for q in queries]
        raws = itertools.cycle(prepared)

        def raw(raws=raws):
            sql, params = next(raws)
            with engine.connect().execution_options(readonly=True) as c:
                return c.execute(text(sql), params).all()

        hits = {q: len(raw()) for q in queries}  # sanity: the data set answers these
        assert sum(1 for n in hits.values() if n) >= len(queries) // 2, hits
        names = itertools.cycle(queries)

        async def service(names=names):
            return await dbmod.run_in_session(kb.search, actor, next(names), readonly=True)

        with bench_db.serving():
            samples = run(ameasure(service, RUNS))
        base = measure(raw, RUNS)
        record(
            f"KB search {lang.upper()} (kb.search, 10k articles)", backend, samples, base, "raw FTS"
        )
