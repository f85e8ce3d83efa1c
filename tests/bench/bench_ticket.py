"""Ticket page benchmark on the shared data set (100,000 tickets, ~6 events and ~1.6 comments
each): everything the page shows for an agent (pages.ticket_detail.view_model.load_ticket: the
ticket, its conversation, history, files, time log, links, the tickets merged into it, the SLA
clock and the edit options), through `run_in_session` like the page's handler, against the raw
SQL of its main reads run directly on a connection. Every open ticket page runs this again
after each change to its ticket, so it is the most frequent read of the load test's mix.
"""

from __future__ import annotations

import random

from sqlalchemy import text
from sqlmodel import Session, select

from tests.bench.harness import ameasure, measure, record, run
from ticketapp import db as dbmod
from ticketapp.models import Ticket, User
from ticketapp.pages.ticket_detail.view_model import load_ticket
from ticketapp.services.actor import Actor

RUNS = 60
RAW_READS = (
    "SELECT * FROM ticket WHERE number = :n",
    "SELECT * FROM comment WHERE ticket_id = :id ORDER BY created_at, id",
    "SELECT * FROM ticket_event WHERE ticket_id = :id ORDER BY created_at, id",
    "SELECT * FROM attachment WHERE ticket_id = :id",
    "SELECT * FROM time_entry WHERE ticket_id = :id",
    "SELECT l.kind, t.* FROM ticket_link l JOIN ticket t ON t.id = l.other_ticket_id "
    "WHERE l.ticket_id = :id",
    "SELECT * FROM ticket WHERE merged_into_id = :id ORDER BY number",
)


def test_ticket_page_bench(bench_db):
    engine, backend = bench_db.engine, bench_db.backend
    with Session(engine) as s:
        agent = s.exec(select(User).where(User.email == "agent1@example.com")).one()
        actor = Actor.of(agent)
        picked = s.exec(select(Ticket.id, Ticket.number).order_by(Ticket.id).limit(5000)).all()
    rng = random.Random(11)
    tickets = [tuple(row) for row in rng.sample(list(picked), 200)]

    def raw_page():
        tid, number = rng.choice(tickets)
        with engine.connect().execution_options(readonly=True) as c:
            for i, sql in enumerate(RAW_READS):
                c.execute(text(sql), {"n": number} if i == 0 else {"id": tid}).all()

    async def page_load():
        _, number = rng.choice(tickets)
        await dbmod.run_in_session(load_ticket, actor, str(number), readonly=True)

    with bench_db.serving():
        samples = run(ameasure(page_load, RUNS))
    baseline = measure(raw_page, RUNS)
    record("ticket page (agent, ticket_detail._load)", backend, samples, baseline, "its reads, raw")
