"""SLA policies, business calendars and the per-ticket SLA clock.

The clock is an explicit log (SlaClockEvent): `start` on creation, `pause` while the ticket is
Waiting on requester, `resolved` when it is resolved or closed (the clock stops), `resume` when it
runs again, `first_response_met` on the first public agent reply, `breached` (written once per
target by the escalation run), `recomputed` when the priority (or category/team) changes: the
targets are then recomputed from the ticket's start with the pauses kept.

Due dates are stored on the ticket (`first_response_due_at`, `due_at` = resolution due) so lists
and the board compute remaining time without per-ticket queries (`sla_states`). While the clock
is stopped (`sla_paused_at` set) the remaining time stays what it was at the pause; on resume the
due dates are recomputed from the log.

Time: `ticketapp.clock.now()` (tests move it). Business hours: working days and hours in a
calendar's time zone (zoneinfo, so DST is right), minus holidays (local dates).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlmodel import Session, col, select

from ticketapp import clock
from ticketapp.models import (
    BusinessCalendar,
    Category,
    Priority,
    SlaClockEvent,
    SlaPolicy,
    SlaTarget,
    Team,
    Ticket,
    TicketStatus,
)
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.errors import NotFound, ValidationError

PAUSED_STATUSES = frozenset({TicketStatus.WAITING})
STOPPED_STATUSES = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})
WARNING_SHARE = 0.25  # amber in the last 25 % of a target
MAX_TARGET_MINUTES = 365 * 24 * 60
MAX_SCAN_DAYS = 3 * 366  # a calendar walk never loops longer than this

CLOCK_LABELS = {
    "start": "Clock started",
    "pause": "Clock paused",
    "resume": "Clock resumed",
    "first_response_met": "First response met",
    "breached": "Target breached",
    "resolved": "Clock stopped (resolved)",
    "recomputed": "Targets recomputed",
}
TARGET_LABELS = {SlaTarget.FIRST_RESPONSE: "First response", SlaTarget.RESOLUTION: "Resolution"}


def _utc(value: datetime) -> datetime:
    """Stored datetimes come back naive from some drivers: treat naive as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- calendars: business-hours arithmetic ---------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """Plain-data calendar. `None` everywhere below means calendar hours (24/7)."""

    time_zone: str = "UTC"
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start_hour: int = 9
    end_hour: int = 17
    holidays: frozenset[date] = frozenset()

    @classmethod
    def of(cls, row: BusinessCalendar) -> Calendar:
        days = frozenset(int(d) for d in row.working_days.split(",") if d.strip().isdigit())
        holidays = set()
        for h in row.holidays or []:
            try:
                holidays.add(date.fromisoformat(str(h)))
            except ValueError:
                continue
        return cls(row.time_zone, days, row.start_hour, row.end_hour, frozenset(holidays))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of a local date, in UTC; None on days off."""
        return _window(self, day)


@lru_cache(maxsize=65536)
def _window(cal: Calendar, day: date) -> tuple[datetime, datetime] | None:
    if day.weekday() not in cal.working_days or day in cal.holidays:
        return None
    zone = ZoneInfo(cal.time_zone)
    start = datetime.combine(day, time(cal.start_hour), tzinfo=zone)
    end = (
        datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        if cal.end_hour >= 24
        else datetime.combine(day, time(cal.end_hour), tzinfo=zone)
    )
    return start.astimezone(UTC), end.astimezone(UTC)


def working_seconds_slow(cal: Calendar | None, a: datetime, b: datetime) -> float:
    """Working time between a and b, day by day (reference implementation for tests)."""
    a, b = _utc(a), _utc(b)
    if b <= a:
        return 0.0
    if cal is None:
        return (b - a).total_seconds()
    zone = cal.zone
    day = a.astimezone(zone).date() - timedelta(days=1)
    last = b.astimezone(zone).date()
    total = 0.0
    while day <= last:
        win = cal.window(day)
        if win is not None:
            lo, hi = max(win[0], a), min(win[1], b)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total


def add_working_slow(cal: Calendar | None, start: datetime, seconds: float) -> datetime:
    """Day by day (reference implementation for tests)."""
    start = _utc(start)
    if cal is None:
        return start + timedelta(seconds=seconds)
    if not cal.working_days:
        raise ValueError("calendar has no working days")
    zone = cal.zone
    day = start.astimezone(zone).date() - timedelta(days=1)
    left = float(seconds)
    for _ in range(MAX_SCAN_DAYS + int(seconds // 3600) + 2):
        win = cal.window(day)
        if win is not None:
            lo, hi = max(win[0], start), win[1]
            if hi > lo:
                span = (hi - lo).total_seconds()
                if left <= span:
                    return lo + timedelta(seconds=left)
                left -= span
        day += timedelta(days=1)
    raise ValueError("no working time found within the scan horizon")


class _Index:
    """Cumulative working seconds per local day from EPOCH_DAY, extended lazily: working time
    between two instants is a difference of two lookups, a due date a bisection."""

    def __init__(self, cal: Calendar):
        self.cal = cal
        self.prefix = [0.0]  # prefix[i]: working seconds before local day EPOCH_DAY + i
        self.lock = threading.Lock()

    def _ensure(self, index: int) -> None:
        if index + 1 < len(self.prefix):
            return
        with self.lock:
            target = index + 367
            while len(self.prefix) <= target:
                day = EPOCH_DAY + timedelta(days=len(self.prefix) - 1)
                win = _window(self.cal, day)
                span = (win[1] - win[0]).total_seconds() if win else 0.0
                self.prefix.append(self.prefix[-1] + span)

    def cum(self, t: datetime) -> float:
        day = t.astimezone(ZoneInfo(self.cal.time_zone)).date()
        i = (day - EPOCH_DAY).days
        self._ensure(i)
        total = self.prefix[i]
        win = _window(self.cal, day)
        if win is not None and t > win[0]:
            total += (min(t, win[1]) - win[0]).total_seconds()
        return total

    def at(self, target: float) -> datetime:
        """The earliest instant whose cumulative working time is `target` (> 0)."""
        while self.prefix[-1] < target:
            self._ensure(len(self.prefix) + 365)
        j = bisect.bisect_left(self.prefix, target) - 1
        win = _window(self.cal, EPOCH_DAY + timedelta(days=j))
        assert win is not None
        return win[0] + timedelta(seconds=target - self.prefix[j])


EPOCH_DAY = date(2000, 1, 1)


@lru_cache(maxsize=64)
def _index(cal: Calendar) -> _Index:
    return _Index(cal)


def _fast_ok(cal: Calendar, *times: datetime) -> bool:
    return bool(cal.working_days) and all(
        t.astimezone(ZoneInfo(cal.time_zone)).date() > EPOCH_DAY for t in times
    )


def working_seconds(cal: Calendar | None, a: datetime, b: datetime) -> float:
    """Working time between a and b (0 when b <= a)."""
    a, b = _utc(a), _utc(b)
    if b <= a:
        return 0.0
    if cal is None:
        return (b - a).total_seconds()
    if not _fast_ok(cal, a):
        return working_seconds_slow(cal, a, b)
    idx = _index(cal)
    return idx.cum(b) - idx.cum(a)


def add_working(cal: Calendar | None, start: datetime, seconds: float) -> datetime:
    """The instant when `seconds` of working time have passed after `start`."""
    start = _utc(start)
    if cal is None:
        return start + timedelta(seconds=seconds)
    if not cal.working_days:
        raise ValueError("calendar has no working days")
    if not _fast_ok(cal, start) or seconds > MAX_TARGET_MINUTES * 60 * 4:
        return add_working_slow(cal, start, seconds)
    if seconds <= 0:
        return start
    idx = _index(cal)
    return max(start, idx.at(idx.cum(start) + seconds))


# --- the clock log ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    first_response_minutes: int
    resolution_minutes: int
    calendar: Calendar | None


def _pauses(
    events: Sequence[SlaClockEvent],
) -> tuple[datetime | None, list[tuple[datetime, datetime | None]]]:
    """(start, stop intervals) from a ticket's log; an open interval has end None."""
    start: datetime | None = None
    pauses: list[tuple[datetime, datetime | None]] = []
    open_at: datetime | None = None
    for e in events:
        at = _utc(e.at)
        if e.kind == "start" and start is None:
            start = at
        elif e.kind in ("pause", "resolved") and open_at is None:
            open_at = at
        elif e.kind == "resume" and open_at is not None:
            pauses.append((open_at, at))
            open_at = None
    if open_at is not None:
        pauses.append((open_at, None))
    return start, pauses


def due_after(
    cal: Calendar | None,
    start: datetime,
    minutes: int,
    pauses: Sequence[tuple[datetime, datetime | None]],
    paused_at: datetime | None = None,
) -> datetime:
    """When `minutes` of (working) clock time have run after `start`, skipping the pauses.

    An open pause (end None) is treated as ending at `paused_at`'s resume = now-independent: the
    due date is computed as if the clock resumed right at the pause (remaining time frozen).
    """
    cursor = _utc(start)
    left = minutes * 60.0
    for p_start, p_end in sorted(pauses, key=lambda p: p[0]):
        ran = working_seconds(cal, cursor, p_start)
        if ran >= left:
            return add_working(cal, cursor, left)
        left -= ran
        if p_end is None:
            return add_working(cal, _utc(p_start), left)
        cursor = max(cursor, _utc(p_end))
    return add_working(cal, cursor, left)


def _calendars(session: Session, ids: Iterable[int | None]) -> dict[int, Calendar]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(BusinessCalendar).where(col(BusinessCalendar.id).in_(wanted))).all()
    return {r.id: Calendar.of(r) for r in rows if r.id is not None}


def policy_calendar(session: Session, policy: SlaPolicy) -> Calendar | None:
    if not policy.business_hours:
        return None
    if policy.calendar_id is None:
        return Calendar()
    return _calendars(session, [policy.calendar_id]).get(policy.calendar_id, Calendar())


def _cal_for(policy: SlaPolicy, calendars: dict[int, Calendar]) -> Calendar | None:
    if not policy.business_hours:
        return None
    if policy.calendar_id is None:
        return Calendar()
    return calendars.get(policy.calendar_id, Calendar())


def match_policy(session: Session, ticket: Ticket) -> SlaPolicy | None:
    """The most specific policy for the priority (category+team > category > team > any);
    among equally specific ones the newest."""
    rows = session.exec(select(SlaPolicy).where(SlaPolicy.priority == ticket.priority)).all()
    fits = [
        p
        for p in rows
        if p.category_id in (None, ticket.category_id) and p.team_id in (None, ticket.team_id)
    ]
    if not fits:
        return None
    return max(
        fits,
        # Equally specific: the newest policy wins.
        key=lambda p: (p.category_id is not None, p.team_id is not None, p.id or 0),
    )


def _log(session: Session, ticket_id: int, kind: str, at: datetime, target=None, detail="") -> None:
    session.add(
        SlaClockEvent(ticket_id=ticket_id, kind=kind, target=target, at=at, detail=detail[:300])
    )


def _events(session: Session, ticket_id: int) -> list[SlaClockEvent]:
    return list(
        session.exec(
            select(SlaClockEvent)
            .where(SlaClockEvent.ticket_id == ticket_id)
            .order_by(col(SlaClockEvent.at), col(SlaClockEvent.id))
        ).all()
    )


def _targets_text(policy: SlaPolicy) -> str:
    kind, b = ("business", True) if policy.business_hours else ("calendar", False)
    return (
        f"{policy.name}: first response {format_minutes(policy.first_response_minutes, b)}, "
        f"resolution {format_minutes(policy.resolution_minutes, b)} ({kind} hours)"
    )


def _apply_dues(session: Session, ticket: Ticket, policy: SlaPolicy | None) -> None:
    """Set the due dates from the policy and the log (start + pauses)."""
    assert ticket.id is not None
    session.flush()
    start, pauses = _pauses(_events(session, ticket.id))
    ticket.sla_policy_id = policy.id if policy else None
    if policy is None or start is None:
        ticket.first_response_due_at = None
        ticket.due_at = None
        return
    cal = policy_calendar(session, policy)
    ticket.first_response_due_at = due_after(cal, start, policy.first_response_minutes, pauses)
    ticket.due_at = due_after(cal, start, policy.resolution_minutes, pauses)


def on_created(session: Session, ticket: Ticket) -> None:
    """Start the clock (hook from tickets.create_ticket)."""
    assert ticket.id is not None
    now = clock.now()
    policy = match_policy(session, ticket)
    _log(
        session,
        ticket.id,
        "start",
        now,
        detail=_targets_text(policy) if policy else "No SLA policy",
    )
    _apply_dues(session, ticket, policy)
    session.add(ticket)


def on_status_change(
    session: Session, ticket: Ticket, old: str, new: str, at: datetime | None = None
) -> None:
    """Pause, stop or resume the clock (hook from tickets.apply_status)."""
    assert ticket.id is not None
    was_running = old not in PAUSED_STATUSES and old not in STOPPED_STATUSES
    runs = new not in PAUSED_STATUSES and new not in STOPPED_STATUSES
    now = at or clock.now()
    if was_running and not runs:
        if new in STOPPED_STATUSES:
            _log(session, ticket.id, "resolved", now, detail=f"Status {new}")
        else:
            _log(session, ticket.id, "pause", now, detail="Waiting on requester")
        ticket.sla_paused_at = now
    elif runs and not was_running:
        _log(session, ticket.id, "resume", now, detail=f"Status {new}")
        ticket.sla_paused_at = None
        policy = session.get(SlaPolicy, ticket.sla_policy_id) if ticket.sla_policy_id else None
        _apply_dues(session, ticket, policy)
    elif old in PAUSED_STATUSES and new in STOPPED_STATUSES:
        _log(session, ticket.id, "resolved", now, detail=f"Status {new}")
    session.add(ticket)


def on_first_response(session: Session, ticket_id: int, at: datetime | None = None) -> None:
    """The first public agent reply (hook from tickets.add_comment)."""
    _log(session, ticket_id, "first_response_met", at or clock.now(), SlaTarget.FIRST_RESPONSE)


def backfill(session: Session) -> int:
    """Start clocks for tickets that have none (demo data, tickets from before SLA existed) by
    replaying their status history. Returns the number of tickets done."""
    from ticketapp.models import TicketEvent

    started = select(SlaClockEvent.ticket_id).where(SlaClockEvent.kind == "start")
    rows = session.exec(
        select(Ticket).where(col(Ticket.id).not_in(started)).order_by(col(Ticket.id))
    ).all()
    if not rows:
        return 0
    ids = [t.id for t in rows]
    changes: dict[int, list[TicketEvent]] = {}
    for e in session.exec(
        select(TicketEvent)
        .where(col(TicketEvent.ticket_id).in_(ids), TicketEvent.kind == "status_changed")
        .order_by(col(TicketEvent.created_at), col(TicketEvent.id))
    ):
        changes.setdefault(e.ticket_id, []).append(e)
    for t in rows:
        assert t.id is not None
        policy = match_policy(session, t)
        created = _utc(t.created_at)
        detail = _targets_text(policy) if policy else "No SLA policy"
        _log(session, t.id, "start", created, detail=detail)
        if t.first_response_at is not None:
            on_first_response(session, t.id, _utc(t.first_response_at))
        for e in changes.get(t.id, []):
            on_status_change(session, t, e.old_value or "", e.new_value or "", _utc(e.created_at))
        _apply_dues(session, t, policy)
        session.add(t)
    session.flush()
    return len(rows)


def recompute(session: Session, ticket: Ticket, reason: str = "Priority changed") -> None:
    """Targets from the ticket's start with the pauses kept (priority/category/team change)."""
    assert ticket.id is not None
    policy = match_policy(session, ticket)
    if policy is None and ticket.sla_policy_id is None:
        return
    detail = f"{reason}: " + (_targets_text(policy) if policy else "no SLA policy")
    _log(session, ticket.id, "recomputed", clock.now(), detail=detail)
    if not any(e.kind == "start" for e in _events(session, ticket.id)):
        _log(session, ticket.id, "start", _utc(ticket.created_at), detail="Started at creation")
    _apply_dues(session, ticket, policy)
    session.add(ticket)


# --- remaining time and state (bulk) ---------------------------------------------------------


@dataclass(frozen=True)
class SlaState:
    ticket_id: int
    target: str  # which target the badge is about
    state: str  # "ok" | "warning" | "breached" | "paused" | "met" | "none"
    due_at: datetime | None
    remaining_seconds: float  # working seconds; negative when breached
    elapsed_share: float  # 0..1+ of the target used
    label: str  # e.g. "2h 10m left", "Breached 15m ago", "Paused · 3h left"


def format_minutes(minutes: float, business: bool = False) -> str:
    """ "1d 2h", "45m"; business time in hours only ("24h" = three 8-hour days)."""
    minutes = int(round(abs(minutes)))
    days, rest = divmod(minutes, 24 * 60) if not business else (0, minutes)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days}d")
    if hours:
        parts.append(f"{hours}h")
    if mins or not parts:
        parts.append(f"{mins}m")
    return " ".join(parts[:2])


def _state_for(ticket: Ticket, policy: SlaPolicy, cal: Calendar | None, now: datetime) -> SlaState:
    assert ticket.id is not None
    stopped = ticket.status in STOPPED_STATUSES
    fr_open = ticket.first_response_at is None and ticket.first_response_due_at is not None
    if fr_open and not stopped:
        target, due, minutes = (
            SlaTarget.FIRST_RESPONSE,
            ticket.first_response_due_at,
            policy.first_response_minutes,
        )
    else:
        target, due, minutes = SlaTarget.RESOLUTION, ticket.due_at, policy.resolution_minutes
    if due is None:
        return SlaState(ticket.id, target, "none", None, 0.0, 0.0, "")
    due = _utc(due)
    total = max(minutes * 60.0, 1.0)
    if stopped:
        at = _utc(ticket.sla_paused_at or ticket.resolved_at or now)
        met = at <= due
        return SlaState(
            ticket.id,
            target,
            "met" if met else "breached",
            due,
            0.0,
            0.0,
            "Met" if met else "Missed",
        )
    ref = _utc(ticket.sla_paused_at) if ticket.sla_paused_at else now
    if ref >= due:
        late = working_seconds(cal, due, ref)
        share = 1.0 + late / total
        return SlaState(
            ticket.id,
            target,
            "breached",
            due,
            -late,
            share,
            # "ago" in wall-clock time: a breach at 17:00 is "7h ago" at midnight.
            f"Breached {format_minutes((ref - due).total_seconds() / 60)} ago"
            if not ticket.sla_paused_at
            else "Breached · paused",
        )
    left = working_seconds(cal, ref, due)
    share = 1.0 - left / total
    what = "to respond" if target == SlaTarget.FIRST_RESPONSE else "left"
    if ticket.sla_paused_at:
        return SlaState(
            ticket.id,
            target,
            "paused",
            due,
            left,
            share,
            f"Paused · {format_minutes(left / 60, cal is not None)} {what}",
        )
    state = "warning" if left <= WARNING_SHARE * total else "ok"
    return SlaState(
        ticket.id,
        target,
        state,
        due,
        left,
        share,
        f"{format_minutes(left / 60, cal is not None)} {what}",
    )


def sla_states(
    session: Session, tickets: Sequence[Ticket], now: datetime | None = None
) -> dict[int, SlaState]:
    """Remaining time and state for many tickets: two queries in all (policies, calendars)."""
    now = now or clock.now()
    policy_ids = {t.sla_policy_id for t in tickets if t.sla_policy_id is not None}
    if not policy_ids:
        return {}
    policies = {
        p.id: p for p in session.exec(select(SlaPolicy).where(col(SlaPolicy.id).in_(policy_ids)))
    }
    calendars = _calendars(session, [p.calendar_id for p in policies.values()])
    out: dict[int, SlaState] = {}
    for t in tickets:
        policy = policies.get(t.sla_policy_id) if t.sla_policy_id else None
        if policy is None or t.id is None:
            continue
        out[t.id] = _state_for(t, policy, _cal_for(policy, calendars), now)
    return out


def sla_states_for_ids(
    session: Session, ticket_ids: Iterable[int], now: datetime | None = None
) -> dict[int, SlaState]:
    ids = list({int(i) for i in ticket_ids})
    if not ids:
        return {}
    rows = session.exec(select(Ticket).where(col(Ticket.id).in_(ids))).all()
    return sla_states(session, rows, now)


def target_progress(
    ticket: Ticket, policy: SlaPolicy, cal: Calendar | None, target: str, now: datetime
) -> tuple[float, datetime | None]:
    """(share of the target used, due) for one target; share -1 when met/not applicable."""
    if target == SlaTarget.FIRST_RESPONSE:
        if ticket.first_response_at is not None or ticket.first_response_due_at is None:
            return -1.0, None
        due, minutes = _utc(ticket.first_response_due_at), policy.first_response_minutes
    else:
        if ticket.due_at is None or ticket.status in STOPPED_STATUSES:
            return -1.0, None
        due, minutes = _utc(ticket.due_at), policy.resolution_minutes
    ref = _utc(ticket.sla_paused_at) if ticket.sla_paused_at else now
    total = max(minutes * 60.0, 1.0)
    if ref >= due:
        return 1.0 + working_seconds(cal, due, ref) / total, due
    return 1.0 - working_seconds(cal, ref, due) / total, due


# --- the ticket page -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockEventView:
    at: datetime
    label: str
    target: str
    detail: str


@dataclass(frozen=True)
class ClockView:
    policy_name: str
    state: SlaState | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    events: list[ClockEventView]


def clock_view(session: Session, actor: Actor, ticket_id: int) -> ClockView:
    """The SLA clock and its log for the ticket page (staff only)."""
    require_staff(actor)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound("That ticket does not exist.")
    policy = session.get(SlaPolicy, ticket.sla_policy_id) if ticket.sla_policy_id else None
    state = sla_states(session, [ticket]).get(ticket_id)
    events = [
        ClockEventView(
            at=_utc(e.at),
            label=CLOCK_LABELS.get(e.kind, e.kind),
            target=TARGET_LABELS.get(e.target or "", "") if e.target else "",  # type: ignore[call-overload]
            detail=e.detail,
        )
        for e in _events(session, ticket_id)
    ]
    return ClockView(
        policy_name=policy.name if policy else "",
        state=state,
        first_response_due_at=ticket.first_response_due_at,
        resolution_due_at=ticket.due_at,
        events=events,
    )


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


def _opt_id(value: object, field_name: str, model: type, session: Session, what: str) -> int | None:
    if value in (None, "", "none", 0, "0"):
        return None
    try:
        obj_id = int(str(value))
    except ValueError:
        raise ValidationError(f"Choose a {what}.", field_name) from None
    if not (0 < obj_id < 2**31) or session.get(model, obj_id) is None:
        raise ValidationError(f"That {what} does not exist.", field_name)
    return obj_id


def _minutes(value: object, field_name: str, label: str) -> int:
    try:
        minutes = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"{label}: enter a whole number of minutes.", field_name) from None
    if not 1 <= minutes <= MAX_TARGET_MINUTES:
        raise ValidationError(f"{label}: between 1 minute and 365 days.", field_name)
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
            lambda: _minutes(
                data.get("first_response_minutes"), "first_response_minutes", "First response"
            ),
        ),
        (
            "resolution_minutes",
            lambda: _minutes(data.get("resolution_minutes"), "resolution_minutes", "Resolution"),
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
        fr = _minutes(data.get("first_response_minutes"), "first_response_minutes", "")
        rs = _minutes(data.get("resolution_minutes"), "resolution_minutes", "")
        if fr > rs:
            errors["first_response_minutes"] = "First response must not be longer than resolution."
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
            data.get("first_response_minutes"), "first_response_minutes", "First response"
        ),
        "resolution_minutes": _minutes(
            data.get("resolution_minutes"), "resolution_minutes", "Resolution"
        ),
        "business_hours": data.get("business_hours") in (True, "true", "on", "1", 1),
        "calendar_id": _opt_id(
            data.get("calendar_id"), "calendar_id", BusinessCalendar, session, "calendar"
        ),
    }


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
        recompute(session, t, "Policy changed")
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
        errors["name"] = "Give the calendar a name."
    elif len(name) > 80:
        errors["name"] = "Keep the name under 80 characters."
    tz = str(data.get("time_zone") or "").strip()
    try:
        if not tz or tz not in _zones():
            raise ZoneInfoNotFoundError
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = "Enter a time zone such as Europe/Berlin or UTC."
    days = _days(data.get("working_days"))
    if not days:
        errors["working_days"] = "Pick at least one working day."
    try:
        start, end = int(str(data.get("start_hour"))), int(str(data.get("end_hour")))
        if not (0 <= start < end <= 24):
            errors["end_hour"] = "Working hours: start before end, between 0 and 24."
    except ValueError:
        errors["end_hour"] = "Working hours: whole hours between 0 and 24."
    for h in _holiday_strings(data.get("holidays")):
        try:
            date.fromisoformat(h)
        except ValueError:
            errors["holidays"] = f"{h!r} is not a date (use YYYY-MM-DD, one per line)."
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


# --- rates (for analytics) -------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRate:
    met: int
    breached: int

    @property
    def rate(self) -> float | None:
        """Share met among decided tickets (None when nothing is decided yet)."""
        total = self.met + self.breached
        return self.met / total if total else None


@dataclass(frozen=True)
class SlaRates:
    first_response: TargetRate
    resolution: TargetRate


def sla_rates(
    session: Session, actor: Actor, since: datetime | None = None, now: datetime | None = None
) -> SlaRates:
    """Met/breached counts per target for tickets with an SLA filed since `since` (staff)."""
    require_staff(actor)
    conditions = [] if since is None else [col(Ticket.created_at) >= since]
    return rate_counts(session, now or clock.now(), conditions)


def rate_counts(session: Session, now: datetime, conditions: list) -> SlaRates:
    """Met/breached counts per target over the tickets with an SLA matching `conditions`
    (no permission check: for sla_rates and the managers' analytics).

    First response: met when answered by its due date; breached when answered late or still
    unanswered past it. Resolution: met when resolved by its due date; breached when resolved
    late or still open past it (a paused ticket counts by where its clock stopped).
    """
    from sqlalchemy import and_, case, func, or_

    stopped = [s.value for s in STOPPED_STATUSES]
    fr_due, fr_at = col(Ticket.first_response_due_at), col(Ticket.first_response_at)
    due, paused = col(Ticket.due_at), col(Ticket.sla_paused_at)
    is_stopped = col(Ticket.status).in_(stopped)
    stop_at = func.coalesce(paused, col(Ticket.resolved_at))

    def count(cond):
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    stmt = select(
        count(and_(fr_due.is_not(None), fr_at.is_not(None), fr_at <= fr_due)),
        count(
            and_(
                fr_due.is_not(None),
                or_(and_(fr_at.is_not(None), fr_at > fr_due), and_(fr_at.is_(None), fr_due < now)),
            )
        ),
        count(and_(due.is_not(None), is_stopped, stop_at <= due)),
        count(
            and_(
                due.is_not(None),
                or_(
                    and_(is_stopped, stop_at > due),
                    and_(~is_stopped, func.coalesce(paused, now) > due),
                ),
            )
        ),
    ).where(col(Ticket.sla_policy_id).is_not(None), col(Ticket.merged_into_id).is_(None))
    stmt = stmt.where(*conditions)
    fm, fb, rm, rb = session.exec(stmt).one()
    return SlaRates(TargetRate(int(fm), int(fb)), TargetRate(int(rm), int(rb)))
