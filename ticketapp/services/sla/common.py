"""What the SLA parts share: which statuses pause or stop the clock, limits, labels."""

from __future__ import annotations

from datetime import UTC, datetime

from ticketapp.models import (
    SlaTarget,
    TicketStatus,
)

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


def utc(value: datetime) -> datetime:
    """Stored datetimes come back naive from some drivers: treat naive as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
