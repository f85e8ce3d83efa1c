"""AnalyticsGate and AnalyticsState (the page's state and handlers), and the live refresh that
recomputes each viewed filter set once per burst of changes and pushes it to its tabs.

See the package docstring for why tabs are not linked to a shared state.
"""

from __future__ import annotations

import asyncio
import copy
import time
from datetime import timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

import reflex as rx

from ticketapp import live
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import CHANNEL_LABELS
from ticketapp.pages.analytics.view_model import Daily, Kpi, NameValue, Option, Workload
from ticketapp.pages.analytics.viewers import forget, open_views, register_viewer
from ticketapp.pages.canned.usage_card import CannedUsageState
from ticketapp.services import analytics, security_log
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

LIVE_KINDS = frozenset({"ticket", "board", "comment", "rating", "deflection"})
COALESCE_SECONDS = 0.3
KEEPALIVE_SECONDS = 600


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
    f_organisation: str = ""  # ORGS:
    f_channel: str = ""
    f_tag: str = ""  # TAGS:
    errors: dict[str, str] = {}
    team_options: list[Option] = []
    category_options: list[Option] = []
    organisation_options: list[Option] = []
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
            # next event recovers the session and re-runs on_load, see ticketapp/state.py).
            self._key = key
        elif not path.startswith("/analytics"):
            return False
        if key != self._key or stamp < self._stamp:
            return True  # other filters by now, or on_load read fresher numbers meanwhile
        self._show_dashboard(values, stamp)
        return True

    def _params(self) -> dict[str, str]:
        out = {"period": self.f_period, "team": self.f_team, "category": self.f_category}
        out["organisation"] = self.f_organisation
        out["channel"] = self.f_channel
        out["tag"] = self.f_tag
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
        self.f_organisation = str(f.organisation_id or "")
        self.f_channel = f.channel or ""
        self.f_tag = f.tag or str(query.get("tag", ""))
        self._key = f.key()
        # Register before reading: a change committed after the read reaches this tab.
        params = {"period": f.period, **f.params()}
        register_viewer(self.router.session.client_token, self._key, params, actor.id)
        ensure_keepalive()
        try:
            stamp, values = await _numbers(actor, f)
            choices = await run_in_session(analytics.filter_choices, actor, readonly=True)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self._show_dashboard(values, stamp)
        self.team_options = [Option(value=v, label=lbl) for v, lbl in choices["teams"]]
        self.category_options = [Option(value=v, label=lbl) for v, lbl in choices["categories"]]
        self.organisation_options = [
            Option(value=v, label=lbl) for v, lbl in choices["organisations"]
        ]
        self.loading = False
        return CannedUsageState.load_usage  # its card follows the same period

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
        elif name == "organisation":
            self.f_organisation = value
        elif name == "channel":
            self.f_channel = value
        elif name == "tag":
            self.f_tag = value
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

    def _filter_labels(self) -> list[tuple[str, str]]:
        """The chosen team, category and channel, by name (what the CSV says it shows)."""
        names = {
            "team": {o["value"]: o["label"] for o in self.team_options},
            "category": {o["value"]: o["label"] for o in self.category_options},
            "channel": {c.value: _(label) for c, label in CHANNEL_LABELS.items()},
        }
        chosen = {"team": self.f_team, "category": self.f_category, "channel": self.f_channel}
        return [(k, names[k].get(v, v)) for k, v in chosen.items() if v]

    @rx.event
    async def download_csv(self):
        """The numbers on screen, as CSV (read from this tab's own dashboard)."""
        actor = await self._manager()
        if actor is None:
            return rx.toast.error("Analytics is for managers.")
        data = {name: getattr(self, name) for name in DASHBOARD_FIELDS}
        data["filters"] = self._filter_labels()
        name = f"analytics-{data['start']}-to-{data['end']}.csv"
        await run_in_session(security_log.record_export, actor, name)
        return rx.download(data=analytics.to_csv(data), filename=name, mime_type="text/csv")


# --- the live refresh ----------------------------------------------------------------------

# What the refresh rounds computed last, per filter key: (round, stamp, values). Between two
# rounds these are the current numbers for every manager (a change since then pokes another
# round, which starts later, so sees the tabs registered now): an on_load shows them instead
# of computing its own (issue 21: once per change for all managers, not once per viewer).
_latest: dict[str, tuple[int, float, dict[str, Any]]] = {}
_rounds = 0  # refresh rounds started on this worker


async def _numbers(actor, f) -> tuple[float, dict[str, Any]]:
    """The dashboard for filters `f` (the tab is registered for them): the last round's, when
    no round has started since, else computed now."""
    latest = _latest.get(f.key())
    if latest is not None and latest[0] == _rounds:
        return latest[1], latest[2]
    stamp = time.time()
    data = await run_in_session(analytics.dashboard, actor, f, readonly=True)
    return stamp, analytics.as_dict(data)


async def refresh_views() -> int:
    """Compute every filter set that this worker's tabs view once and push it into each of
    those tabs' own state. Returns how many filter sets were computed."""
    global _rounds
    _rounds += 1
    this_round = _rounds
    viewers = open_views()
    if not viewers:
        _latest.clear()
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
        _latest[key] = (this_round, stamp, values)
        done += 1

        gone |= await live.push(
            tokens,
            AnalyticsState,
            lambda state, k=key, s=stamp, v=values: state._receive(k, s, v),
            local_only=True,
        )
    forget(gone, viewers)
    for key in set(_latest) - set(by_key):
        del _latest[key]
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
