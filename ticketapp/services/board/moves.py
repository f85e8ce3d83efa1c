"""Moving a card: a rank between its new neighbours (rebalancing a column when ranks run out),
and a status change through the lifecycle when it crosses columns."""

from __future__ import annotations

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from ticketapp.models import Ticket, utcnow
from ticketapp.services import lifecycle, ranking, tickets
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.board.cards import Card, get_card
from ticketapp.services.errors import Conflict, NotFound

# --- moving ---------------------------------------------------------------------------------


def _neighbour_rank(session: Session, status: str, moving_id: int, raw_id: object) -> str | None:
    """The rank of a neighbour the browser named, if it is still in that column."""
    if raw_id in (None, ""):
        return None
    try:
        nid = tickets.coerce_id(raw_id)
    except NotFound:
        return None
    row = session.exec(select(Ticket.rank, Ticket.status).where(Ticket.id == nid)).first()
    if nid == moving_id or row is None or row[1] != status:
        return None
    return row[0]


def _next_rank(session: Session, status: str, moving_id: int, rank: str, above: bool) -> str | None:
    column = col(Ticket.rank)
    agg = func.min(column) if above else func.max(column)
    cond = column > rank if above else column < rank
    return session.exec(
        select(agg).where(Ticket.status == status, Ticket.id != moving_id, cond)
    ).one()


def _try_rank(session: Session, status: str, moving_id: int, before_id, after_id) -> str:
    lo = _neighbour_rank(session, status, moving_id, before_id)
    hi = _neighbour_rank(session, status, moving_id, after_id)
    if lo is not None and hi is not None and lo >= hi:
        hi = None  # the browser's view is stale: trust the card above
    if lo is not None and hi is None:
        hi = _next_rank(session, status, moving_id, lo, above=True)
    elif hi is not None and lo is None:
        lo = _next_rank(session, status, moving_id, hi, above=False)
    elif lo is None and hi is None:
        lo = session.exec(
            select(func.max(Ticket.rank)).where(Ticket.status == status, Ticket.id != moving_id)
        ).one()
    # A legacy/empty neighbour rank raises ValueError here, and the caller rebalances.
    rank = ranking.rank_between(lo, hi)
    if len(rank) > ranking.MAX_RANK_LENGTH:
        raise ValueError("rank too long")
    return rank


def rebalance_column(session: Session, status: str, exclude_id: int | None = None) -> int:
    """Give every card of a column a fresh short rank, keeping the order (rare: only when keys
    grew too long or legacy rows have no rank). Plain UPDATEs: versions do not move."""
    ids = session.exec(
        select(Ticket.id)
        .where(Ticket.status == status, Ticket.id != (exclude_id or 0))
        .order_by(col(Ticket.rank), col(Ticket.id))
    ).all()
    table = Ticket.__table__  # type: ignore[attr-defined]
    stmt = table.update().where(table.c.id == bindparam("tid")).values(rank=bindparam("new_rank"))
    params = [
        {"tid": i, "new_rank": r} for i, r in zip(ids, ranking.spaced_ranks(len(ids)), strict=True)
    ]
    if params:
        session.connection().execute(stmt, params)
    return len(params)


def rank_for_drop(
    session: Session, status: str, moving_id: int, before_id: object, after_id: object
) -> str:
    tickets.lock_column(session, status)  # concurrent drops must not compute the same rank
    try:
        return _try_rank(session, status, moving_id, before_id, after_id)
    except ValueError:
        rebalance_column(session, status, moving_id)
        return _try_rank(session, status, moving_id, before_id, after_id)


def move_card(
    session: Session,
    actor: Actor,
    ticket_id: object,
    to_status: object,
    before_id: object = None,
    after_id: object = None,
    expected_version: object = None,
) -> Card:
    """Drop a card into `to_status` between two neighbours of the target column (after the
    drop): `before_id` is the card directly ABOVE it (None at the top), `after_id` the card
    directly BELOW it (None at the bottom). Refused moves raise ValidationError (lifecycle)
    or Conflict (stale `expected_version`: someone else moved or edited it first)."""
    require_staff(actor)
    ticket = tickets.get_ticket_for(session, actor, ticket_id, lock=True)
    assert ticket.id is not None
    if expected_version is not None:
        try:
            tickets.check_version(session, ticket, expected_version)
        except Conflict:
            who = tickets.last_changed_by(session, ticket.id)
            raise Conflict(
                "{who} moved or changed #{number} a moment ago. The board now shows where it is.",
                who=who,
                number=ticket.number,
            ) from None
    target = lifecycle.parse_status(to_status)
    if target != ticket.status:
        lifecycle.check_transition(ticket.status, target, actor)
    rank = rank_for_drop(session, target, ticket.id, before_id, after_id)
    now = utcnow()
    if target != ticket.status:
        tickets.apply_status(session, ticket, target, actor, now, rank=rank)
    elif rank != ticket.rank:
        old = ticket.rank
        ticket.rank = rank
        session.add(ticket)
        tickets.record_event(session, ticket.id, actor, "moved", "rank", old, rank, now)
    tickets.flush_ticket(session, ticket)
    return get_card(session, actor, ticket.id)
