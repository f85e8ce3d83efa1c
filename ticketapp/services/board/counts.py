"""Tickets per status over the whole board, computed once per change for every board and the
WIP limits (issue 21), instead of a GROUP BY over every ticket per viewer per reload.

Forgotten when a committed transaction adds or deletes a ticket or changes a ticket's status
(services/memo), and on the ticket changes other workers relay (ticketapp/state.py).
"""

from __future__ import annotations

from sqlalchemy import func, inspect
from sqlmodel import Session, select

from ticketapp.models import Ticket
from ticketapp.services import lifecycle
from ticketapp.services.memo import Memo, forget_on_commit

memo = Memo("board_counts", max_entries=4, max_age=60.0)


def status_counts(session: Session) -> dict[str, int]:
    """Every ticket's status counted (board statuses always present). Shared: do not change."""
    return memo.cached(id(session.get_bind()), lambda: _count(session))


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
