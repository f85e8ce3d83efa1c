"""/admin/sla: managers define SLA policies (per priority, optionally per category/team) and
business calendars (time zone, working days and hours, holidays)."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.admin import (
    admin_table,
    delete_dialog,
    item_row,
    row_actions,
    select_field,
)
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.layout import field_error, labelled_input, page_frame
from ticketapp.db import run_in_session
from ticketapp.models import PRIORITY_LABELS, Priority
from ticketapp.services import choices, sla
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

PRIORITY_OPTIONS = [(p.value, PRIORITY_LABELS[p]) for p in reversed(list(Priority))]
HOURS_OPTIONS = [("business", "Business hours"), ("calendar", "Calendar hours (24/7)")]
DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class PolicyItem(TypedDict):
    id: int
    name: str
    priority: str
    priority_label: str
    scope: str
    first_response: str
    resolution: str
    hours: str
    category: str
    team: str
    calendar: str
    fr_minutes: str
    res_minutes: str
    business: bool


class CalendarItem(TypedDict):
    id: int
    name: str
    time_zone: str
    days: str
    day_values: list[int]
    hours: str
    start_hour: str
    end_hour: str
    holidays: str
    holidays_text: str


def _load(session, actor: Actor) -> dict:
    policies = sla.list_policies(session, actor)
    cals = sla.list_calendars(session, actor)
    opts = choices.edit_choices(session, actor)
    return {
        "policies": [
            PolicyItem(
                id=p.id,
                name=p.name,
                priority=p.priority,
                priority_label=PRIORITY_LABELS.get(Priority(p.priority), p.priority),
                scope=", ".join(
                    x
                    for x in (
                        f"Category {p.category_name}" if p.category_name else "",
                        f"Team {p.team_name}" if p.team_name else "",
                    )
                    if x
                )
                or "All tickets",
                first_response=sla.format_minutes(p.first_response_minutes, p.business_hours),
                resolution=sla.format_minutes(p.resolution_minutes, p.business_hours),
                hours=(f"Business ({p.calendar_name or 'Mon-Fri 9-17 UTC'})")
                if p.business_hours
                else "Calendar (24/7)",
                category=str(p.category_id or "none"),
                team=str(p.team_id or "none"),
                calendar=str(p.calendar_id or "none"),
                fr_minutes=str(p.first_response_minutes),
                res_minutes=str(p.resolution_minutes),
                business=p.business_hours,
            )
            for p in policies
        ],
        "calendars": [
            CalendarItem(
                id=c.id,
                name=c.name,
                time_zone=c.time_zone,
                days=", ".join(DAY_NAMES[d] for d in c.working_days),
                day_values=list(c.working_days),
                hours=f"{c.start_hour:02d}:00-{c.end_hour:02d}:00",
                start_hour=str(c.start_hour),
                end_hour=str(c.end_hour),
                holidays=", ".join(c.holidays) or "none",
                holidays_text="\n".join(c.holidays),
            )
            for c in cals
        ],
        "categories": [["none", "Any category"]] + [[str(c.id), c.name] for c in opts.categories],
        "teams": [["none", "Any team"]] + [[str(t.id), t.name] for t in opts.teams],
        "calendar_options": [["none", "Default: Mon-Fri 9-17 UTC"]]
        + [[str(c.id), c.name] for c in cals],
    }


class AdminSlaState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    policies: list[PolicyItem] = []
    calendars: list[CalendarItem] = []
    categories: list[list[str]] = []
    teams: list[list[str]] = []
    calendar_options: list[list[str]] = []
    loading: bool = True

    # policy dialog
    policy_open: bool = False
    edit_policy_id: int = 0
    p_name: str = ""
    p_priority: str = Priority.URGENT.value
    p_category: str = "none"
    p_team: str = "none"
    p_hours: str = "business"
    p_calendar: str = "none"
    p_first: str = "60"
    p_resolution: str = "240"
    errors: dict[str, str] = {}

    # calendar dialog
    calendar_open: bool = False
    edit_calendar_id: int = 0
    c_name: str = ""
    c_zone: str = "UTC"
    c_days: list[int] = [0, 1, 2, 3, 4]
    c_start: str = "9"
    c_end: str = "17"
    c_holidays: str = ""
    cal_errors: dict[str, str] = {}

    # delete confirmation
    confirm_kind: str = ""
    confirm_id: int = 0
    confirm_name: str = ""

    async def _reload(self):
        actor = await self.current_actor()
        data = await run_in_session(_load, actor, readonly=True)
        self.policies = data["policies"]
        self.calendars = data["calendars"]
        self.categories = data["categories"]
        self.teams = data["teams"]
        self.calendar_options = data["calendar_options"]
        self.loading = False

    @rx.event
    async def on_load(self):
        self.loading = True
        yield
        await self._reload()

    # --- policies ---

    @rx.event
    def new_policy(self):
        self.edit_policy_id = 0
        self.p_name, self.p_priority = "", Priority.URGENT.value
        self.p_category = self.p_team = self.p_calendar = "none"
        self.p_hours, self.p_first, self.p_resolution = "business", "60", "240"
        self.errors = {}
        self.policy_open = True

    @rx.event
    def edit_policy(self, policy_id: int):
        for p in self.policies:
            if p["id"] == policy_id:
                self.edit_policy_id = p["id"]
                self.p_name, self.p_priority = p["name"], p["priority"]
                self.p_category, self.p_team = p["category"], p["team"]
                self.p_calendar = p["calendar"]
                self.p_hours = "business" if p["business"] else "calendar"
                self.p_first, self.p_resolution = p["fr_minutes"], p["res_minutes"]
                self.errors = {}
                self.policy_open = True
                return

    @rx.event
    def set_policy_open(self, value: bool):
        self.policy_open = bool(value)

    @rx.event
    def set_p_priority(self, value: str):
        self.p_priority = str(value)

    @rx.event
    def set_p_category(self, value: str):
        self.p_category = str(value)

    @rx.event
    def set_p_team(self, value: str):
        self.p_team = str(value)

    @rx.event
    def set_p_hours(self, value: str):
        self.p_hours = str(value)

    @rx.event
    def set_p_calendar(self, value: str):
        self.p_calendar = str(value)

    @rx.event
    async def save_policy(self, form: dict):
        actor = await self.current_actor()
        data = {
            "name": str(form.get("name", "")),
            "first_response_minutes": str(form.get("first_response_minutes", "")),
            "resolution_minutes": str(form.get("resolution_minutes", "")),
            "priority": self.p_priority,
            "category_id": self.p_category,
            "team_id": self.p_team,
            "business_hours": self.p_hours == "business",
            "calendar_id": self.p_calendar if self.p_hours == "business" else "none",
        }
        # Keep what was typed if the form comes back with errors.
        self.p_name = data["name"]
        self.p_first = data["first_response_minutes"]
        self.p_resolution = data["resolution_minutes"]
        errors = await run_in_session(sla.policy_errors, data, readonly=True)
        if errors:
            self.errors = errors
            return
        try:
            await run_in_session(sla.save_policy, actor, self.edit_policy_id or None, data)
        except ValidationError as exc:
            self.errors = {exc.field or "name": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.policy_open = False
        self.errors = {}
        await self._reload()
        return rx.toast.success(f"Policy \u201c{data['name'].strip()}\u201d saved.")

    # --- calendars ---

    @rx.event
    def new_calendar(self):
        self.edit_calendar_id = 0
        self.c_name, self.c_zone, self.c_days = "", "UTC", [0, 1, 2, 3, 4]
        self.c_start, self.c_end, self.c_holidays = "9", "17", ""
        self.cal_errors = {}
        self.calendar_open = True

    @rx.event
    def edit_calendar(self, calendar_id: int):
        for c in self.calendars:
            if c["id"] == calendar_id:
                self.edit_calendar_id = c["id"]
                self.c_name, self.c_zone = c["name"], c["time_zone"]
                self.c_days = list(c["day_values"])
                self.c_start, self.c_end = c["start_hour"], c["end_hour"]
                self.c_holidays = c["holidays_text"]
                self.cal_errors = {}
                self.calendar_open = True
                return

    @rx.event
    def set_calendar_open(self, value: bool):
        self.calendar_open = bool(value)

    @rx.event
    async def save_calendar(self, form: dict):
        actor = await self.current_actor()
        days = [i for i in range(7) if form.get(f"day_{i}") not in (None, "", False)]
        data = {
            "name": str(form.get("name", "")),
            "time_zone": str(form.get("time_zone", "")),
            "working_days": days,
            "start_hour": str(form.get("start_hour", "")),
            "end_hour": str(form.get("end_hour", "")),
            "holidays": str(form.get("holidays", ""))[:5000],
        }
        self.c_name, self.c_zone, self.c_days = data["name"], data["time_zone"], days
        self.c_start, self.c_end, self.c_holidays = (
            data["start_hour"],
            data["end_hour"],
            data["holidays"],
        )
        errors = sla.calendar_errors(data)
        if errors:
            self.cal_errors = errors
            return
        try:
            await run_in_session(sla.save_calendar, actor, self.edit_calendar_id or None, data)
        except ValidationError as exc:
            self.cal_errors = {exc.field or "name": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.calendar_open = False
        await self._reload()
        return rx.toast.success(f"Calendar \u201c{data['name'].strip()}\u201d saved.")

    # --- delete ---

    @rx.event
    def ask_delete(self, kind: str, item_id: int, name: str):
        self.confirm_kind = "calendar" if kind == "calendar" else "policy"
        self.confirm_id = int(item_id)
        self.confirm_name = str(name)

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def confirm_delete(self):
        actor = await self.current_actor()
        kind, item_id, name = self.confirm_kind, self.confirm_id, self.confirm_name
        self.confirm_id = 0
        fn = sla.delete_calendar if kind == "calendar" else sla.delete_policy
        try:
            await run_in_session(fn, actor, item_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(f"Deleted \u201c{name}\u201d.")


def _err(field: str) -> rx.Var[str]:
    return AdminSlaState.errors.get(field, "")


def _cerr(field: str) -> rx.Var[str]:
    return AdminSlaState.cal_errors.get(field, "")


def _policy_dialog() -> rx.Component:
    s = AdminSlaState
    return form_dialog(
        rx.cond(s.edit_policy_id == 0, "New policy", "Edit policy"),
        "Targets for tickets of one priority. A policy for a category or team wins over "
        "a general one.",
        labelled_input(
            "Name",
            "policy-name",
            _err("name"),
            name="name",
            default_value=s.p_name,
        ),
        rx.hstack(
            select_field(
                "Priority",
                "policy-priority",
                PRIORITY_OPTIONS,
                s.p_priority,
                s.set_p_priority,
                _err("priority"),
            ),
            select_field(
                "Category",
                "policy-category",
                s.categories,
                s.p_category,
                s.set_p_category,
                _err("category_id"),
            ),
            select_field("Team", "policy-team", s.teams, s.p_team, s.set_p_team, _err("team_id")),
            width="100%",
        ),
        rx.hstack(
            labelled_input(
                "First response (minutes)",
                "policy-first",
                _err("first_response_minutes"),
                name="first_response_minutes",
                type="number",
                min=1,
                default_value=s.p_first,
            ),
            labelled_input(
                "Resolution (minutes)",
                "policy-resolution",
                _err("resolution_minutes"),
                name="resolution_minutes",
                type="number",
                min=1,
                default_value=s.p_resolution,
            ),
            width="100%",
        ),
        rx.hstack(
            select_field("Count in", "policy-hours", HOURS_OPTIONS, s.p_hours, s.set_p_hours),
            rx.cond(
                s.p_hours == "business",
                select_field(
                    "Business calendar",
                    "policy-calendar",
                    s.calendar_options,
                    s.p_calendar,
                    s.set_p_calendar,
                    _err("calendar_id"),
                ),
            ),
            width="100%",
        ),
        submit="Save policy",
        on_submit=s.save_policy,
        open=s.policy_open,
        on_open_change=s.set_policy_open,
        max_width="640px",
    )


def _day_box(i: int) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            name=f"day_{i}",
            default_checked=AdminSlaState.c_days.contains(i),
            style={"margin-right": "0.3em"},
        ),
        DAY_NAMES[i],
        style={"font-size": "14px", "display": "inline-flex", "align-items": "center"},
    )


def _calendar_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(AdminSlaState.edit_calendar_id == 0, "New calendar", "Edit calendar"),
        "Business hours count only on working days, between the start and end hour "
        "in this time zone, and never on holidays.",
        labelled_input(
            "Name",
            "calendar-name",
            _cerr("name"),
            name="name",
            default_value=AdminSlaState.c_name,
        ),
        labelled_input(
            "Time zone",
            "calendar-zone",
            _cerr("time_zone"),
            hint="An IANA name, e.g. Europe/Berlin, America/New_York or UTC.",
            name="time_zone",
            default_value=AdminSlaState.c_zone,
        ),
        rx.el.fieldset(
            rx.el.legend("Working days", style={"font-weight": "500", "font-size": "14px"}),
            rx.hstack(*[_day_box(i) for i in range(7)], spacing="3", wrap="wrap"),
            field_error(_cerr("working_days"), "calendar-days"),
            style={"border": "none", "padding": "0", "margin": "0"},
        ),
        rx.hstack(
            labelled_input(
                "Start hour",
                "calendar-start",
                _cerr("start_hour"),
                name="start_hour",
                type="number",
                min=0,
                max=23,
                default_value=AdminSlaState.c_start,
            ),
            labelled_input(
                "End hour",
                "calendar-end",
                _cerr("end_hour"),
                name="end_hour",
                type="number",
                min=1,
                max=24,
                default_value=AdminSlaState.c_end,
            ),
            width="100%",
        ),
        rx.vstack(
            rx.el.label(
                "Holidays",
                html_for="calendar-holidays",
                style={"font-weight": "500", "font-size": "14px"},
            ),
            rx.text_area(
                id="calendar-holidays",
                name="holidays",
                default_value=AdminSlaState.c_holidays,
                placeholder="2026-12-25",
                aria_describedby="calendar-holidays-hint calendar-holidays-error",
                width="100%",
            ),
            rx.text(
                "One date per line (YYYY-MM-DD).",
                id="calendar-holidays-hint",
                size="1",
                color_scheme="gray",
            ),
            field_error(_cerr("holidays"), "calendar-holidays"),
            spacing="1",
            width="100%",
        ),
        submit="Save calendar",
        on_submit=AdminSlaState.save_calendar,
        open=AdminSlaState.calendar_open,
        on_open_change=AdminSlaState.set_calendar_open,
        max_width="560px",
    )


def _confirm_dialog() -> rx.Component:
    s = AdminSlaState
    return delete_dialog(
        rx.cond(s.confirm_kind == "calendar", "Delete calendar?", "Delete policy?"),
        f"\u201c{s.confirm_name}\u201d will be deleted. Open tickets get their SLA targets "
        "recomputed.",
        on_confirm=s.confirm_delete,
        on_cancel=s.cancel_delete,
        open=s.confirm_id != 0,
        high_contrast=True,
    )


def _policy_row(p: rx.Var[PolicyItem]) -> rx.Component:
    actions = row_actions(
        p["name"],
        AdminSlaState.edit_policy(p["id"]),
        AdminSlaState.ask_delete("policy", p["id"], p["name"]),
    )
    return item_row(
        p, ["priority_label", "scope", "first_response", "resolution", "hours"], actions
    )


def _calendar_row(c: rx.Var[CalendarItem]) -> rx.Component:
    actions = row_actions(
        c["name"],
        AdminSlaState.edit_calendar(c["id"]),
        AdminSlaState.ask_delete("calendar", c["id"], c["name"]),
        what="calendar",
    )
    return item_row(c, ["time_zone", "days", "hours", "holidays"], actions)


def admin_sla_page() -> rx.Component:
    return page_frame(
        rx.cond(
            AdminSlaState.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.vstack(
                rx.hstack(
                    rx.heading("Policies", size="5", as_="h2"),
                    rx.spacer(),
                    rx.button(
                        rx.icon("plus", size=16), "New policy", on_click=AdminSlaState.new_policy
                    ),
                    width="100%",
                ),
                rx.cond(
                    AdminSlaState.policies.length() > 0,
                    admin_table(
                        "SLA policies",
                        [
                            "Name",
                            "Priority",
                            "Applies to",
                            "First response",
                            "Resolution",
                            "Counted in",
                            "Actions",
                        ],
                        AdminSlaState.policies,
                        _policy_row,
                    ),
                    rx.text("No SLA policies yet: tickets have no deadlines. Create one."),
                ),
                rx.hstack(
                    rx.heading("Business calendars", size="5", as_="h2"),
                    rx.spacer(),
                    rx.button(
                        rx.icon("calendar-plus", size=16),
                        "New calendar",
                        on_click=AdminSlaState.new_calendar,
                    ),
                    width="100%",
                    margin_top="1em",
                ),
                rx.cond(
                    AdminSlaState.calendars.length() > 0,
                    admin_table(
                        "Business calendars",
                        ["Name", "Time zone", "Working days", "Hours", "Holidays", "Actions"],
                        AdminSlaState.calendars,
                        _calendar_row,
                    ),
                    rx.text(
                        "No calendars yet: business-hours policies count Monday to Friday, "
                        "9:00-17:00 UTC."
                    ),
                ),
                spacing="3",
                width="100%",
            ),
        ),
        rx.link("Escalation rules →", href="/admin/escalation"),
        _policy_dialog(),
        _calendar_dialog(),
        _confirm_dialog(),
        title="SLA policies",
        roles=MANAGERS,
    )
