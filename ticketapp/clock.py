"""The SLA clock's idea of "now", which tests can move forward; and the team's time zone.

- Unit tests: `set_now(dt)` / `advance(delta)` / `reset()` override it in-process.
- End-to-end tests: with TICKETAPP_TEST_CLOCK=1, the file named by TICKETAPP_CLOCK_FILE holds an
  offset in seconds (read on every call), so a test can move the running server's time forward.
  Without TICKETAPP_TEST_CLOCK=1 the file is ignored: production always uses the real time.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time

from ticketapp import i18n
from ticketapp.config import settings

_frozen: datetime | None = None
_offset = timedelta()


def _file_offset() -> timedelta:
    if os.environ.get("TICKETAPP_TEST_CLOCK") != "1":
        return timedelta()
    path = os.environ.get("TICKETAPP_CLOCK_FILE")
    if not path:
        return timedelta()
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read().strip()
        return timedelta(seconds=float(text or 0))
    except (OSError, ValueError):
        return timedelta()


def now() -> datetime:
    """Timezone-aware UTC now, as the SLA code sees it."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _offset + _file_offset()


def set_now(when: datetime) -> None:
    """Freeze the clock at `when` (tests)."""
    global _frozen
    if when.tzinfo is None:
        raise ValueError("set_now needs a timezone-aware datetime")
    _frozen = when.astimezone(UTC)


def advance(delta: timedelta) -> None:
    """Move the clock forward (frozen or not)."""
    global _frozen, _offset
    if _frozen is not None:
        _frozen = _frozen + delta
    else:
        _offset += delta


def reset() -> None:
    global _frozen, _offset
    _frozen = None
    _offset = timedelta()


def team_zone(name: str | None = None) -> ZoneInfo:
    """The team's time zone (TICKETAPP_TIMEZONE; UTC if unset or unknown)."""
    try:
        return ZoneInfo(name or settings.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_label(value: datetime | None) -> str:
    """A moment as the team reads it, in the current language (naive values are UTC):
    "Dec 1, 2026, 15:04 CET", "1 дек. 2026 г., 15:04 CET", "1 gru 2026, 15:04 CET"."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(team_zone())
    locale = i18n.current()
    day = format_date(local, "medium", locale=locale)
    return f"{day}, {format_time(local, 'HH:mm', locale=locale)} {local.tzname()}"
