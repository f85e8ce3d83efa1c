"""SLA policies and business calendars as the page's rows, and everything the page loads."""

from __future__ import annotations

from typing import TypedDict

from ticketapp.i18n import N_, _
from ticketapp.models import PRIORITY_LABELS, Priority
from ticketapp.services import choices, sla
from ticketapp.services.actor import Actor

DAY_NAMES = [N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")]


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


def _scope(p) -> str:
    parts = (
        _("Category {name}", name=p.category_name) if p.category_name else "",
        _("Team {name}", name=p.team_name) if p.team_name else "",
    )
    return ", ".join(x for x in parts if x) or _("All tickets")


def policy_item(p) -> PolicyItem:
    return PolicyItem(
        id=p.id,
        name=p.name,
        priority=p.priority,
        priority_label=_(PRIORITY_LABELS.get(Priority(p.priority), p.priority)),
        scope=_scope(p),
        first_response=sla.format_minutes(p.first_response_minutes, p.business_hours),
        resolution=sla.format_minutes(p.resolution_minutes, p.business_hours),
        hours=_("Business ({calendar})", calendar=p.calendar_name or _("Mon-Fri 9-17 UTC"))
        if p.business_hours
        else _("Calendar (24/7)"),
        category=str(p.category_id or "none"),
        team=str(p.team_id or "none"),
        calendar=str(p.calendar_id or "none"),
        fr_minutes=str(p.first_response_minutes),
        res_minutes=str(p.resolution_minutes),
        business=p.business_hours,
    )


def calendar_item(c) -> CalendarItem:
    return CalendarItem(
        id=c.id,
        name=c.name,
        time_zone=c.time_zone,
        days=", ".join(_(DAY_NAMES[d]) for d in c.working_days),
        day_values=list(c.working_days),
        hours=f"{c.start_hour:02d}:00-{c.end_hour:02d}:00",
        start_hour=str(c.start_hour),
        end_hour=str(c.end_hour),
        holidays=", ".join(c.holidays) or "none",
        holidays_text="\n".join(c.holidays),
    )


def load_page(session, actor: Actor) -> dict:
    """Both tables and the dialogs' choices (run in one read-only session)."""
    policies = sla.list_policies(session, actor)
    cals = sla.list_calendars(session, actor)
    opts = choices.edit_choices(session, actor)
    return {
        "policies": [policy_item(p) for p in policies],
        "calendars": [calendar_item(c) for c in cals],
        "categories": [["none", _("Any category")]]
        + [[str(c.id), c.name] for c in opts.categories],
        "teams": [["none", _("Any team")]] + [[str(t.id), t.name] for t in opts.teams],
        "calendar_options": [["none", _("Default: Mon-Fri 9-17 UTC")]]
        + [[str(c.id), c.name] for c in cals],
    }
