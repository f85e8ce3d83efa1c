"""AdminSlaState: the policies and calendars tables, both dialogs and the delete confirmation."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import Priority
from ticketapp.pages.admin_sla.view_model import CalendarItem, PolicyItem, load_page
from ticketapp.services import sla
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState


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
        data = await run_in_session(load_page, actor, readonly=True)
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
        return rx.toast.success(_("Policy \u201c{name}\u201d saved.", name=data["name"].strip()))

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
        return rx.toast.success(_("Calendar \u201c{name}\u201d saved.", name=data["name"].strip()))

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
        return rx.toast.success(_("Deleted \u201c{name}\u201d.", name=name))
