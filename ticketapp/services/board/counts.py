"""What every unfiltered board shows, computed once per change for all viewers (issue 21),
instead of a GROUP BY over every ticket and six column queries per viewer per reload:
- tickets per status (the column headers, the WIP limits), forgotten when a committed
  transaction adds or deletes a ticket or changes a ticket's status;
- the columns' first cards, forgotten on any committed change to a ticket, a user or a team
  (names on the cards), and after `CARDS_MAX_AGE` seconds (SLA badges follow the clock).
Both are forgotten on the ticket changes other workers relay too (ticketapp/state.py).
"""

from __future__ import annotations

from sqlalchemy import func, inspect
from sqlmodel import Session, select

from ticketapp.models import Team, Ticket, User
from ticketapp.services import lifecycle
from ticketapp.services.memo import Memo, forget_on_commit

memo = Memo("board_counts", max_entries=4, max_age=60.0)
CARDS_MAX_AGE = 10.0
cards_memo = Memo("board_cards", max_entries=64, max_age=CARDS_MAX_AGE)


def status_counts(session: Session) -> dict[str, int]:
    """Every ticket's status counted (board statuses always present). Shared: do not change."""
    return memo.cached_for(session, id(session.get_bind()), lambda: _count(session))


def _count(session: Session) -> dict[str, int]:
    rows = session.exec(select(Ticket.status, func.count()).group_by(Ticket.status)).all()
    counts = {s.value: 0 for s in lifecycle.BOARD_STATUSES}
    counts.update({str(status): int(n) for status, n in rows})
    return counts


def _status_changed(session: Session) -> bool:
    if any(isinstance(o, Ticket) for o in (*session.new, *session.deleted)):
        return True
    return any(
        isinstance(o, Ticket) and inspect(o).attrs.status.history.has_changes()
        for o in session.dirty
    )


forget_on_commit(memo, _status_changed, (Ticket,))


def _cards_changed(session: Session) -> bool:
    changed = (*session.new, *session.dirty, *session.deleted)
    return any(isinstance(o, (Ticket, User, Team)) for o in changed)


forget_on_commit(cards_memo, _cards_changed, (Ticket, User, Team))
