"""E-mail ingest benchmark on the shared data set: one message through the one intake function
(`services.mail.intake.ingest_and_commit`, what `ingest-mail`, IMAP polling and the SMTP listener
call: parse, Message-ID check, rate limit, requester lookup, a new ticket with auto-triage and
routing, its own transaction), against two baselines measured in the same run: filing the same
ticket through the portal's service call (`services.tickets.create_ticket` in a transaction, as
the New ticket page's handler does), and parsing the message alone.

Each message is new (its own Message-ID), from one of the data set's 2,000 requesters (so the
per-address rate limit never drops one). Messages per second = 1000 / median ms (in the notes).
"""

from __future__ import annotations

import itertools

from sqlmodel import Session

from tests.bench.harness import measure, note, record
from ticketapp.models import User
from ticketapp.services import tickets
from ticketapp.services.actor import Actor
from ticketapp.services.mail import intake
from ticketapp.services.mail.parse import parse

RUNS = 80
BODY = (
    "Hello,\n\nsince this morning the printer on the 3rd floor prints only blank pages. "
    "I tried turning it off and on again and replacing the toner.\n\n" * 6 + "Thanks,\nRequester\n"
)


def message(n: int, sender: str) -> bytes:
    return (
        f"From: Requester <{sender}>\r\nTo: support@help.example.com\r\n"
        f"Subject: Printer prints blank pages ({n})\r\nMessage-ID: <bench-{n}@mail.example.org>\r\n"
        "Date: Mon, 07 Dec 2026 09:15:00 +0000\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + BODY.replace("\n", "\r\n")
    ).encode()


def test_mail_ingest_bench(bench_db, monkeypatch):
    monkeypatch.setenv("TICKETAPP_SMTP_FROM", "support@help.example.com")
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)
    engine, backend = bench_db.engine, bench_db.backend
    ids = bench_db.data.requester_ids
    with Session(engine) as s:
        people = [Actor.of(s.get(User, i)) for i in ids[:200]]  # type: ignore[arg-type]
    counter = itertools.count()
    senders = itertools.cycle(p.email for p in people)
    actors = itertools.cycle(people)
    sample = message(0, people[0].email)

    def ingest():
        outcome = intake.ingest_and_commit(engine, message(next(counter), next(senders)))
        assert outcome.kind == intake.CREATED, outcome

    def portal():
        n = next(counter)
        with Session(engine) as session:
            tickets.create_ticket(
                session, next(actors), title=f"Printer prints blank pages ({n})", description=BODY
            )
            session.commit()

    samples = measure(ingest, RUNS)
    filing = measure(portal, RUNS)
    parsing = measure(lambda: parse(sample), RUNS)
    record(
        "e-mail ingest: new ticket (ingest_and_commit)", backend, samples, filing, "portal filing"
    )
    record("e-mail ingest: new ticket (ingest_and_commit)", backend, samples, parsing, "parse only")
    per_second = 1000 / sorted(samples)[len(samples) // 2]
    note(f"E-mail ingest ({backend}): {per_second:.0f} messages/s through ingest_and_commit")
