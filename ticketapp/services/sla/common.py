"""What the SLA parts share: which statuses pause or stop the clock, limits, labels."""

from __future__ import annotations

from datetime import UTC, datetime

from ticketapp import i18n
from ticketapp.i18n import N_
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
    "start": N_("Clock started"),
    "pause": N_("Clock paused"),
    "resume": N_("Clock resumed"),
    "first_response_met": N_("First response met"),
    "breached": N_("Target breached"),
    "resolved": N_("Clock stopped (resolved)"),
    "recomputed": N_("Targets recomputed"),
}
TARGET_LABELS = {
    SlaTarget.FIRST_RESPONSE: N_("First response"),
    SlaTarget.RESOLUTION: N_("Resolution"),
}


def utc(value: datetime) -> datetime:
    """Stored datetimes come back naive from some drivers: treat naive as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def format_minutes(minutes: float, business: bool = False) -> str:
    """ "1d 2h", "45m" in the current locale; business time in hours only ("24h" = three
    8-hour days)."""
    return i18n.duration(minutes, hours_only=business)
