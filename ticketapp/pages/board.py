"""/board: the kanban board for agents and managers (their home page).

Data flow: on_load reads the filters from the URL and loads every column from the database
(so a reconnect with a fresh state rebuilds everything). A drop calls `move`, which goes through
services.board.move_card, patches the two affected columns and publishes a Change. The change
feed pushes the changed ticket ids into every open board's own BoardState (`_feed_changed`,
bumping `feed_seq`); each browser then asks its BoardState to reload just those cards under its
own filters (`on_feed`). Cards live in one var per column, so a delta carries only the columns
that changed.

Boards are NOT linked to a shared state: a linked client holds the shared token's lock for the
whole of every event it sends (database work included), which serialized every board event of
every client (found by `make load`). Instead on_load registers the client token in this
worker's `_feed`, and the feed listener (run in every worker for every change, see
ticketapp/live.py) pushes to the boards connected to its own worker, each under that client's
own lock only (`live.push`). With several workers no board state crosses workers: each worker
serves its own boards (a registry shared by all workers made each of 4 workers push to every
board, 4x the work, relayed through Redis: board moves p95 25-54 s at 200 clients).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any, ClassVar, TypedDict
from urllib.parse import urlencode

import reflex as rx

from ticketapp import live
from ticketapp.components.dialogs import cancel_button, confirm_dialog
from ticketapp.components.kanban import kanban_board
from ticketapp.components.layout import field_error, page_frame
from ticketapp.db import run_in_session
from ticketapp.models import PRIORITY_LABELS, TYPE_LABELS, Priority, TicketStatus, TicketType
from ticketapp.services import board, lifecycle, markdown, tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import Conflict, ServiceError
from ticketapp.state import STAFF, SessionState

STATUSES = [s.value for s in lifecycle.BOARD_STATUSES]
COLLAPSIBLE = {TicketStatus.CLOSED.value}
PAGE = board.DEFAULT_LIMIT
FILTER_PARAMS = ("assignee", "team", "priority", "type", "category", "q", "lanes")
LANE_MODES = ("", "assignee", "priority")
FEED_KEEP = 200  # changed ids kept per board; a board further behind reloads everything
MAX_VIEWERS = 20_000  # registry bound per worker (gone tokens are dropped on the next push)
COALESCE_SECONDS = 0.05
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


def _var(status: str) -> str:
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
        priority_label=PRIORITY_LABELS.get(card.priority, card.priority),  # type: ignore[call-overload]
        type=card.type,
        type_label=TYPE_LABELS.get(card.type, card.type),  # type: ignore[call-overload]
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


def _lanes(cards: list[CardView], mode: str) -> list[dict[str, str]]:
    if not mode:
        return []
    if mode == "priority":
        present = {c["lane"] for c in cards}
        return [
            {"key": f"p{p}", "label": f"{PRIORITY_LABELS[Priority(p)]} priority"}
            for p in PRIORITY_ORDER
            if f"p{p}" in present
        ]
    names = {c["lane"]: c["assignee_name"] for c in cards}
    keys = sorted((k for k in names if k != "a0"), key=lambda k: names[k].lower())
    if "a0" in names:
        keys.append("a0")
    return [{"key": k, "label": names[k]} for k in keys]


def _filters(params: dict[str, str]) -> dict[str, Any]:
    return {
        "assignee": params.get("assignee") or None,
        "team_id": params.get("team") or None,
        "priority": params.get("priority") or None,
        "type": params.get("type") or None,
        "category_id": params.get("category") or None,
        "text": params.get("q") or "",
    }


def _publish(actor: Actor, ids: tuple[int, ...], kind: str = "ticket") -> None:
    live.publish(live.Change(kind=kind, ticket_ids=ids, actor_id=actor.id))


# --- the page state -------------------------------------------------------------------------


class BoardState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = STAFF

    cards_new: list[CardView] = []
    cards_open: list[CardView] = []
    cards_in_progress: list[CardView] = []
    cards_waiting: list[CardView] = []
    cards_resolved: list[CardView] = []
    cards_closed: list[CardView] = []
    columns: list[ColumnMeta] = []
    lanes: list[dict[str, str]] = []
    revision: int = 0
    feed_seq: int = 0  # bumped by the feed; the board component then calls on_feed
    loading: bool = True

    # Filters, mirrored from the URL ("" = any).
    f_assignee: str = ""
    f_team: str = ""
    f_priority: str = ""
    f_type: str = ""
    f_category: str = ""
    f_text: str = ""
    lane_mode: str = ""
    assignee_options: list[Option] = []
    team_options: list[Option] = []
    category_options: list[Option] = []

    # Side panel.
    panel_open: bool = False
    panel_loading: bool = False
    panel: dict[str, str] = {}
    panel_html: str = ""

    # WIP limit dialog (managers) and the over-the-limit confirmation.
    limit_status: str = ""
    limit_label: str = ""
    limit_value: str = ""
    limit_error: str = ""
    confirm_message: str = ""

    _shown: dict[str, int] = {}
    _collapsed: list[str] = []
    _feed_ids: list[int] = []  # changed tickets this board has not reloaded yet
    _feed_overflow: bool = False  # too many of them: reload everything
    _pending_move: list[str] = []

    # -- loading ----------------------------------------------------------------------------

    def _params(self) -> dict[str, str]:
        return {
            "assignee": self.f_assignee,
            "team": self.f_team,
            "priority": self.f_priority,
            "type": self.f_type,
            "category": self.f_category,
            "q": self.f_text,
            "lanes": self.lane_mode,
        }

    def _query_string(self) -> str:
        return urlencode({k: v for k, v in self._params().items() if v})

    def _limits(self) -> dict[str, int]:
        return {s: (0 if s in self._collapsed else self._shown.get(s, PAGE)) for s in STATUSES}

    def _all_cards(self) -> list[CardView]:
        return [c for s in STATUSES for c in getattr(self, _var(s))]

    def _set_meta(self, totals: dict[str, int], limits: dict[str, int]) -> None:
        self.columns = [
            ColumnMeta(
                status=s,
                label=lifecycle.label(s),
                total=totals.get(s, 0),
                limit=limits.get(s, 0),
                collapsed=s in self._collapsed,
                collapsible=s in COLLAPSIBLE,
            )
            for s in STATUSES
        ]

    async def _reload_all(self, actor: Actor) -> None:
        filters = _filters(self._params())

        def load(session, actor):
            cols = board.board_columns(session, actor, filters, limits=self._limits())
            return cols, board.wip_limits(session, actor)

        try:
            cols, limits = await run_in_session(load, actor, readonly=True)
        except ServiceError as exc:
            self.loading = False
            yield rx.toast.error(exc.message)
            return
        now = datetime.now(UTC)
        for col in cols:
            setattr(self, _var(col.status), [card_view(c, self.lane_mode, now) for c in col.cards])
        self._set_meta({c.status: c.total for c in cols}, limits)
        self.lanes = _lanes(self._all_cards(), self.lane_mode)
        self.revision += 1
        self.loading = False

    async def _reload_ids(self, actor: Actor, ids: set[int]) -> None:
        """Patch only the changed cards (and the headers' counts) under this board's filters."""
        filters = _filters(self._params())

        def load(session, actor):
            cards = board.cards_by_ids(session, actor, list(ids), filters) if ids else []
            totals = board.column_totals(session, actor, filters)
            return cards, totals, board.wip_limits(session, actor)

        cards, totals, limits = await run_in_session(load, actor, readonly=True)
        old_totals = {c["status"]: c["total"] for c in self.columns}
        now = datetime.now(UTC)
        fresh: dict[str, list[CardView]] = {}
        for s in STATUSES:
            current: list[CardView] = getattr(self, _var(s))
            if any(c["id"] in ids for c in current):
                fresh[s] = [c for c in current if c["id"] not in ids]
        for card in cards:
            s = card.status
            if s in self._collapsed:
                continue
            current = fresh.get(s, getattr(self, _var(s)))
            truncated = len(current) < old_totals.get(s, 0) - (1 if s in fresh else 0)
            merged = sorted(
                [*current, card_view(card, self.lane_mode, now)], key=lambda c: (c["rank"], c["id"])
            )
            if truncated and merged[-1]["id"] == card.id and len(merged) > self._shown.get(s, PAGE):
                merged = merged[:-1]  # it sorts into the part behind "show more"
            fresh[s] = merged
        for s, lst in fresh.items():
            setattr(self, _var(s), lst)
        self._set_meta(totals, limits)
        if self.lane_mode:
            self.lanes = _lanes(self._all_cards(), self.lane_mode)

    def _feed_changed(self, ids: list[int]) -> bool:
        """Called by the feed under this client's lock; False: this tab left the board."""
        if not self._feed_overflow:
            merged = sorted({*self._feed_ids, *ids})
            self._feed_overflow = len(merged) > FEED_KEEP
            self._feed_ids = [] if self._feed_overflow else merged
        on_board = (self.router.url.path or "").startswith("/board")
        return live.bump(self, on_board, stamp="feed_seq")

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        params = {k: str(v)[:200] for k, v in self.router.url.query_parameters.items()}
        self.f_assignee = params.get("assignee", "")
        self.f_team = params.get("team", "")
        self.f_priority = params.get("priority", "")
        self.f_type = params.get("type", "")
        self.f_category = params.get("category", "")
        self.f_text = params.get("q", "")
        self.lane_mode = params.get("lanes", "") if params.get("lanes") in LANE_MODES else ""
        # Register before reading: a change committed after the read reaches this board.
        _feed.register(self.router.session.client_token)
        if not self.columns:
            self.loading = True
            self._collapsed = sorted(COLLAPSIBLE)
            self._shown = {}
            yield
        self._feed_ids, self._feed_overflow = [], False  # the full reload below covers them
        opts = await run_in_session(board.filter_options, actor, readonly=True)
        self.assignee_options = [Option(value=o.value, label=o.label) for o in opts["assignees"]]
        self.team_options = [Option(value=o.value, label=o.label) for o in opts["teams"]]
        self.category_options = [Option(value=o.value, label=o.label) for o in opts["categories"]]
        async for ev in self._reload_all(actor):
            yield ev

    @rx.event
    async def on_feed(self, seq: int):
        """The feed moved on (someone changed tickets): apply what this board has not seen."""
        actor = await self.current_actor()
        if actor is None or not actor.is_staff or not self.columns:
            return
        ids, overflow = set(self._feed_ids), self._feed_overflow
        self._feed_ids, self._feed_overflow = [], False
        if overflow:  # too far behind: rebuild
            async for ev in self._reload_all(actor):
                yield ev
        else:  # no ids: a WIP limit changed; the headers' counts and limits still reload
            await self._reload_ids(actor, ids)

    # -- moving -----------------------------------------------------------------------------

    @rx.event
    async def move(self, card_id: str, to_status: str, before_id: str, after_id: str, version: str):
        actor = await self.current_actor()
        if actor is None:
            return
        args = [str(x)[:20] for x in (card_id, to_status, before_id, after_id, version)]
        try:
            warning = await run_in_session(
                board.wip_exceeded, actor, args[0], args[1], readonly=True
            )
        except ServiceError as exc:
            self.revision += 1
            return rx.toast.error(exc.message)
        if warning:
            self._pending_move = args
            self.confirm_message = warning
            self.revision += 1  # snap back until confirmed
            return
        return await self._do_move(actor, args)

    @rx.event
    async def confirm_move(self):
        actor = await self.current_actor()
        args, self._pending_move = self._pending_move, []
        self.confirm_message = ""
        if actor is None or not args:
            return
        return await self._do_move(actor, args)

    @rx.event
    def cancel_move(self):
        self._pending_move = []
        self.confirm_message = ""

    async def _do_move(self, actor: Actor, args: list[str]):
        card_id, to_status, before_id, after_id, version = args
        old_status = next((c["status"] for c in self._all_cards() if str(c["id"]) == card_id), None)
        try:
            card = await run_in_session(
                board.move_card,
                actor,
                card_id,
                to_status,
                before_id or None,
                after_id or None,
                version or None,
            )
        except Conflict as exc:
            # The loser sees the winner's state of the card.
            try:
                tid = tickets.coerce_id(card_id)
                await self._reload_ids(actor, {tid})
            except ServiceError:
                pass
            self.revision += 1
            return rx.toast.error(exc.message)
        except ServiceError as exc:
            self.revision += 1  # snap back
            return rx.toast.error(exc.message)
        _publish(actor, (card.id,))
        await self._reload_ids(actor, {card.id})
        if old_status is not None and old_status != card.status:
            return rx.toast.success(f"#{card.number} moved to {lifecycle.label(card.status)}.")

    # -- columns ----------------------------------------------------------------------------

    @rx.event
    async def show_more(self, status: str):
        actor = await self.current_actor()
        if actor is None or status not in STATUSES:
            return
        self._shown = {**self._shown, status: min(self._shown.get(status, PAGE) + PAGE, 500)}
        async for ev in self._reload_all(actor):
            yield ev

    @rx.event
    async def toggle_column(self, status: str):
        actor = await self.current_actor()
        if actor is None or status not in COLLAPSIBLE:
            return
        if status in self._collapsed:
            self._collapsed = [s for s in self._collapsed if s != status]
        else:
            self._collapsed = sorted({*self._collapsed, status})
        async for ev in self._reload_all(actor):
            yield ev

    # -- filters (the URL is the truth: a change rewrites it and on_load applies it) --------

    def _go(self):
        return rx.redirect(
            f"/board?{self._query_string()}" if self._query_string() else "/board", replace=True
        )

    @rx.event
    def set_filter(self, name: str, value: str):
        value = "" if value in ("any", None) else str(value)[:200]
        attr = {
            "assignee": "f_assignee",
            "team": "f_team",
            "priority": "f_priority",
            "type": "f_type",
            "category": "f_category",
            "q": "f_text",
            "lanes": "lane_mode",
        }.get(str(name))
        if attr is None:
            return
        if attr == "lane_mode" and value not in LANE_MODES:
            value = ""
        setattr(self, attr, value)
        return self._go()

    @rx.event
    def set_text(self, value: str):
        self.f_text = str(value)[:200]
        return self._go()

    @rx.event
    def clear_filters(self):
        for attr in ("f_assignee", "f_team", "f_priority", "f_type", "f_category", "f_text"):
            setattr(self, attr, "")
        return self._go()

    # -- side panel -------------------------------------------------------------------------

    @rx.event
    async def open_card(self, number: str):
        actor = await self.current_actor()
        if actor is None:
            return
        self.panel_open = True
        self.panel_loading = True
        yield
        try:
            view = await run_in_session(
                tickets.get_ticket_view, actor, str(number)[:12], readonly=True
            )
        except ServiceError as exc:
            self.panel_open = False
            self.panel_loading = False
            yield rx.toast.error(exc.message)
            return
        due = view.due_at
        self.panel = {
            "number": str(view.number),
            "title": view.title,
            "status": view.status_label,
            "priority": PRIORITY_LABELS.get(view.priority, view.priority),  # type: ignore[call-overload]
            "type": view.type_label,
            "requester": view.requester_name,
            "assignee": view.assignee_name or "Unassigned",
            "team": view.team_name or "—",
            "category": view.category_name or "—",
            "created": f"{view.created_at:%Y-%m-%d %H:%M}",
            "due": f"{due:%Y-%m-%d}" if due else "—",
            "replies": str(len(view.conversation)),
        }
        text = view.description
        self.panel_html = markdown.render(text[:2000] + ("…" if len(text) > 2000 else ""))
        self.panel_loading = False

    @rx.event
    def close_panel(self):
        self.panel_open = False

    # -- WIP limits (managers) --------------------------------------------------------------

    @rx.event
    async def open_limit(self, status: str):
        actor = await self.current_actor()
        if actor is None or not actor.is_manager:
            return rx.toast.error("Only managers set WIP limits.")
        if status not in STATUSES:
            return
        meta = next((c for c in self.columns if c["status"] == status), None)
        self.limit_status = status
        self.limit_label = lifecycle.label(status)
        self.limit_value = str(meta["limit"]) if meta and meta["limit"] else ""
        self.limit_error = ""

    @rx.event
    def close_limit(self, open_: bool = False):
        if not open_:
            self.limit_status = ""

    @rx.event
    def set_limit_value(self, value: str):
        self.limit_value = str(value)[:10]

    @rx.event
    async def save_limit(self, clear: bool = False):
        actor = await self.current_actor()
        if actor is None:
            return
        try:
            n = await run_in_session(
                board.set_wip_limit, actor, self.limit_status, None if clear else self.limit_value
            )
        except ServiceError as exc:
            self.limit_error = exc.message
            return
        label = self.limit_label
        self.limit_status = ""
        _publish(actor, (), kind="board")
        await self._reload_ids(actor, set())
        return rx.toast.success(
            f"WIP limit for {label}: {n}." if n else f"WIP limit for {label} removed."
        )


# --- the live feed --------------------------------------------------------------------------


async def _feed_updates(changes: list[live.Change], followed: set) -> live.Updates:
    """Every board takes every change (even one without ids, a WIP limit: the headers then
    reload). The feed runs one push round at a time: a push waits for each board's own lock,
    and overlapping rounds would queue several pushes on every board ahead of its own clicks."""
    ids = sorted(live.ticket_ids(changes))
    return {None: functools.partial(BoardState._feed_changed, ids=ids)}


# This worker's boards (one key: all follow every change).
_feed = live.Feed(
    BoardState, ("ticket", "board"), _feed_updates, COALESCE_SECONDS, limit=MAX_VIEWERS
)


# --- the page -------------------------------------------------------------------------------


def _select(label: str, name: str, value: rx.Var[str], fixed: list[tuple[str, str]], dynamic=None):
    items = [rx.select.item(text, value=val) for val, text in fixed]
    if dynamic is not None:
        items.append(rx.foreach(dynamic, lambda o: rx.select.item(o["label"], value=o["value"])))
    return rx.vstack(
        rx.text(label, size="1", weight="medium", as_="span", id=f"filter-{name}-label"),
        rx.select.root(
            rx.select.trigger(aria_label=label, min_width="9em"),
            rx.select.content(*items),
            value=rx.cond(value == "", "any", value),
            on_change=lambda v: BoardState.set_filter(name, v),
            size="2",
        ),
        spacing="1",
    )


def filters_bar() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.el.label(
                "Search", html_for="board-search", style={"font-size": "12px", "font-weight": "500"}
            ),
            rx.input(
                id="board-search",
                placeholder="Title, text or #number",
                value=BoardState.f_text,
                on_change=BoardState.set_text.debounce(400),
                width="14em",
            ),
            spacing="1",
        ),
        _select(
            "Assignee",
            "assignee",
            BoardState.f_assignee,
            [("any", "Anyone"), ("me", "Me"), ("unassigned", "Unassigned")],
            BoardState.assignee_options,
        ),
        _select("Team", "team", BoardState.f_team, [("any", "Any team")], BoardState.team_options),
        _select(
            "Priority",
            "priority",
            BoardState.f_priority,
            [("any", "Any priority")] + [(p, PRIORITY_LABELS[Priority(p)]) for p in PRIORITY_ORDER],
        ),
        _select(
            "Type",
            "type",
            BoardState.f_type,
            [("any", "Any type")] + [(t.value, TYPE_LABELS[t]) for t in TicketType],
        ),
        _select(
            "Category",
            "category",
            BoardState.f_category,
            [("any", "Any category")],
            BoardState.category_options,
        ),
        _select(
            "Swimlanes",
            "lanes",
            BoardState.lane_mode,
            [("any", "None"), ("assignee", "By assignee"), ("priority", "By priority")],
        ),
        rx.button(
            "Clear filters", variant="soft", color_scheme="gray", on_click=BoardState.clear_filters
        ),
        gap="3",
        wrap="wrap",
        align="end",
        width="100%",
    )


def _panel_row(label: str, key: str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray", width="7em", flex_shrink="0"),
        rx.text(BoardState.panel[key], size="2"),
        spacing="2",
    )


def side_panel() -> rx.Component:
    return rx.cond(
        BoardState.panel_open,
        rx.el.aside(
            rx.hstack(
                rx.heading(
                    rx.cond(BoardState.panel_loading, "Loading…", "#" + BoardState.panel["number"]),
                    size="4",
                    as_="h2",
                ),
                rx.spacer(),
                rx.icon_button(
                    rx.icon("x", size=18),
                    variant="ghost",
                    aria_label="Close ticket panel",
                    on_click=BoardState.close_panel,
                ),
                align="center",
                width="100%",
            ),
            rx.cond(
                BoardState.panel_loading,
                rx.center(rx.spinner(), padding="2em"),
                rx.vstack(
                    rx.text(BoardState.panel["title"], size="4", weight="medium"),
                    _panel_row("Status", "status"),
                    _panel_row("Priority", "priority"),
                    _panel_row("Type", "type"),
                    _panel_row("Requester", "requester"),
                    _panel_row("Assignee", "assignee"),
                    _panel_row("Team", "team"),
                    _panel_row("Category", "category"),
                    _panel_row("Created", "created"),
                    _panel_row("Due", "due"),
                    _panel_row("Messages", "replies"),
                    rx.separator(),
                    rx.box(rx.html(BoardState.panel_html), font_size="14px", width="100%"),
                    rx.link(
                        "Open full ticket #" + BoardState.panel["number"],
                        href="/tickets/" + BoardState.panel["number"],
                        weight="medium",
                    ),
                    spacing="2",
                    width="100%",
                ),
            ),
            class_name="kb-panel",
            aria_label="Ticket summary",
        ),
    )


def limit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("WIP limit: " + BoardState.limit_label),
            rx.dialog.description(
                "The column turns red above this many cards, and a move that goes over asks first. "
                "Leave empty or use Remove for no limit.",
                size="2",
            ),
            rx.vstack(
                rx.el.label(
                    "Limit", html_for="wip-limit", style={"font-weight": "500", "font-size": "14px"}
                ),
                rx.input(
                    id="wip-limit",
                    type="number",
                    min=1,
                    value=BoardState.limit_value,
                    on_change=BoardState.set_limit_value,
                    aria_describedby="wip-limit-error",
                ),
                field_error(BoardState.limit_error, "wip-limit"),
                rx.hstack(
                    rx.button(
                        "Remove limit",
                        variant="soft",
                        color_scheme="gray",
                        on_click=BoardState.save_limit(True),
                    ),
                    rx.spacer(),
                    rx.dialog.close(cancel_button()),
                    rx.button("Save limit", on_click=BoardState.save_limit(False)),
                    width="100%",
                ),
                spacing="2",
                margin_top="1em",
            ),
        ),
        open=BoardState.limit_status != "",
        on_open_change=BoardState.close_limit,
    )


def over_limit_dialog() -> rx.Component:
    return confirm_dialog(
        "Over the WIP limit",
        BoardState.confirm_message,
        confirm="Move anyway",
        on_confirm=BoardState.confirm_move,
        on_cancel=BoardState.cancel_move,
        open=BoardState.confirm_message != "",
    )


def board_page() -> rx.Component:
    cards = rx.Var.create({s: getattr(BoardState, _var(s)) for s in STATUSES})
    return page_frame(
        filters_bar(),
        rx.cond(
            BoardState.loading,
            rx.center(
                rx.spinner(size="3"), aria_label="Loading the board", width="100%", padding="3em"
            ),
            kanban_board(
                columns=BoardState.columns,
                cards_by_status=cards,
                lanes=BoardState.lanes,
                revision=BoardState.revision,
                feed_seq=BoardState.feed_seq,
                can_set_limits=BoardState.is_manager,
                on_move=BoardState.move,
                on_open=BoardState.open_card,
                on_show_more=BoardState.show_more,
                on_toggle=BoardState.toggle_column,
                on_set_limit=BoardState.open_limit,
                on_feed=BoardState.on_feed,
            ),
        ),
        side_panel(),
        limit_dialog(),
        over_limit_dialog(),
        title="Board",
        roles=STAFF,
        wide=True,
    )
