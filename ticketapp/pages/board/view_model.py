"""The board's rows as the browser gets them: service cards mapped to CardView, column headers
(ColumnMeta), swimlanes and the side panel's summary of one ticket."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypedDict

from ticketapp.i18n import _
from ticketapp.models import PRIORITY_LABELS, TYPE_LABELS, Priority, TicketStatus
from ticketapp.services import board, lifecycle

STATUSES = [s.value for s in lifecycle.BOARD_STATUSES]
COLLAPSIBLE = {TicketStatus.CLOSED.value}
PAGE = board.DEFAULT_LIMIT  # cards per column before "show more"
PRIORITY_ORDER = [p.value for p in (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW)]


class CardView(TypedDict):
    id: int
    number: int
    title: str
    status: str
    priority: str
    priority_label: str
    type: str
    type_label: str
    assignee_name: str
    assignee_initials: str
    team: str
    age: str
    due: str
    overdue: bool
    sla: str  # SLA badge text ("" = no SLA)
    sla_state: str  # ok | warning | breached | paused | met
    version: int
    rank: str
    lane: str


class ColumnMeta(TypedDict):
    status: str
    label: str
    total: int
    limit: int
    collapsed: bool
    collapsible: bool


class Option(TypedDict):
    value: str
    label: str


def cards_var(status: str) -> str:
    """The BoardState var holding one column's cards."""
    return f"cards_{status}"


def _age(created: datetime, now: datetime) -> str:
    seconds = max(0, int((now - created).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def _lane(card: board.Card, mode: str) -> str:
    if mode == "assignee":
        return f"a{card.assignee_id}" if card.assignee_id else "a0"
    if mode == "priority":
        return f"p{card.priority}"
    return ""


def card_view(card: board.Card, mode: str, now: datetime) -> CardView:
    done = card.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED)
    due = card.due_at
    if due is not None and due.tzinfo is None:
        due = due.replace(tzinfo=UTC)
    return CardView(
        id=card.id,
        number=card.number,
        title=card.title,
        status=card.status,
        priority=card.priority,
        priority_label=_(PRIORITY_LABELS.get(card.priority, card.priority)),  # type: ignore[call-overload]
        type=card.type,
        type_label=_(TYPE_LABELS.get(card.type, card.type)),  # type: ignore[call-overload]
        assignee_name=card.assignee_name,
        assignee_initials=card.assignee_initials,
        team=card.team_name,
        age=_age(
            card.created_at if card.created_at.tzinfo else card.created_at.replace(tzinfo=UTC), now
        ),
        due=f"{due:%b} {due.day}" if due else "",
        overdue=bool(due and not done and due < now),
        sla=card.sla_label,
        sla_state=card.sla_state,
        version=card.version,
        rank=card.rank,
        lane=_lane(card, mode),
    )


def lanes_of(cards: list[CardView], mode: str) -> list[dict[str, str]]:
    """The swimlanes (key, label) the cards fall into under lane mode `mode`, in display order."""
    if not mode:
        return []
    if mode == "priority":
        present = {c["lane"] for c in cards}
        return [
            {
                "key": f"p{p}",
                "label": _("{priority} priority", priority=_(PRIORITY_LABELS[Priority(p)])),
            }
            for p in PRIORITY_ORDER
            if f"p{p}" in present
        ]
    names = {c["lane"]: c["assignee_name"] for c in cards}
    keys = sorted((k for k in names if k != "a0"), key=lambda k: names[k].lower())
    if "a0" in names:
        keys.append("a0")
    return [{"key": k, "label": names[k]} for k in keys]


def patched_columns(
    columns: dict[str, list[CardView]],
    cards: list[board.Card],
    ids: set[int],
    old_totals: dict[str, int],
    collapsed: list[str],
    shown: dict[str, int],
    mode: str,
    now: datetime,
) -> dict[str, list[CardView]]:
    """The columns that change when tickets `ids` reload as `cards` (those still on this board):
    the old copies leave, the fresh ones sort in by rank. Only changed columns are returned."""
    fresh: dict[str, list[CardView]] = {}
    for s in STATUSES:
        current = columns[s]
        if any(c["id"] in ids for c in current):
            fresh[s] = [c for c in current if c["id"] not in ids]
    for card in cards:
        s = card.status
        if s in collapsed:
            continue
        current = fresh.get(s, columns[s])
        truncated = len(current) < old_totals.get(s, 0) - (1 if s in fresh else 0)
        merged = sorted([*current, card_view(card, mode, now)], key=lambda c: (c["rank"], c["id"]))
        if truncated and merged[-1]["id"] == card.id and len(merged) > shown.get(s, PAGE):
            merged = merged[:-1]  # it sorts into the part behind "show more"
        fresh[s] = merged
    return fresh


def column_metas(
    totals: dict[str, int], limits: dict[str, int], collapsed: list[str]
) -> list[ColumnMeta]:
    """One header per board column: its count, WIP limit and collapsed state."""
    return [
        ColumnMeta(
            status=s,
            label=_(lifecycle.label(s)),
            total=totals.get(s, 0),
            limit=limits.get(s, 0),
            collapsed=s in collapsed,
            collapsible=s in COLLAPSIBLE,
        )
        for s in STATUSES
    ]


def options(choices) -> list[Option]:
    """Service filter choices (value, label) as select options."""
    return [Option(value=o.value, label=o.label) for o in choices]


def panel_view(view) -> dict[str, str]:
    """The side panel's summary of a ticket (services.tickets.get_ticket_view)."""
    due = view.due_at
    return {
        "number": str(view.number),
        "title": view.title,
        "status": _(view.status_label),
        "priority": _(PRIORITY_LABELS.get(view.priority, view.priority)),  # type: ignore[call-overload]
        "type": _(view.type_label),
        "requester": view.requester_name,
        "assignee": view.assignee_name or _("Unassigned"),
        "team": view.team_name or "—",
        "category": view.category_name or "—",
        "created": f"{view.created_at:%Y-%m-%d %H:%M}",
        "due": f"{due:%Y-%m-%d}" if due else "—",
        "replies": str(len(view.conversation)),
    }
