"""The board's cards: one column per status, the board filters, a single card, and the cards
and column totals the live feed pushes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import Team, Ticket, User
from ticketapp.services import lifecycle, sla, tickets
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.board import counts
from ticketapp.services.errors import NotFound
from ticketapp.services.memo import db_key

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
FILTER_KEYS = ("assignee", "team_id", "priority", "type", "category_id", "text", "tag")


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
        assignee_name=who or i18n._("Unassigned"),  # in the viewer's language
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


def _given(filters: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (filters or {}).items() if k in FILTER_KEYS}


def _filters(session: Session, actor: Actor, filters: dict[str, Any] | None) -> list:
    given = _given(filters)
    search = tickets.prepare_search(session, actor, given.pop("text", ""))
    return tickets.ticket_filters(actor, search=search, **given)


def board_columns(
    session: Session,
    actor: Actor,
    filters: dict[str, Any] | None = None,
    limit: int = DEFAULT_LIMIT,
    limits: dict[str, int] | None = None,
) -> list[BoardColumn]:
    """Every status column with its first `limit` cards (per-column `limits` override, e.g.
    {"closed": 0} for a collapsed column) and the total count of matching cards. Staff see
    every ticket: an unfiltered board is shared by its viewers (services/board/counts)."""
    require_staff(actor)
    sizes = tuple(
        max(0, min(int((limits or {}).get(status, limit)), MAX_LIMIT))
        for status in lifecycle.BOARD_STATUSES
    )
    if _unfiltered(filters):
        key = (db_key(session), sizes, i18n.current())
        shared = counts.cards_memo.cached_for(
            session, key, lambda: _columns(session, actor, filters, sizes)
        )
        return list(shared)
    return _columns(session, actor, filters, sizes)


def _columns(
    session: Session, actor: Actor, filters: dict[str, Any] | None, sizes: tuple[int, ...]
) -> list[BoardColumn]:
    conds = _filters(session, actor, filters)
    totals = column_totals(session, actor, filters)
    columns = []
    for status, n in zip(lifecycle.BOARD_STATUSES, sizes, strict=True):
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


def _unfiltered(filters: dict[str, Any] | None) -> bool:
    return not any(v not in (None, "") for v in _given(filters).values())


def column_counts(session: Session) -> dict[str, int]:
    """Unfiltered card count per status (for WIP limits)."""
    return dict(counts.status_counts(session))


def get_card(session: Session, actor: Actor, ticket_id: object) -> Card:
    require_staff(actor)
    row = session.exec(_card_select().where(Ticket.id == tickets.coerce_id(ticket_id))).first()
    if row is None:
        raise NotFound(tickets.NOT_FOUND)
    return _cards(session, [row])[0]


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
    stmt = _card_select().where(col(Ticket.id).in_(clean), *_filters(session, actor, filters))
    return _cards(session, session.exec(stmt).all())


def column_totals(
    session: Session, actor: Actor, filters: dict[str, Any] | None = None
) -> dict[str, int]:
    """Matching cards per status under `filters` (the headers' counts). Staff see every
    ticket: an unfiltered board shares one count per change (services/board/counts)."""
    require_staff(actor)
    if _unfiltered(filters):
        return dict(counts.status_counts(session))
    rows = session.exec(
        select(Ticket.status, func.count())
        .where(*_filters(session, actor, filters))
        .group_by(Ticket.status)
    ).all()
    totals = {s.value: 0 for s in lifecycle.BOARD_STATUSES}
    totals.update(dict(rows))
    return totals
