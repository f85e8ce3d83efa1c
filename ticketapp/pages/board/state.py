"""BoardState, the board's own state and handlers, and this worker's live feed of boards.

See the package docstring for how a change reaches every open board.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import reflex as rx

from ticketapp import live
from ticketapp.components.tags import TicketTagsState
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.board.view_model import (
    COLLAPSIBLE,
    PAGE,
    STATUSES,
    CardView,
    ColumnMeta,
    Option,
    card_view,
    cards_var,
    column_metas,
    lanes_of,
    options,
    panel_view,
    patched_columns,
)
from ticketapp.services import board, lifecycle, markdown, tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import Conflict, ServiceError
from ticketapp.state import STAFF, SessionState

LANE_MODES = ("", "assignee", "priority")
FEED_KEEP = 200  # changed ids kept per board; a board further behind reloads everything
MAX_VIEWERS = 20_000  # registry bound per worker (gone tokens are dropped on the next push)
COALESCE_SECONDS = 0.05
# URL parameter -> the BoardState var mirroring it.
FILTER_VARS = {
    "assignee": "f_assignee",
    "team": "f_team",
    "priority": "f_priority",
    "type": "f_type",
    "category": "f_category",
    "q": "f_text",
    "tag": "f_tag",  # TAGS:
    "lanes": "lane_mode",
}


def _filters(params: dict[str, str]) -> dict[str, Any]:
    return {
        "assignee": params.get("assignee") or None,
        "team_id": params.get("team") or None,
        "priority": params.get("priority") or None,
        "type": params.get("type") or None,
        "category_id": params.get("category") or None,
        "text": params.get("q") or "",
        "tag": params.get("tag") or None,
    }


def _publish(actor: Actor, ids: tuple[int, ...], kind: str = "ticket") -> None:
    live.publish(live.Change(kind=kind, ticket_ids=ids, actor_id=actor.id))


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
    f_tag: str = ""
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
        return {param: getattr(self, var) for param, var in FILTER_VARS.items()}

    def _query_string(self) -> str:
        return urlencode({k: v for k, v in self._params().items() if v})

    def _limits(self) -> dict[str, int]:
        return {s: (0 if s in self._collapsed else self._shown.get(s, PAGE)) for s in STATUSES}

    def _all_cards(self) -> list[CardView]:
        return [c for s in STATUSES for c in getattr(self, cards_var(s))]

    def _set_meta(self, totals: dict[str, int], limits: dict[str, int]) -> None:
        self.columns = column_metas(totals, limits, self._collapsed)

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
            cards = [card_view(c, self.lane_mode, now) for c in col.cards]
            setattr(self, cards_var(col.status), cards)
        self._set_meta({c.status: c.total for c in cols}, limits)
        self.lanes = lanes_of(self._all_cards(), self.lane_mode)
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
        fresh = patched_columns(
            {s: getattr(self, cards_var(s)) for s in STATUSES},
            cards,
            ids,
            old_totals={c["status"]: c["total"] for c in self.columns},
            collapsed=self._collapsed,
            shown=self._shown,
            mode=self.lane_mode,
            now=datetime.now(UTC),
        )
        for s, lst in fresh.items():
            setattr(self, cards_var(s), lst)
        self._set_meta(totals, limits)
        if self.lane_mode:
            self.lanes = lanes_of(self._all_cards(), self.lane_mode)

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
        for param, var in FILTER_VARS.items():
            if param != "lanes":
                setattr(self, var, params.get(param, ""))
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
        self.assignee_options = options(opts["assignees"])
        self.team_options = options(opts["teams"])
        self.category_options = options(opts["categories"])
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
            return rx.toast.success(
                _(
                    "#{number} moved to {column}.",
                    number=card.number,
                    column=_(lifecycle.label(card.status)),
                )
            )

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
        attr = FILTER_VARS.get(str(name))
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
        for attr in (
            "f_assignee",
            "f_team",
            "f_priority",
            "f_type",
            "f_category",
            "f_text",
            "f_tag",
        ):
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
        self.panel = panel_view(view)
        text = view.description
        self.panel_html = markdown.render(text[:2000] + ("…" if len(text) > 2000 else ""))
        self.panel_loading = False
        yield TicketTagsState.show_for(str(view.number))

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
        self.limit_label = _(lifecycle.label(status))
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
            _("WIP limit for {column}: {n}.", column=label, n=n)
            if n
            else _("WIP limit for {column} removed.", column=label)
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
