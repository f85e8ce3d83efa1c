"""REST API benchmark on the shared data set (100,000 tickets): filing a ticket through the API
(POST /api/v1/tickets: auth, validation, numbering, triage, SLA, notification, the full ticket
view back) with 1 and 4 concurrent clients, and the ticket list and a text search as an agent,
each against raw SQL doing the core of the same work. The app runs in-process (httpx
ASGITransport), so the numbers are the server's cost without a network hop. osTicket's API
files about 12 tickets/s with one client on this class of machine: the goal is 10x that.
"""

from __future__ import annotations

import asyncio
import itertools
import time

import httpx
from sqlalchemy import func, insert, select, text
from sqlmodel import Session

from tests.bench.harness import ameasure, measure, note, record, run
from ticketapp.api import create_app
from ticketapp.api.deps import TokenBuckets
from ticketapp.models import Ticket, User
from ticketapp.services import api_tokens
from ticketapp.services.actor import Actor

RUNS = 60
PER_CLIENT = 30
_seq = itertools.count(1)


def _tokens(engine) -> tuple[str, str]:
    with Session(engine) as s:
        requester = s.exec(select(User).where(User.email == "requester1@example.com")).one()[0]
        agent = s.exec(select(User).where(User.email == "agent1@example.com")).one()[0]
        _, req_secret = api_tokens.create_token(s, Actor.of(requester), "bench", "write")
        _, agent_secret = api_tokens.create_token(s, Actor.of(agent), "bench", "read")
        s.commit()
    return req_secret, agent_secret


def _raw_insert(engine, template: dict) -> None:
    with engine.begin() as c:
        top = c.execute(select(func.max(Ticket.number))).scalar_one()
        row = {**template, "number": top + 1, "title": f"raw {next(_seq)}"}
        c.execute(insert(Ticket.__table__).values(**row))


def _template(engine) -> dict:
    with engine.connect() as c:
        row = dict(c.execute(select(Ticket.__table__).limit(1)).mappings().one())
    row.pop("id")
    row["idempotency_key"] = None
    return row


async def _create(client: httpx.AsyncClient, headers: dict) -> None:
    n = next(_seq)
    r = await client.post(
        "/api/v1/tickets",
        json={"title": f"API bench {n}", "description": "The printer on floor 3 jams."},
        headers={**headers, "Idempotency-Key": f"bench-{n}-{time.time_ns()}"},
    )
    assert r.status_code == 201, r.text


async def _clients(app, headers: dict, clients: int) -> tuple[list[float], float]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        samples: list[float] = []

        async def one() -> None:
            for _ in range(PER_CLIENT):
                t = time.perf_counter()
                await _create(client, headers)
                samples.append((time.perf_counter() - t) * 1000)

        start = time.perf_counter()
        await asyncio.gather(*[one() for _ in range(clients)])
        return samples, clients * PER_CLIENT / (time.perf_counter() - start)


def test_api_bench(bench_db):
    engine, backend = bench_db.engine, bench_db.backend
    req_secret, agent_secret = _tokens(engine)
    app = create_app(engine, TokenBuckets(rate=100_000, burst=100_000))
    writer = {"Authorization": f"Bearer {req_secret}"}
    reader = {"Authorization": f"Bearer {agent_secret}"}
    template = _template(engine)
    raw = measure(lambda: _raw_insert(engine, template), RUNS)
    for clients in (1, 4):
        samples, per_second = run(_clients(app, writer, clients))
        record(f"API ticket create, {clients} client(s)", backend, samples, raw, "raw INSERT")
        note(f"API ticket create ({backend}, {clients} client(s)): {per_second:.0f} tickets/s")

    async def get(path: str, params: dict) -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            r = await client.get(path, params=params, headers=reader)
            assert r.status_code == 200, r.text

    list_sql = text(
        "SELECT * FROM ticket WHERE status IN ('new', 'open') "
        "ORDER BY updated_at DESC, id DESC LIMIT 25"
    )
    search_sql = text(
        "SELECT * FROM ticket WHERE lower(title) LIKE '%printer%' OR lower(description) "
        "LIKE '%printer%' ORDER BY updated_at DESC, id DESC LIMIT 25"
    )

    def raw(sql):
        def go():
            with engine.connect() as c:
                c.execute(sql).all()

        return go

    samples = run(ameasure(lambda: get("/api/v1/tickets", {"status": ["new", "open"]}), RUNS))
    record(
        "API ticket list (open, 25 a page)",
        backend,
        samples,
        measure(raw(list_sql), RUNS),
        "raw SQL page",
    )
    samples = run(ameasure(lambda: get("/api/v1/tickets", {"q": "printer"}), RUNS))
    record(
        "API ticket search (q=printer)",
        backend,
        samples,
        measure(raw(search_sql), RUNS),
        "raw SQL LIKE",
    )
