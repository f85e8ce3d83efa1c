"""/analytics: live help-desk numbers for managers (their home page).

Data flow: on_load reads the filters from the URL, checks the role, registers the tab as a
viewer of its filter set (key `Filters.key()`), computes the dashboard (services.analytics) and
writes it into the tab's own `AnalyticsState`. Everything is rebuilt from the URL and the
database in on_load (a reconnecting tab may get a fresh state).

Live: a listener on the change feed (ticketapp/live.py) coalesces a burst of changes, then
computes each filter set that has viewers ONCE and pushes the result into each of those
viewers' own AnalyticsState (`live.push`): viewers never query the database themselves.

Analytics tabs are NOT linked to a shared state: a linked client holds the shared token's lock
for the whole of every event it sends, so every manager viewing the same filters would
serialize on the others (see live.py). Instead on_load registers the client token in this
worker's `_viewers`; the listener runs in every worker for every change
(`live.subscribe_every_worker`) and pushes to the tabs connected to its own worker, each under
that client's own lock only. So each filter set is computed once per burst per worker that has
viewers of it (managers are few), and nothing survives only in Redis: after a Redis flush or
restart a tab still gets its numbers (`_receive`), and its next event recovers its session.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar, Literal, TypedDict
from urllib.parse import urlencode

import reflex as rx

from ticketapp import live
from ticketapp.components.form_fields import VISUALLY_HIDDEN, table_caption
from ticketapp.components.layout import field_error, page_frame
from ticketapp.db import run_in_session
from ticketapp.services import analytics
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

log = logging.getLogger(__name__)

LIVE_KINDS = frozenset({"ticket", "board", "comment", "rating", "deflection"})
COALESCE_SECONDS = 0.3
KEEPALIVE_SECONDS = 600
VIEW_TTL = timedelta(days=7)  # a view not (re)opened for this long stops being recomputed
MAX_VIEWS = 32  # distinct filter sets kept live (least recently opened dropped first)
MAX_VIEWERS = 5_000  # registered tabs (stale ones are dropped on the next push anyway)
PERIOD_OPTIONS = [("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days")]
PERIOD_OPTIONS.append(("custom", "Custom range"))


class Kpi(TypedDict):
    key: str
    label: str
    value: str
    detail: str


class NameValue(TypedDict):
    name: str
    value: int


class Daily(TypedDict):
    day: str
    label: str
    created: int
    resolved: int
    ratings: int
    avg_rating: float | None


class Workload(TypedDict):
    name: str
    open: int
    resolved: int


class Option(TypedDict):
    value: str
    label: str


# --- the registry of open views -------------------------------------------------------------


# The analytics tabs open on this worker: client token ->
# {"key": filter key, "params": URL params, "user": user id, "seen": time}.
_viewers: dict[str, dict[str, Any]] = {}


def _bounded(viewers: dict[str, dict[str, Any]], now: float) -> dict[str, dict[str, Any]]:
    """The registry within its bounds: views (filter sets) last opened within VIEW_TTL, the
    MAX_VIEWS most recently opened of them, and at most MAX_VIEWERS tabs (newest kept)."""
    opened: dict[str, float] = {}
    for v in viewers.values():
        opened[v["key"]] = max(opened.get(v["key"], 0.0), v["seen"])
    live_keys = sorted(
        (k for k, at in opened.items() if now - at < VIEW_TTL.total_seconds()),
        key=lambda k: opened[k],
    )[-MAX_VIEWS:]
    keep = set(live_keys)
    kept = sorted(
        ((t, v) for t, v in viewers.items() if v["key"] in keep), key=lambda tv: tv[1]["seen"]
    )
    return dict(kept[-MAX_VIEWERS:])


def register_viewer(token: str, key: str, params: dict[str, str], user_id: int) -> None:
    """Put a tab on this worker's feed for filter set `key` (idempotent; every on_load)."""
    now = time.time()
    entry = {"key": key, "params": params, "user": user_id, "seen": now}
    kept = _bounded({**_viewers, token: entry}, now)
    _viewers.clear()
    _viewers.update(kept)


async def refresh_views() -> int:
    """Compute every filter set that this worker's tabs view once and push it into each of
    those tabs' own state. Returns how many filter sets were computed."""
    viewers = _bounded(copy.deepcopy(_viewers), time.time())
    if not viewers:
        return 0
    # A role change or deactivation since the tab opened: it gets no more numbers.
    managers = await run_in_session(
        analytics.active_managers, {int(v["user"]) for v in viewers.values()}, readonly=True
    )
    gone = {t for t, v in viewers.items() if int(v["user"]) not in managers}
    by_key: dict[str, list[str]] = {}
    for t, v in viewers.items():
        if t not in gone:
            by_key.setdefault(v["key"], []).append(t)
    today = _today()
    done = 0
    for key, tokens in by_key.items():
        try:
            f = analytics.parse_filters(viewers[tokens[0]]["params"], today)
        except ValidationError:
            continue  # never for a registered view (on_load registers only valid filters)
        stamp = time.time()
        data = await run_in_session(analytics.compute, f, readonly=True)
        values = analytics.as_dict(data)
        done += 1

        gone |= await live.push(
            tokens,
            AnalyticsState,
            lambda state, k=key, s=stamp, v=values: state._receive(k, s, v),
            local_only=True,
        )
    # Forget only the registrations this round saw (a tab may have re-registered meanwhile).
    for token in gone:
        if token in viewers and _viewers.get(token) == viewers[token]:
            del _viewers[token]
    return done


def _today():
    return analytics.local_today(analytics.zone())


async def _refresh_after(changes: list[live.Change]) -> None:
    await refresh_views()


_refresher = live.Coalescer(_refresh_after, COALESCE_SECONDS)
_keepalive: asyncio.Task | None = None


async def _keep_alive() -> None:
    """Every KEEPALIVE_SECONDS, refresh the open views even without changes: rolls "today"
    over at midnight (and SLA targets that pass with nobody touching a ticket), and keeps the
    registry from expiring in the state manager (Reflex drops tokens idle for an hour). One
    aggregation per view, on the server; browsers still never poll."""
    while True:
        await asyncio.sleep(KEEPALIVE_SECONDS)
        _refresher.poke()


def ensure_keepalive() -> None:
    global _keepalive
    if _keepalive is None or _keepalive.done():
        _keepalive = asyncio.get_running_loop().create_task(_keep_alive())


@live.subscribe_every_worker
async def on_change(change: live.Change) -> None:
    """In every worker, for every change: recompute and push to this worker's tabs."""
    if change.kind in LIVE_KINDS:
        _refresher.poke()


# --- the page state -------------------------------------------------------------------------

# The vars `services.analytics.as_dict` fills (what the CSV export reads back).
DASHBOARD_FIELDS = (
    "kpis",
    "daily",
    "by_status",
    "by_priority",
    "by_category",
    "by_type",
    "resolution_times",
    "backlog_age",
    "workload",
    "timezone",
    "start",
    "end",
    "computed_at",
)


class AnalyticsGate(SessionState):
    """Unguarded on purpose: sends anyone but a manager to their own home page (the guarded
    AnalyticsState's handlers are refused for them by RoleGuard and by the services)."""

    @rx.event
    async def check_role(self):
        actor = await self.current_actor()
        if actor is not None and not actor.is_manager:
            return [rx.toast.error("Analytics is for managers."), rx.redirect(self.home_path)]
        return None


class AnalyticsState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    # The dashboard: only aggregate numbers, written by on_load and by the live feed.
    kpis: list[Kpi] = []
    daily: list[Daily] = []
    by_status: list[NameValue] = []
    by_priority: list[NameValue] = []
    by_category: list[NameValue] = []
    by_type: list[NameValue] = []
    resolution_times: list[NameValue] = []
    backlog_age: list[NameValue] = []
    workload: list[Workload] = []
    timezone: str = ""
    start: str = ""
    end: str = ""
    computed_at: str = ""
    revision: int = 0  # bumped whenever a dashboard arrives

    f_period: str = analytics.DEFAULT_PERIOD
    f_start: str = ""
    f_end: str = ""
    f_team: str = ""
    f_category: str = ""
    errors: dict[str, str] = {}
    team_options: list[Option] = []
    category_options: list[Option] = []
    loading: bool = True
    _key: str = ""  # the filter set this tab shows
    _stamp: float = 0.0  # when the dashboard it shows started computing

    def _show_dashboard(self, values: dict[str, Any], stamp: float) -> None:
        """Set the dashboard vars (only the changed ones: smaller deltas)."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, copy.deepcopy(value))
        self._stamp = stamp
        self.revision += 1

    def _receive(self, key: str, stamp: float, values: dict[str, Any]) -> bool:
        """Called by the feed under this client's lock; False: this tab left the page."""
        path = self.router.url.path or ""
        if not path:
            # A fresh state: Redis lost this tab's (flushed, restarted) while the page stays
            # open. It registered for `key`, so these numbers are its own: keep it live (its
            # next event recovers the session and re-runs on_load, see state.py).
            self._key = key
        elif not path.startswith("/analytics"):
            return False
        if key != self._key or stamp < self._stamp:
            return True  # other filters by now, or on_load read fresher numbers meanwhile
        self._show_dashboard(values, stamp)
        return True

    def _params(self) -> dict[str, str]:
        out = {"period": self.f_period, "team": self.f_team, "category": self.f_category}
        if self.f_period == "custom":
            out.update(start=self.f_start, end=self.f_end)
        return out

    async def _manager(self):
        actor = await self.current_actor()
        if actor is None or not actor.is_manager:
            return None
        return actor

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return None  # check_session sends them to sign in
        if not actor.is_manager:
            return rx.redirect(self.home_path)
        query = {k: str(v)[:40] for k, v in self.router.url.query_parameters.items()}
        today = _today()
        self.errors = {}
        try:
            f = analytics.parse_filters(query, today)
        except ValidationError as exc:
            self.errors = {exc.field or "period": exc.message}
            f = analytics.default_filters(today)
            self.f_period = str(query.get("period", f.period))
            self.f_start, self.f_end = query.get("start", ""), query.get("end", "")
        else:
            self.f_period = f.period
            self.f_start, self.f_end = f.start.isoformat(), f.end.isoformat()
        self.f_team = str(f.team_id or "")
        self.f_category = str(f.category_id or "")
        self._key = f.key()
        # Register before reading: a change committed after the read reaches this tab.
        params = {"period": f.period, **f.params()}
        register_viewer(self.router.session.client_token, self._key, params, actor.id)
        ensure_keepalive()
        stamp = time.time()
        try:
            data = await run_in_session(analytics.dashboard, actor, f, readonly=True)
            choices = await run_in_session(analytics.filter_choices, actor, readonly=True)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self._show_dashboard(analytics.as_dict(data), stamp)
        self.team_options = [Option(value=v, label=lbl) for v, lbl in choices["teams"]]
        self.category_options = [Option(value=v, label=lbl) for v, lbl in choices["categories"]]
        self.loading = False
        return None

    def _go(self, params: dict[str, str]):
        clean = {k: v for k, v in params.items() if v and not (k == "period" and v == "30")}
        query = urlencode(clean)
        return rx.redirect(f"/analytics?{query}" if query else "/analytics", replace=True)

    @rx.event
    async def set_filter(self, name: str, value: str):
        if await self._manager() is None:
            return None
        value = "" if value in ("any", None) else str(value)[:40]
        if name == "period":
            self.f_period = value or analytics.DEFAULT_PERIOD
            if self.f_period == "custom":
                self.f_start = self.f_start or (_today() - timedelta(days=29)).isoformat()
                self.f_end = self.f_end or _today().isoformat()
                self.errors = {}
                return None  # wait for the dates and "Apply"
        elif name == "team":
            self.f_team = value
        elif name == "category":
            self.f_category = value
        else:
            return None
        return self._apply_params(self._params())

    @rx.event
    async def apply_range(self, form: dict):
        if await self._manager() is None:
            return None
        params = {
            **self._params(),
            "period": "custom",
            "start": str(form.get("start", ""))[:10],
            "end": str(form.get("end", ""))[:10],
        }
        self.f_start, self.f_end = params["start"], params["end"]
        return self._apply_params(params)

    def _apply_params(self, params: dict[str, str]):
        try:
            f = analytics.parse_filters(params, _today())
        except ValidationError as exc:
            self.errors = {exc.field or "period": exc.message}
            return None
        self.errors = {}
        return self._go({"period": f.period, **f.params()})

    @rx.event
    async def download_csv(self):
        """The numbers on screen, as CSV (read from this tab's own dashboard)."""
        if await self._manager() is None:
            return rx.toast.error("Analytics is for managers.")
        data = {name: getattr(self, name) for name in DASHBOARD_FIELDS}
        name = f"analytics-{data['start']}-to-{data['end']}.csv"
        return rx.download(data=analytics.to_csv(data), filename=name, mime_type="text/csv")


# --- the page -------------------------------------------------------------------------------

S = AnalyticsState


def _grid(*children: rx.Component, min_width: str) -> rx.Component:
    # A plain div: Radix's Box class sets `display: block`, which beats a css `display: grid`.
    return rx.el.div(
        *children,
        style={
            "display": "grid",
            "grid-template-columns": f"repeat(auto-fill, minmax(min({min_width}, 100%), 1fr))",
            "gap": "1em",
            "width": "100%",
        },
    )


def _error(field: str) -> rx.Var[str]:
    return S.errors.get(field, "")


def kpi_card(k: rx.Var[Kpi]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(k["label"], size="2", color_scheme="gray", as_="p", id="kpi-" + k["key"]),
            rx.text(
                k["value"],
                size="7",
                weight="bold",
                as_="p",
                data_testid="kpi-value-" + k["key"],
            ),
            rx.text(k["detail"], size="1", color_scheme="gray", as_="p"),
            spacing="1",
        ),
        role="group",
        aria_labelledby="kpi-" + k["key"],
        data_testid="kpi-" + k["key"],
    )


def kpi_grid() -> rx.Component:
    # Extra cards (SLA met/breached, ...) come from services.analytics.EXTRA_KPIS.
    return rx.el.section(
        rx.heading("Key numbers", size="4", as_="h2", style=VISUALLY_HIDDEN),
        _grid(rx.foreach(S.kpis, kpi_card), min_width="13em"),
        aria_label="Key numbers",
        style={"width": "100%"},
    )


def _table(caption: str, headers: list[str], rows: rx.Var, cells) -> rx.Component:
    return rx.table.root(
        table_caption(caption),
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(
            rx.foreach(
                rows,
                lambda r: rx.table.row(
                    rx.table.row_header_cell(cells(r)[0]),
                    *[rx.table.cell(c) for c in cells(r)[1:]],
                ),
            )
        ),
        size="1",
        variant="surface",
    )


def chart_card(
    title: str, slug: str, chart: rx.Component, table: rx.Component, wide: bool = False
) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="3", as_="h2", id=f"chart-{slug}"),
            rx.box(chart, width="100%", height="240px", aria_hidden="true"),
            rx.el.details(
                rx.el.summary(
                    "Show table",
                    rx.el.span(f": {title}", style=VISUALLY_HIDDEN),
                    style={"cursor": "pointer", "font-size": "14px"},
                ),
                rx.box(table, padding_top="0.5em", overflow_x="auto"),
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        role="region",
        aria_labelledby=f"chart-{slug}",
        data_testid=f"chart-{slug}",
        grid_column="1 / -1" if wide else "auto",
    )


@dataclass(frozen=True)
class Series:
    key: str  # the data key in each row
    name: str  # legend and tooltip label
    color: str  # a Radix color scale
    extra: dict[str, Any] = field(default_factory=dict)  # more recharts props (lines)


@dataclass(frozen=True)
class Chart:
    """One chart card: the chart, and the same rows as a table (the accessible form)."""

    title: str
    slug: str
    rows: str  # the AnalyticsState var holding the rows
    series: tuple[Series, ...]
    headers: tuple[str, ...]  # the table's columns; the first one names the row
    cells: Callable[[Any], list]  # one row's cells, in `headers` order
    caption: str = ""  # the table's caption (default: the title)
    kind: Literal["bar", "line"] = "bar"
    x: str = "name"
    y_domain: tuple[int, int] | None = None  # None: whole numbers from 0
    legend: bool = False
    wide: bool = False


def _bars(title: str, slug: str, rows: str, color: str = "accent") -> Chart:
    """Tickets per group."""
    return Chart(
        title,
        slug,
        rows,
        (Series("value", "Tickets", color),),
        ("Group", "Tickets"),
        lambda r: [r["name"], r["value"]],
    )


NO_LINE_DOTS = {"dot": False}
CHARTS = (
    Chart(
        "Created vs resolved per day",
        "daily",
        "daily",
        (
            Series("created", "Created", "accent", NO_LINE_DOTS),
            Series("resolved", "Resolved", "grass", NO_LINE_DOTS),
        ),
        ("Day", "Created", "Resolved"),
        lambda r: [r["day"], r["created"], r["resolved"]],
        caption="Created and resolved per day",
        kind="line",
        x="label",
        legend=True,
        wide=True,
    ),
    _bars("Backlog by status", "status", "by_status"),
    _bars("Backlog by priority", "priority", "by_priority", "orange"),
    _bars("Backlog by category", "category", "by_category", "cyan"),
    _bars("Backlog by type", "type", "by_type", "violet"),
    Chart(
        "Workload per agent",
        "workload",
        "workload",
        (Series("open", "Open", "accent"), Series("resolved", "Resolved in period", "grass")),
        ("Agent", "Open", "Resolved in period"),
        lambda r: [r["name"], r["open"], r["resolved"]],
        legend=True,
    ),
    _bars("Resolution time", "resolution", "resolution_times", "grass"),
    Chart(
        "Satisfaction trend",
        "satisfaction",
        "daily",
        (Series("avg_rating", "Average rating", "amber", {"connect_nulls": True}),),
        ("Day", "Average rating", "Ratings"),
        lambda r: [
            r["day"],
            rx.cond(r["ratings"] > 0, r["avg_rating"].to_string(), "—"),
            r["ratings"],
        ],
        caption="Satisfaction per day",
        kind="line",
        x="label",
        y_domain=(0, 5),
    ),
    _bars("Backlog age", "age", "backlog_age", "tomato"),
)

NO_A11Y_LAYER = {"accessibilityLayer": False}  # the table view is the accessible form


def _axes(key: str, y_domain: tuple[int, int] | None) -> list[rx.Component]:
    y_scale = {"domain": list(y_domain)} if y_domain else {"allow_decimals": False}
    return [
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", stroke="var(--gray-a6)"),
        rx.recharts.x_axis(data_key=key, stroke="var(--gray-11)", font_size=12),
        rx.recharts.y_axis(**y_scale, stroke="var(--gray-11)", font_size=12, width=40),
        rx.recharts.graphing_tooltip(),
    ]


def _series(kind: str, s: Series) -> rx.Component:
    if kind == "bar":
        return rx.recharts.bar(
            data_key=s.key, name=s.name, fill=rx.color(s.color, 9), is_animation_active=False
        )
    return rx.recharts.line(
        data_key=s.key,
        name=s.name,
        stroke=rx.color(s.color, 9),
        stroke_width=2,
        **s.extra,
        is_animation_active=False,
    )


def chart(c: Chart) -> rx.Component:
    rows = getattr(S, c.rows)
    make = rx.recharts.bar_chart if c.kind == "bar" else rx.recharts.line_chart
    plot = make(
        *_axes(c.x, c.y_domain),
        *([rx.recharts.legend()] if c.legend else []),
        *[_series(c.kind, s) for s in c.series],
        data=rows,
        width="100%",
        height=240,
        custom_attrs=NO_A11Y_LAYER,
    )
    table = _table(c.caption or c.title, list(c.headers), rows, c.cells)
    return chart_card(c.title, c.slug, plot, table, wide=c.wide)


def _select(label: str, name: str, value, static: list[tuple[str, str]], dynamic=None):
    items = [rx.select.item(lbl, value=val) for val, lbl in static]
    if dynamic is not None:
        items.append(rx.foreach(dynamic, lambda o: rx.select.item(o["label"], value=o["value"])))
    field_id = f"filter-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font-size": "12px", "font-weight": "500"}),
        rx.select.root(
            rx.select.trigger(
                id=field_id,
                min_width="10em",
                aria_invalid=rx.cond(_error(name) != "", "true", "false"),
                aria_describedby=f"{field_id}-error",
            ),
            rx.select.content(*items),
            value=rx.cond(value == "", "any", value),
            on_change=lambda v: S.set_filter(name, v),
            size="2",
        ),
        field_error(_error(name), field_id),
        spacing="1",
    )


def _date(label: str, name: str, value) -> rx.Component:
    field_id = f"filter-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font-size": "12px", "font-weight": "500"}),
        rx.input(
            id=field_id,
            name=name,
            type="date",
            default_value=value,
            key=value,
            aria_invalid=rx.cond(_error(name) != "", "true", "false"),
            aria_describedby=f"{field_id}-error",
        ),
        field_error(_error(name), field_id),
        spacing="1",
    )


def filters_bar() -> rx.Component:
    return rx.flex(
        _select("Period", "period", S.f_period, PERIOD_OPTIONS),
        rx.cond(
            S.f_period == "custom",
            rx.form(
                rx.flex(
                    _date("From", "start", S.f_start),
                    _date("To", "end", S.f_end),
                    rx.button("Apply", type="submit"),
                    gap="3",
                    align="end",
                ),
                on_submit=S.apply_range,
                reset_on_submit=False,
                aria_label="Custom range",
            ),
        ),
        _select("Team", "team", S.f_team, [("any", "Any team")], S.team_options),
        _select(
            "Category", "category", S.f_category, [("any", "Any category")], S.category_options
        ),
        rx.spacer(),
        rx.button(
            rx.icon("download", size=16),
            "Download CSV",
            variant="soft",
            on_click=S.download_csv,
        ),
        gap="3",
        wrap="wrap",
        align="end",
        width="100%",
    )


def _definition(term: str, text: str) -> rx.Component:
    before, _, after = text.partition("{tz}")
    parts: list = [before]
    if _:
        parts += [rx.el.strong(S.timezone), after]
    return rx.fragment(
        rx.el.dt(term, style={"font-weight": "600", "margin-top": "0.6em"}),
        rx.el.dd(*parts, style={"margin-left": "0"}),
    )


def help_panel() -> rx.Component:
    return rx.el.details(
        rx.el.summary(
            "How these numbers are counted", style={"cursor": "pointer", "font-weight": "500"}
        ),
        rx.el.dl(
            *[_definition(term, text) for term, text in analytics.DEFINITIONS],
            style={"font-size": "14px", "line-height": "1.5"},
        ),
        style={
            "width": "100%",
            "padding": "0.75em 1em",
            "border": "1px solid var(--gray-a6)",
            "border-radius": "8px",
        },
    )


def analytics_page() -> rx.Component:
    return page_frame(
        rx.text(
            "Live: updates within seconds as tickets are filed, moved, answered and rated. ",
            rx.el.span(S.start, " to ", S.end, " · ", S.timezone, " · updated ", S.computed_at),
            size="2",
            color_scheme="gray",
            role="status",
            aria_live="off",
        ),
        filters_bar(),
        help_panel(),
        rx.cond(
            S.loading,
            rx.center(rx.spinner(size="3"), aria_label="Loading analytics", padding="3em"),
            rx.vstack(
                kpi_grid(),
                _grid(
                    *[chart(c) for c in CHARTS],
                    min_width="30em",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title="Analytics",
        roles=MANAGERS,
        wide=True,
    )
