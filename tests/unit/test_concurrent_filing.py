"""Two filings (or drops) in flight at once get distinct numbers and distinct ranks.

Found by the load test on PostgreSQL with 4 workers: concurrent transactions read the same
bottom rank / max number. The second transaction must wait for the first (SQLite: BEGIN
IMMEDIATE; PostgreSQL: the column's advisory lock) and then see its row.
"""

from __future__ import annotations

import threading
import time

from sqlmodel import Session, select

from tests.unit.factories import make_ticket, people
from ticketapp.db import session_scope
from ticketapp.models import Ticket, TicketStatus


def test_concurrent_filings_get_distinct_numbers_and_ranks(engine):
    with Session(engine, expire_on_commit=False) as s:
        p = people(s)
        s.commit()
    results: list[object] = []

    def second() -> None:
        try:
            with session_scope(engine) as s2:
                results.append(make_ticket(s2, p.other, title="Second filing"))
        except Exception as exc:  # reported by the assert below
            results.append(exc)

    with session_scope(engine) as s1:
        first = make_ticket(s1, p.requester, title="First filing")
        worker = threading.Thread(target=second)
        worker.start()
        time.sleep(0.3)  # let the second transaction reach the column (it must wait for us)
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert len(results) == 1 and not isinstance(results[0], Exception), results
    with Session(engine) as s:
        rows = s.exec(select(Ticket).where(Ticket.status == TicketStatus.NEW)).all()
    assert sorted(t.number for t in rows) == [first.number, first.number + 1]
    assert len({t.rank for t in rows}) == 2
