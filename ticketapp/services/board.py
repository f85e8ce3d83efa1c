"""The kanban board: one column per status, cards ordered by a fractional rank.

A move within a column rewrites the moved card's rank only; a move across columns is a status
change through the lifecycle (same rules and events as the ticket page). Staff only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from ticketapp.models import BoardWipLimit, Category, Team, Ticket, User, utcnow
from ticketapp.services import lifecycle, ranking, sla, tickets
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.errors import Conflict, NotFound, ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
FILTER_KEYS = ("assignee", "team_id", "priority", "type", "category_id", "text")


@dataclass(frozen=True)
class Card:
    id: int
    number: int
    title: str
    status: str
    priority: str
    type: str
    assignee_id: int | None
    assignee_name: str  # "Unassigned" when nobody
    assignee_initials: str  # "" when nobody
    team_name: str
    created_at: datetime
    due_at: datetime | None
    rank: str
    version: int
    sla_state: str = ""  # SLA: "ok" | "warning" | "breached" | "paused" | "met" | ""
    sla_label: str = ""  # SLA: e.g. "2h 10m left", "Breached 15m ago"


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    cards: list[Card]
    total: int  # matching cards in the column; more than len(cards) -> "show more"


def initials(name: str) -> str:
    parts = [p for p in name.replace(".", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper()


def _card_select():
    return (
        select(
            Ticket.id,
            Ticket.number,
            Ticket.title,
            Ticket.status,
            Ticket.priority,
            Ticket.type,
            Ticket.assignee_id,
            User.name,
            Team.name,
            Ticket.created_at,
            Ticket.due_at,
            Ticket.rank,
            Ticket.version,
            # SLA facts (services/sla.sla_states computes the badge without further queries)
            Ticket.first_response_at,
            Ticket.first_response_due_at,
            Ticket.sla_policy_id,
            Ticket.sla_paused_at,
            Ticket.resolved_at,
        )
        .join(User, col(User.id) == Ticket.assignee_id, isouter=True)
        .join(Team, col(Team.id) == Ticket.team_id, isouter=True)
    )


def _card(row) -> Card:
    tid, number, title, status, priority, type_, assignee_id, who, team, created, due, rank, v = (
        row[:13]
    )
    return Card(
        id=tid,
        number=number,
        title=title,
        status=status,
        priority=priority,
        type=type_,
        assignee_id=assignee_id,
        assignee_name=who or "Unassigned",
        assignee_initials=initials(who) if who else "",
        team_name=team or "",
        created_at=created,
        due_at=due,
        rank=rank,
        version=v,
    )


def _cards(session: Session, rows) -> list[Card]:
    """Cards with their SLA badge (one bulk computation for all rows)."""
    facts = [
        SimpleNamespace(
            id=r[0],
            status=r[3],
            due_at=r[10],
            first_response_at=r[13],
            first_response_due_at=r[14],
            sla_policy_id=r[15],
            sla_paused_at=r[16],
            resolved_at=r[17],
        )
        for r in rows
    ]
    states = sla.sla_states(session, facts)  # type: ignore[arg-type]
    out = []
    for r in rows:
        card = _card(r)
        st = states.get(card.id)
        if st is not None and st.state != "none":
            card = replace(card, sla_state=st.state, sla_label=st.label)
        out.append(card)
    return out


def _filters(actor: Actor, filters: dict[str, Any] | None) -> list:
    given = {k: v for k, v in (filters or {}).items() if k in FILTER_KEYS}
    return tickets.ticket_filters(actor, **given)


def board_columns(
    session: Session,
    actor: Actor,
    filters: dict[str, Any] | None = None,
    limit: int = DEFAULT_LIMIT,
    limits: dict[str, int] | None = None,
) -> list[BoardColumn]:
    """Every status column with its first `limit` cards (per-column `limits` override, e.g.
    {"closed": 0} for a collapsed column) and the total count of matching cards."""
    require_staff(actor)
    conds = _filters(actor, filters)
    totals = dict(
        session.exec(
            select(Ticket.status, func.count()).where(*conds).group_by(Ticket.status)
        ).all()
    )
    columns = []
    for status in lifecycle.BOARD_STATUSES:
        n = max(0, min(int((limits or {}).get(status, limit)), MAX_LIMIT))
        cards: list[Card] = []
        if n and totals.get(status):
            stmt = (
                _card_select()
                .where(Ticket.status == status, *conds)
                .order_by(col(Ticket.rank), col(Ticket.id))
                .limit(n)
            )
            cards = _cards(session, session.exec(stmt).all())
        columns.append(
            BoardColumn(status.value, lifecycle.label(status), cards, totals.get(status, 0))
        )
    return columns


def column_counts(session: Session) -> dict[str, int]:
    """Unfiltered card count per status (for WIP limits)."""
    rows = session.exec(select(Ticket.status, func.count()).group_by(Ticket.status)).all()
    counts = {s.value: 0 for s in lifecycle.BOARD_STATUSES}
    counts.update(dict(rows))
    return counts


def get_card(session: Session, actor: Actor, ticket_id: object) -> Card:
    require_staff(actor)
    row = session.exec(_card_select().where(Ticket.id == tickets.coerce_id(ticket_id))).first()
    if row is None:
        raise NotFound(tickets.NOT_FOUND)
    return _cards(session, [row])[0]


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
                f"{who} moved or changed #{ticket.number} a moment ago. "
                "The board now shows where it is."
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


# --- live deltas ----------------------------------------------------------------------------


def cards_by_ids(
    session: Session, actor: Actor, ids: list[object], filters: dict[str, Any] | None = None
) -> list[Card]:
    """The cards among `ids` that still match `filters` (ids missing from the result were
    deleted, merged away or no longer match: a board removes them)."""
    require_staff(actor)
    clean = sorted({tickets.coerce_id(i) for i in ids})[:MAX_LIMIT]
    if not clean:
        return []
    stmt = _card_select().where(col(Ticket.id).in_(clean), *_filters(actor, filters))
    return _cards(session, session.exec(stmt).all())


def column_totals(
    session: Session, actor: Actor, filters: dict[str, Any] | None = None
) -> dict[str, int]:
    """Matching cards per status under `filters` (the headers' counts)."""
    require_staff(actor)
    rows = session.exec(
        select(Ticket.status, func.count()).where(*_filters(actor, filters)).group_by(Ticket.status)
    ).all()
    totals = {s.value: 0 for s in lifecycle.BOARD_STATUSES}
    totals.update(dict(rows))
    return totals


# --- WIP limits -----------------------------------------------------------------------------

MAX_WIP_LIMIT = 10_000


def wip_limits(session: Session, actor: Actor) -> dict[str, int]:
    require_staff(actor)
    return dict(session.exec(select(BoardWipLimit.status, BoardWipLimit.wip_limit)).all())


def set_wip_limit(session: Session, actor: Actor, status: object, limit: object) -> int | None:
    """Managers set (or with None/""/0 clear) a column's WIP limit. Returns the new limit."""
    require_manager(actor)
    target = lifecycle.parse_status(status)
    row = session.get(BoardWipLimit, target.value)
    if limit in (None, "", 0, "0"):
        if row is not None:
            session.delete(row)
        return None
    if isinstance(limit, bool):
        raise ValidationError("Enter a whole number.", "wip_limit")
    try:
        n = int(str(limit).strip())
    except (TypeError, ValueError):
        raise ValidationError("Enter a whole number.", "wip_limit") from None
    if not 1 <= n <= MAX_WIP_LIMIT:
        raise ValidationError(f"Enter a number from 1 to {MAX_WIP_LIMIT}.", "wip_limit")
    if row is None:
        row = BoardWipLimit(status=target.value, wip_limit=n)
    row.wip_limit = n
    row.updated_by_id = actor.id
    row.updated_at = utcnow()
    session.add(row)
    return n


def wip_exceeded(session: Session, actor: Actor, ticket_id: object, to_status: object) -> str:
    """A warning when moving the ticket into `to_status` would go over that column's limit
    ("" when fine or when the card is already in that column)."""
    require_staff(actor)
    target = lifecycle.parse_status(to_status)
    ticket = tickets.get_ticket_for(session, actor, ticket_id)
    if ticket.status == target:
        return ""
    limit = session.get(BoardWipLimit, target.value)
    if limit is None:
        return ""
    count = column_counts(session)[target.value]
    if count + 1 <= limit.wip_limit:
        return ""
    return (
        f"{lifecycle.label(target)} has {count} cards and a limit of {limit.wip_limit}. "
        f"Moving #{ticket.number} there puts it over the limit."
    )


# --- filter choices -------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def filter_options(session: Session, actor: Actor) -> dict[str, list[Choice]]:
    """What the board's filter menus offer: active staff, teams, categories."""
    require_staff(actor)
    staff = session.exec(
        select(User.id, User.name)
        .where(col(User.role).in_(["agent", "manager"]), col(User.is_active).is_(True))
        .order_by(col(User.name))
    ).all()
    teams = session.exec(select(Team.id, Team.name).order_by(col(Team.name))).all()
    cats = session.exec(select(Category.id, Category.name).order_by(col(Category.name))).all()
    return {
        "assignees": [Choice(str(i), n) for i, n in staff],
        "teams": [Choice(str(i), n) for i, n in teams],
        "categories": [Choice(str(i), n) for i, n in cats],
    }
