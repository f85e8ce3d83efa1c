"""SLA badge benchmark (its own small SQLite data set; rows go into the `make bench` table).

sla.sla_states for 500 open tickets under a business-hours policy in Europe/Berlin with
holidays, due dates spread from 60 days ago to 5 days ahead (what the board computes for its
cards on every load), and escalation.run over the same tickets with two rules.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from tests.bench.harness import record
from ticketapp.db import make_engine, migrate
from ticketapp.models import BusinessCalendar, EscalationRule, SlaPolicy, Ticket, User
from ticketapp.services import escalation, sla

N = 500
RUNS = 20


def test_sla_states_and_escalation_run(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    migrate(url)
    engine = make_engine(url)
    now = datetime(2026, 3, 4, 12, tzinfo=UTC)
    rng = random.Random(7)
    with Session(engine) as s:
        user = User(email="r@example.com", name="R", password_hash="x")
        cal = BusinessCalendar(name="Berlin", time_zone="Europe/Berlin", holidays=["2026-01-01"])
        s.add_all([user, cal])
        s.flush()
        pol = SlaPolicy(
            name="Normal",
            priority="normal",
            first_response_minutes=480,
            resolution_minutes=1440,
            business_hours=True,
            calendar_id=cal.id,
        )
        s.add(pol)
        s.flush()
        for i in range(N):
            due = now + timedelta(hours=rng.uniform(-60 * 24, 5 * 24))
            s.add(
                Ticket(
                    number=1000 + i,
                    title=f"T{i}",
                    requester_id=user.id,
                    status="open",
                    sla_policy_id=pol.id,
                    due_at=due,
                    first_response_due_at=due - timedelta(hours=16),
                    first_response_at=now - timedelta(days=70) if i % 2 else None,
                )
            )
        s.add(EscalationRule(name="warn", threshold_percent=75, notify_team_managers=True))
        s.add(EscalationRule(name="breach", threshold_percent=100, notify_team_managers=True))
        s.commit()

    with Session(engine) as s:
        rows = s.exec(select(Ticket)).all()
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            states = sla.sla_states(s, rows, now)
            times.append((time.perf_counter() - t0) * 1000)
        assert len(states) == N
    with Session(engine) as s:
        t0 = time.perf_counter()
        result = escalation.run(s, now)
        s.commit()
        first = (time.perf_counter() - t0) * 1000
    idle = []
    for _ in range(RUNS):
        with Session(engine) as s:
            t0 = time.perf_counter()
            again = escalation.run(s, now)
            idle.append((time.perf_counter() - t0) * 1000)
            assert again.firings == 0
    engine.dispose()
    record(f"SLA badges: sla_states for {N} open tickets", "sqlite", times)
    record(
        f"escalation.run first tick ({result.firings} firings, {result.breaches} breaches)",
        "sqlite",
        [first],
    )
    record("escalation.run steady tick (nothing to fire)", "sqlite", idle)
