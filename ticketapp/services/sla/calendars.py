"""Business calendars: working seconds between two moments and a moment plus working time,
in the calendar's time zone (zoneinfo, so DST is right) minus holidays; a slow reference walk
and a fast path over a precomputed index of working days."""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from ticketapp.models import (
    BusinessCalendar,
)
from ticketapp.services.sla.common import MAX_SCAN_DAYS, MAX_TARGET_MINUTES, utc

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
    a, b = utc(a), utc(b)
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
    start = utc(start)
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
    a, b = utc(a), utc(b)
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
    start = utc(start)
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
