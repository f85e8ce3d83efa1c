"""SLA policies and business calendars, for managers: listing, checking, saving, deleting (and
re-targeting the open tickets a change affects)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlmodel import Session, col, select

from ticketapp import clock, i18n
from ticketapp.i18n import N_
from ticketapp.models import (
    BusinessCalendar,
    Category,
    Priority,
    SlaPolicy,
    Team,
    Ticket,
)
from ticketapp.services import security_log
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.sla.calendars import Calendar
from ticketapp.services.sla.clock import POLICY_CHANGED, recompute
from ticketapp.services.sla.common import MAX_TARGET_MINUTES, STOPPED_STATUSES

# --- policies and calendars (managers) -------------------------------------------------------


@dataclass(frozen=True)
class PolicyRow:
    id: int
    name: str
    priority: str
    category_id: int | None
    category_name: str
    team_id: int | None
    team_name: str
    first_response_minutes: int
    resolution_minutes: int
    business_hours: bool
    calendar_id: int | None
    calendar_name: str


@dataclass(frozen=True)
class CalendarRow:
    id: int
    name: str
    time_zone: str
    working_days: list[int]
    start_hour: int
    end_hour: int
    holidays: list[str]


def list_policies(session: Session, actor: Actor) -> list[PolicyRow]:
    require_manager(actor)
    cats = {c.id: c.name for c in session.exec(select(Category))}
    teams = {t.id: t.name for t in session.exec(select(Team))}
    cals = {c.id: c.name for c in session.exec(select(BusinessCalendar))}
    order = {p.value: i for i, p in enumerate(reversed(list(Priority)))}
    rows = session.exec(select(SlaPolicy)).all()
    rows = sorted(rows, key=lambda p: (order.get(p.priority, 9), p.name.lower(), p.id or 0))
    return [
        PolicyRow(
            id=p.id,  # type: ignore[arg-type]
            name=p.name,
            priority=p.priority,
            category_id=p.category_id,
            category_name=cats.get(p.category_id, "") if p.category_id else "",
            team_id=p.team_id,
            team_name=teams.get(p.team_id, "") if p.team_id else "",
            first_response_minutes=p.first_response_minutes,
            resolution_minutes=p.resolution_minutes,
            business_hours=p.business_hours,
            calendar_id=p.calendar_id,
            calendar_name=cals.get(p.calendar_id, "") if p.calendar_id else "",
        )
        for p in rows
    ]


# What a form field names -> (the message for a bad value, the message for a missing row).
_REFUSALS = {
    "category": (N_("Choose a category."), N_("That category does not exist.")),
    "team": (N_("Choose a team."), N_("That team does not exist.")),
    "calendar": (N_("Choose a calendar."), N_("That calendar does not exist.")),
}
# A target field -> (not a number, out of range); "" when the field's label is not needed.
_MINUTES_REFUSALS = {
    "first_response_minutes": (
        N_("First response: enter a whole number of minutes."),
        N_("First response: between 1 minute and 365 days."),
    ),
    "resolution_minutes": (
        N_("Resolution: enter a whole number of minutes."),
        N_("Resolution: between 1 minute and 365 days."),
    ),
}


def _opt_id(value: object, field_name: str, model: type, session: Session, what: str) -> int | None:
    if value in (None, "", "none", 0, "0"):
        return None
    try:
        obj_id = int(str(value))
    except ValueError:
        raise ValidationError(_REFUSALS[what][0], field_name) from None
    if not (0 < obj_id < 2**31) or session.get(model, obj_id) is None:
        raise ValidationError(_REFUSALS[what][1], field_name)
    return obj_id


def _minutes(value: object, field_name: str) -> int:
    not_a_number, out_of_range = _MINUTES_REFUSALS[field_name]
    try:
        minutes = int(str(value).strip())
    except ValueError:
        raise ValidationError(not_a_number, field_name) from None
    if not 1 <= minutes <= MAX_TARGET_MINUTES:
        raise ValidationError(out_of_range, field_name)
    return minutes


def validate_policy(session: Session, data: dict) -> dict:
    """Clean a policy form; raises ValidationError for the first bad field."""
    errors = policy_errors(session, data)
    if errors:
        name, message = next(iter(errors.items()))
        raise ValidationError(message, name)
    return _clean_policy(session, data)


def policy_errors(session: Session, data: dict) -> dict[str, str]:
    """Every problem with a policy form, by field."""
    errors: dict[str, str] = {}
    checks = [
        ("name", lambda: _name(data.get("name"))),
        ("priority", lambda: _priority(data.get("priority"))),
        (
            "first_response_minutes",
            lambda: _minutes(data.get("first_response_minutes"), "first_response_minutes"),
        ),
        (
            "resolution_minutes",
            lambda: _minutes(data.get("resolution_minutes"), "resolution_minutes"),
        ),
        (
            "category_id",
            lambda: _opt_id(data.get("category_id"), "category_id", Category, session, "category"),
        ),
        ("team_id", lambda: _opt_id(data.get("team_id"), "team_id", Team, session, "team")),
        (
            "calendar_id",
            lambda: _opt_id(
                data.get("calendar_id"), "calendar_id", BusinessCalendar, session, "calendar"
            ),
        ),
    ]
    for name, fn in checks:
        try:
            fn()
        except ValidationError as exc:
            errors[name] = exc.message
    if "first_response_minutes" not in errors and "resolution_minutes" not in errors:
        fr = _minutes(data.get("first_response_minutes"), "first_response_minutes")
        rs = _minutes(data.get("resolution_minutes"), "resolution_minutes")
        if fr > rs:
            errors["first_response_minutes"] = i18n._(
                "First response must not be longer than resolution."
            )
    return errors


def _name(value: object) -> str:
    name = str(value or "").strip()
    if not name:
        raise ValidationError("Give the policy a name.", "name")
    if len(name) > 120:
        raise ValidationError("Keep the name under 120 characters.", "name")
    return name


def _priority(value: object) -> str:
    try:
        return Priority(str(value)).value
    except ValueError:
        raise ValidationError("Choose a priority.", "priority") from None


def _clean_policy(session: Session, data: dict) -> dict:
    return {
        "name": _name(data.get("name")),
        "priority": _priority(data.get("priority")),
        "category_id": _opt_id(
            data.get("category_id"), "category_id", Category, session, "category"
        ),
        "team_id": _opt_id(data.get("team_id"), "team_id", Team, session, "team"),
        "first_response_minutes": _minutes(
            data.get("first_response_minutes"), "first_response_minutes"
        ),
        "resolution_minutes": _minutes(data.get("resolution_minutes"), "resolution_minutes"),
        "business_hours": data.get("business_hours") in (True, "true", "on", "1", 1),
        "calendar_id": _opt_id(
            data.get("calendar_id"), "calendar_id", BusinessCalendar, session, "calendar"
        ),
    }


@security_log.audited("sla_changed", N_("SLA policy"))
def save_policy(session: Session, actor: Actor, policy_id: object, data: dict) -> int:
    """Create (policy_id None) or update a policy. Open tickets of that priority are re-targeted."""
    require_manager(actor)
    clean = validate_policy(session, data)
    if policy_id in (None, "", 0):
        policy = SlaPolicy(**clean)
    else:
        policy = session.get(SlaPolicy, _policy_id(policy_id))
        if policy is None:
            raise NotFound("That policy no longer exists.")
        for k, v in clean.items():
            setattr(policy, k, v)
        policy.updated_at = clock.now()
    session.add(policy)
    session.flush()
    _retarget_open(session, {clean["priority"]} | ({policy.priority} if policy.id else set()))
    assert policy.id is not None
    return policy.id


def _policy_id(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise NotFound("That policy no longer exists.") from None


@security_log.audited("sla_changed", N_("SLA policy"))
def delete_policy(session: Session, actor: Actor, policy_id: object) -> None:
    require_manager(actor)
    policy = session.get(SlaPolicy, _policy_id(policy_id))
    if policy is None:
        raise NotFound("That policy no longer exists.")
    priority = policy.priority
    session.delete(policy)
    session.flush()
    _retarget_open(session, {priority})


def _retarget_open(session: Session, priorities: set[str]) -> None:
    """Recompute open tickets of these priorities (bounded: the newest 2,000)."""
    rows = session.exec(
        select(Ticket)
        .where(
            col(Ticket.priority).in_(priorities),
            col(Ticket.status).not_in([s.value for s in STOPPED_STATUSES]),
        )
        .order_by(col(Ticket.id).desc())
        .limit(2000)
    ).all()
    for t in rows:
        recompute(session, t, POLICY_CHANGED)
    session.flush()


def list_calendars(session: Session, actor: Actor) -> list[CalendarRow]:
    require_manager(actor)
    rows = session.exec(select(BusinessCalendar).order_by(col(BusinessCalendar.name))).all()
    return [
        CalendarRow(
            id=c.id,  # type: ignore[arg-type]
            name=c.name,
            time_zone=c.time_zone,
            working_days=sorted(Calendar.of(c).working_days),
            start_hour=c.start_hour,
            end_hour=c.end_hour,
            holidays=list(c.holidays or []),
        )
        for c in rows
    ]


def calendar_errors(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = i18n._("Give the calendar a name.")
    elif len(name) > 80:
        errors["name"] = i18n._("Keep the name under 80 characters.")
    tz = str(data.get("time_zone") or "").strip()
    try:
        if not tz or tz not in _zones():
            raise ZoneInfoNotFoundError
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = i18n._("Enter a time zone such as Europe/Berlin or UTC.")
    days = _days(data.get("working_days"))
    if not days:
        errors["working_days"] = i18n._("Pick at least one working day.")
    try:
        start, end = int(str(data.get("start_hour"))), int(str(data.get("end_hour")))
        if not (0 <= start < end <= 24):
            errors["end_hour"] = i18n._("Working hours: start before end, between 0 and 24.")
    except ValueError:
        errors["end_hour"] = i18n._("Working hours: whole hours between 0 and 24.")
    for h in _holiday_strings(data.get("holidays")):
        try:
            date.fromisoformat(h)
        except ValueError:
            errors["holidays"] = i18n._(
                "{value} is not a date (use YYYY-MM-DD, one per line).", value=repr(h)
            )
            break
    return errors


def _zones() -> set[str]:
    return available_timezones() | {"UTC"}


def _days(value: object) -> list[int]:
    if isinstance(value, str):
        parts: Iterable = value.split(",")
    elif isinstance(value, Iterable):
        parts = value
    else:
        return []
    out = set()
    for p in parts:
        s = str(p).strip()
        if s.isdigit() and 0 <= int(s) <= 6:
            out.add(int(s))
    return sorted(out)


def _holiday_strings(value: object) -> list[str]:
    if isinstance(value, str):
        raw = value.replace(",", "\n").splitlines()
    elif isinstance(value, Iterable):
        raw = [str(v) for v in value]
    else:
        raw = []
    return [r.strip() for r in raw if r.strip()]


@security_log.audited("sla_changed", N_("Business calendar"))
def save_calendar(session: Session, actor: Actor, calendar_id: object, data: dict) -> int:
    require_manager(actor)
    errors = calendar_errors(data)
    if errors:
        name, message = next(iter(errors.items()))
        raise ValidationError(message, name)
    values = {
        "name": str(data["name"]).strip(),
        "time_zone": str(data["time_zone"]).strip(),
        "working_days": ",".join(str(d) for d in _days(data.get("working_days"))),
        "start_hour": int(str(data["start_hour"])),
        "end_hour": int(str(data["end_hour"])),
        "holidays": sorted(
            {date.fromisoformat(h).isoformat() for h in _holiday_strings(data.get("holidays"))}
        ),
    }
    clash = session.exec(
        select(BusinessCalendar).where(BusinessCalendar.name == values["name"])
    ).first()
    if calendar_id in (None, "", 0):
        if clash is not None:
            raise ValidationError("A calendar with this name exists.", "name")
        cal = BusinessCalendar(**values)
    else:
        cal = session.get(BusinessCalendar, _policy_id(calendar_id))
        if cal is None:
            raise NotFound("That calendar no longer exists.")
        if clash is not None and clash.id != cal.id:
            raise ValidationError("A calendar with this name exists.", "name")
        for k, v in values.items():
            setattr(cal, k, v)
    session.add(cal)
    session.flush()
    used = session.exec(select(SlaPolicy.priority).where(SlaPolicy.calendar_id == cal.id)).all()
    if used:
        _retarget_open(session, set(used))
    assert cal.id is not None
    return cal.id


@security_log.audited("sla_changed", N_("Business calendar"))
def delete_calendar(session: Session, actor: Actor, calendar_id: object) -> None:
    require_manager(actor)
    cal = session.get(BusinessCalendar, _policy_id(calendar_id))
    if cal is None:
        raise NotFound("That calendar no longer exists.")
    used = session.exec(select(SlaPolicy).where(SlaPolicy.calendar_id == cal.id)).all()
    for p in used:
        p.calendar_id = None
        session.add(p)
    session.delete(cal)
    session.flush()
    if used:
        _retarget_open(session, {p.priority for p in used})
