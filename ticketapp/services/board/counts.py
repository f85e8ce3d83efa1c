"""What every unfiltered board shows, computed once per change for all viewers (issue 21),
instead of a GROUP BY over every ticket and six column queries per viewer per reload:
- tickets per status (the column headers, the WIP limits), counted once and then changed by
  each committed transaction's own filings, moves and deletions (`_Counts`);
- the columns' first cards, forgotten on any committed change to a ticket, a user or a team
  (names on the cards), and after `CARDS_MAX_AGE` seconds (SLA badges follow the clock).
Both are forgotten on the ticket changes other workers relay too (ticketapp/state.py).
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from sqlalchemy import event, func, inspect
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlmodel import Session, select

from ticketapp.models import Team, Ticket, User
from ticketapp.services import lifecycle
from ticketapp.services import memo as memos
from ticketapp.services.memo import Memo, db_key, forget_on_commit

COUNTS_MAX_AGE = 60.0
CARDS_MAX_AGE = 10.0
cards_memo = Memo("board_cards", max_entries=64, max_age=CARDS_MAX_AGE)


class _Counts:
    """Tickets per status per database, kept current by the committed changes themselves: a
    transaction's status changes, filings and deletions are applied to the shared counts when
    it commits (no recount). A count computed while some transaction that changes tickets was
    in flight is not kept (it may or may not include that transaction; its delta will be
    applied to the kept one instead). A bulk UPDATE/DELETE of tickets forgets them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[int, tuple[dict[str, int], float]] = {}
        self.generation = 0
        self.in_flight = 0  # transactions that changed tickets and have not ended yet

    def get(self, db: int) -> dict[str, int] | None:
        with self.lock:
            entry = self.kept.get(db)
            if entry is None or time.monotonic() - entry[1] > COUNTS_MAX_AGE:
                return None
            return entry[0]

    def keep(self, db: int, counts: dict[str, int], generation: int) -> None:
        with self.lock:
            if generation == self.generation and not self.in_flight:
                self.kept[db] = (counts, time.monotonic())

    def bump(self, announce: bool = False) -> None:
        """Forget every count (a relayed change from another worker, a bulk update)."""
        with self.lock:
            self.generation += 1
            self.kept.clear()

    def ended(self, db: int, delta: Counter[str] | None) -> None:
        """A transaction that changed tickets ended: `delta` committed (None: unknown)."""
        with self.lock:
            self.in_flight -= 1
            self.generation += 1
            entry = self.kept.get(db)
            if entry is None:
                return
            if delta is None:
                del self.kept[db]
                return
            counts = dict(entry[0])
            for status, n in delta.items():
                counts[status] = counts.get(status, 0) + n
            self.kept[db] = (counts, entry[1])


memo = _Counts()
memos._every_memo.append(memo)  # type: ignore[arg-type]  (forget_all: tests' fresh databases)
_DELTA, _DB, _UNKNOWN, _COMMITTED = (f"ticketapp_counts_{x}" for x in ("delta", "db", "?", "ok"))


def status_counts(session: Session) -> dict[str, int]:
    """Every ticket's status counted (board statuses always present). Shared: do not change.
    A transaction that changed tickets counts for itself (it sees its own changes)."""
    db = db_key(session)
    if _DELTA in session.info:
        return _count(session)
    counts = memo.get(db)
    if counts is None:
        generation = memo.generation
        counts = _count(session)
        memo.keep(db, counts, generation)
    return counts


def _count(session: Session) -> dict[str, int]:
    rows = session.exec(select(Ticket.status, func.count()).group_by(Ticket.status)).all()
    counts = {s.value: 0 for s in lifecycle.BOARD_STATUSES}
    counts.update({str(status): int(n) for status, n in rows})
    return counts


def _status(ticket: Ticket, new: bool) -> tuple[str | None, str | None]:
    """(old, new) status of a ticket in this flush (None: not there before / after)."""
    history = inspect(ticket).attrs.status.history
    now = str(ticket.status) if ticket.status is not None else None
    if new:
        return None, now
    before = history.deleted or history.unchanged
    return (str(before[0]) if before and before[0] is not None else now), now


def _in_flight(session: Session) -> Counter[str]:
    if _DELTA not in session.info:
        session.info[_DELTA] = Counter()
        session.info[_DB] = db_key(session)
        with memo.lock:
            memo.in_flight += 1
    return session.info[_DELTA]


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    changes: list[tuple[str | None, str | None]] = []
    changes += [_status(o, True) for o in session.new if isinstance(o, Ticket)]
    changes += [(_status(o, False)[0], None) for o in session.deleted if isinstance(o, Ticket)]
    for o in session.dirty:
        if isinstance(o, Ticket) and inspect(o).attrs.status.history.has_changes():
            changes.append(_status(o, False))
    for old, new in changes:
        if old != new:
            delta = _in_flight(session)
            if old is not None:
                delta[old] -= 1
            if new is not None:
                delta[new] += 1


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and mapper.class_ is Ticket:
        _in_flight(state.session)
        state.session.info[_UNKNOWN] = True


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous) -> None:
    if _DELTA in session.info:  # a savepoint's share of the delta may be gone with it
        session.info[_UNKNOWN] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if _DELTA in session.info and not session.in_nested_transaction():
        session.info[_COMMITTED] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None or _DELTA not in session.info:
        return
    delta = session.info.pop(_DELTA)
    db = session.info.pop(_DB)
    unknown = session.info.pop(_UNKNOWN, False)
    if session.info.pop(_COMMITTED, False):
        memo.ended(db, None if unknown else delta)
    else:  # rolled back: nothing changed
        memo.ended(db, Counter())


def _cards_changed(session: Session) -> bool:
    changed = (*session.new, *session.dirty, *session.deleted)
    return any(isinstance(o, (Ticket, User, Team)) for o in changed)


forget_on_commit(cards_memo, _cards_changed, (Ticket, User, Team))
