"""Lists and search: the staff ticket list (filters, sort, pages, SLA badges), the filters the
board shares, and a requester's own tickets with their unread replies."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, literal
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ticketapp.i18n import N_
from ticketapp.models import (
    Category,
    Priority,
    Team,
    Ticket,
    TicketChannel,
    TicketStatus,
    TicketType,
    User,
)
from ticketapp.services import field_filters, lifecycle, organisations, sla, visibility
from ticketapp.services.actor import Actor
from ticketapp.services.ids import int_in, optional_id
from ticketapp.services.tickets import search
from ticketapp.services.tickets.common import MAX_PAGE_SIZE
from ticketapp.services.tickets.read_markers import unread_replies_count
from ticketapp.services.tickets.search import TicketQuery, prepare, snippets, title_html
from ticketapp.services.tickets.validation import clean_enum
from ticketapp.services.tickets.views import TicketRow

_PRIORITY_ORDER = case(
    {p.value: i for i, p in enumerate(Priority)}, value=col(Ticket.priority), else_=-1
)
_STATUS_ORDER = case(
    {s.value: i for i, s in enumerate(TicketStatus)}, value=col(Ticket.status), else_=-1
)
SORT_KEYS = {
    "number": col(Ticket.number),
    "title": col(Ticket.title),
    "status": _STATUS_ORDER,
    "priority": _PRIORITY_ORDER,
    "created_at": col(Ticket.created_at),
    "updated_at": col(Ticket.updated_at),
    "due_at": col(Ticket.due_at),
}


def _values(value: object) -> list[str]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return [str(v) for v in items if str(v)]


def ticket_filters(
    actor: Actor,
    *,
    status: object = None,
    priority: object = None,
    type: object = None,
    channel: object = None,
    category_id: object = None,
    assignee: object = None,
    team_id: object = None,
    requester_id: object = None,
    organisation_id: object = None,
    search: TicketQuery | None = None,
    tag: object = None,
    custom: object = None,
    session: Session | None = None,
) -> list:
    """SQL conditions for the list and board filters (invalid values raise ValidationError);
    `search`: a prepared text search (services/tickets/search.py); `tag` (staff): a tag's name;
    `custom`: {field id: value} of custom fields (needs `session`; services/field_filters.py)."""
    conds: list = []
    for column, values, enum, name, message in (
        (Ticket.status, _values(status), TicketStatus, "status", N_("Choose a valid status.")),
        (Ticket.priority, _values(priority), Priority, "priority", N_("Choose a valid priority.")),
        (Ticket.type, _values(type), TicketType, "type", N_("Choose a valid type.")),
        (Ticket.channel, _values(channel), TicketChannel, "channel", N_("Choose a valid channel.")),
    ):
        if values:
            cleaned = [clean_enum(v, enum, name, message) for v in values]
            conds.append(col(column).in_(cleaned))
    if category_id not in (None, ""):
        conds.append(
            Ticket.category_id == optional_id(category_id, "category_id", N_("Bad category."))
        )
    if team_id not in (None, ""):
        conds.append(Ticket.team_id == optional_id(team_id, "team_id", N_("Choose a team.")))
    if assignee == "me":
        conds.append(Ticket.assignee_id == actor.id)
    elif assignee == "unassigned":
        conds.append(col(Ticket.assignee_id).is_(None))
    elif assignee not in (None, "", "any"):
        conds.append(
            Ticket.assignee_id == optional_id(assignee, "assignee", N_("Choose an agent."))
        )
    scope = visibility.ticket_scope(actor)
    if scope is not None:
        conds.append(scope)
    elif requester_id not in (None, ""):
        rid = optional_id(requester_id, "requester_id", N_("Choose a requester."))
        conds.append(Ticket.requester_id == rid)
    if scope is None and organisation_id not in (None, ""):  # ORGS: filed by its members
        oid = optional_id(organisation_id, "organisation_id", N_("Choose an organisation."))
        conds.append(organisations.tickets_of(oid))  # type: ignore[arg-type]
    if isinstance(search, TicketQuery):  # prepared with the session: search.prepare
        conds.append(search.condition())
    if tag not in (None, "") and actor.is_staff:  # tags are staff-only
        conds.append(field_filters.has_tag(tag))
    if isinstance(custom, dict) and session is not None:
        conds += [field_filters.has_field_value(session, k, v) for k, v in custom.items() if v]
    return conds


class Total(int):
    """A list's total. `capped`: a search stopped counting there, and more tickets match (shown
    as "1,000+"); it always counts past the page asked for, so the next page is known to exist."""

    capped: bool

    def __new__(cls, value: int, capped: bool = False) -> Total:
        total = super().__new__(cls, value)
        total.capped = capped
        return total


def list_tickets(
    session: Session,
    actor: Actor,
    *,
    sort: str = "relevance",
    direction: str = "desc",
    page: object = 1,
    page_size: object = 25,
    text: object = "",
    exact_count: bool = False,
    **filters: Any,
) -> tuple[list[TicketRow], Total]:
    """One page of tickets (rows, total). Filters: see ticket_filters; `text` searches
    (services/tickets/search.py), best matches first unless another sort is asked for, each row
    with a highlighted snippet; a search's total is counted up to search.COUNT_CAP (or the
    page's end) unless `exact_count` (Total.capped says when it stopped). Requesters: own only."""
    tq = prepare(session, actor, text, correct=False)
    conds = ticket_filters(actor, session=session, **filters)
    size = int_in(page_size, 1, MAX_PAGE_SIZE, "page_size", N_("Bad page size."))
    page_no = int_in(page, 1, 1_000_000, "page", N_("Bad page."))
    stmt, order = _row_select(), _order(sort, direction)
    limit = None if exact_count else max(search.COUNT_CAP, page_no * size) + 1
    found = None
    if tq is None:
        total = Total(session.exec(select(func.count()).select_from(Ticket).where(*conds)).one())
    elif (counted := _window_page(session, tq, conds, sort, page_no, size, limit)) is not None:
        found, total = counted  # a plain search: its page says how many match
    else:
        tq, total = _count_search(session, actor, tq, conds, limit)
        stmt, order, conds = _search_order(tq, conds, stmt, order, sort, page_no * size)
    if found is None:
        stmt = stmt.where(*conds).order_by(*order, col(Ticket.id).desc())
        found = session.exec(stmt.offset((page_no - 1) * size).limit(size)).all()
    states = sla.sla_states(session, [r[0] for r in found]) if actor.is_staff else {}  # SLA
    rows = [_with_sla(_row(r), states.get(r[0].id)) for r in found]
    return (_with_snippets(session, actor, tq, rows) if tq else rows), total


def _window_page(
    session: Session,
    tq: TicketQuery,
    conds: list,
    sort: str,
    page_no: int,
    size: int,
    limit: int | None,
) -> tuple[list, Total] | None:
    """A plain search's page in relevance order and its count from one statement: the ranked
    window (the newest RANK_WINDOW matches) also says how many it holds, which is the count up
    to `limit` when `limit` <= RANK_WINDOW. None when that does not apply, or when the page is
    empty (then the count and its fallback decide, as for any search)."""
    if limit is None or limit > search.RANK_WINDOW or sort != "relevance":
        return None
    plan = search.best_first(tq, conds, page_no * size)
    if plan is None or not plan[1]:
        return None
    ranked = plan[0]
    stmt = (
        _row_select()
        .add_columns(ranked.c.matched)
        .join(ranked, ranked.c.id == Ticket.id)
        .order_by(ranked.c.score.desc(), col(Ticket.id).desc())
    )
    found = session.exec(stmt.offset((page_no - 1) * size).limit(size)).all()
    if not found:
        return None
    matched = int(found[0][-1])
    total = Total(limit - 1, capped=True) if matched >= limit else Total(matched)
    return [r[:-1] for r in found], total


def _count_search(
    session: Session, actor: Actor, tq: TicketQuery, conds: list, limit: int | None
) -> tuple[TicketQuery, Total]:
    """A search's count (up to `limit` - 1, then capped), after its fallback (typos, any word)
    when nothing matches."""
    total = search.count(session, tq, conds, limit)
    if total == 0 and (retry := search.fallback(session, actor, tq)) is not None:
        tq, total = retry, search.count(session, retry, conds, limit)
    if limit is not None and total >= limit:
        return tq, Total(limit - 1, capped=True)
    return tq, Total(total)


def _search_order(tq: TicketQuery, conds: list, stmt, order: list, sort: str, top: int):
    """(statement, ORDER BY, conditions) of a search's page. Relevance: the best-scored matches
    joined when nothing else filters the list, else every match with the scored ones first;
    another sort: every match in that order."""
    plan = search.best_first(tq, conds, top) if sort == "relevance" else None
    if plan is not None and plan[1]:
        return stmt.join(plan[0], plan[0].c.id == Ticket.id), [plan[0].c.score.desc()], conds
    conds = [*conds, tq.condition()]
    if sort != "relevance":
        return stmt, order, conds
    order = search.number_first(tq)
    if plan is not None:
        stmt = stmt.outerjoin(plan[0], plan[0].c.id == Ticket.id)
        order.append(func.coalesce(plan[0].c.score, -1e300).desc())
    return stmt, [*order, col(Ticket.updated_at).desc()], conds


def _order(sort: str, direction: str) -> list:
    key = SORT_KEYS.get(sort, SORT_KEYS["updated_at"])
    return [key.asc() if direction == "asc" else key.desc()]


def _with_snippets(
    session: Session, actor: Actor, tq: TicketQuery, rows: list[TicketRow]
) -> list[TicketRow]:
    found = snippets(session, actor, tq, [r.id for r in rows])
    return [
        replace(r, title_html=title_html(tq, r.title), snippet_html=found.get(r.id, ""))
        for r in rows
    ]


def _with_sla(row: TicketRow, state: sla.SlaState | None) -> TicketRow:
    if state is None or state.state == "none":
        return row
    return replace(row, sla_state=state.state, sla_label=state.label)


@lru_cache(maxsize=2)
def _row_select(with_unread: bool = False):
    """The list's row query, built once (a statement is immutable: callers extend copies)."""
    assignee = aliased(User)
    requester = aliased(User)
    columns = [
        Ticket,
        requester.name,
        assignee.name,
        Team.name,
        Category.name,
        unread_replies_count() if with_unread else literal(0),
    ]
    return (
        select(*columns)
        .join(requester, col(requester.id) == Ticket.requester_id)
        .join(assignee, col(assignee.id) == Ticket.assignee_id, isouter=True)
        .join(Team, col(Team.id) == Ticket.team_id, isouter=True)
        .join(Category, col(Category.id) == Ticket.category_id, isouter=True)
    )


def _row(r) -> TicketRow:
    t, requester_name, assignee_name, team_name, category_name, unread = r
    return TicketRow(
        id=t.id,
        number=t.number,
        title=t.title,
        status=t.status,
        status_label=lifecycle.label(t.status),
        priority=t.priority,
        type=t.type,
        category_name=category_name or "",
        requester_name=requester_name or "",
        assignee_id=t.assignee_id,
        assignee_name=assignee_name or "",
        team_name=team_name or "",
        created_at=t.created_at,
        updated_at=t.updated_at,
        due_at=t.due_at,
        version=t.version,
        unread=int(unread or 0),
    )


def list_my_tickets(
    session: Session, actor: Actor, page: object = 1, page_size: object = 25
) -> tuple[list[TicketRow], int]:
    """The actor's own tickets (as requester), newest activity first, with unread replies."""
    conds = [Ticket.requester_id == actor.id]
    total = session.exec(select(func.count()).select_from(Ticket).where(*conds)).one()
    size = int_in(page_size, 1, MAX_PAGE_SIZE, "page_size", N_("Bad page size."))
    page_no = int_in(page, 1, 1_000_000, "page", N_("Bad page."))
    stmt = (
        _row_select(with_unread=True)
        .where(*conds)
        .order_by(col(Ticket.updated_at).desc(), col(Ticket.id).desc())
        .offset((page_no - 1) * size)
        .limit(size)
    )
    return [_row(r) for r in session.exec(stmt).all()], total
