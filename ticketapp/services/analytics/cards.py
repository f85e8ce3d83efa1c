"""The KPI cards as shown: durations and rates formatted, in display order."""

from __future__ import annotations

from collections.abc import Mapping

from ticketapp.i18n import N_
from ticketapp.services.analytics.definitions import DAY, HOUR


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = max(0, int(round(seconds)))
    if s < HOUR:
        return f"{s // 60}m"
    if s < DAY:
        return f"{s // HOUR}h {s % HOUR // 60}m"
    return f"{s // DAY}d {s % DAY // HOUR}h"


def format_rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# KPI cards, in display order. Later features (SLA met/breached, ...) append theirs through
# EXTRA_KPIS: functions (metrics) -> list of cards, called after the built-in ones.
EXTRA_KPIS: list = []


def kpi_cards(m: Mapping[str, float | int | None]) -> list[dict[str, str]]:
    def card(key: str, label: str, value: str, detail: str = "") -> dict[str, str]:
        return {"key": key, "label": label, "value": value, "detail": detail}

    avg = m.get("avg_rating")
    cards = [
        card("backlog", N_("Open backlog"), str(m["backlog"]), N_("tickets not yet resolved")),
        card("created_today", N_("Created today"), str(m["created_today"])),
        card("resolved_today", N_("Resolved today"), str(m["resolved_today"])),
        card(
            "median_first_response",
            N_("Median first response"),
            format_duration(m["median_first_response"]),
            f"{m['answered']} answered, {m['unanswered']} not yet",
        ),
        card(
            "median_resolution",
            N_("Median resolution time"),
            format_duration(m["median_resolution"]),
            f"{m['resolved']} resolved in period",
        ),
        card(
            "overdue",
            N_("Overdue"),
            str(m["overdue"]),
            f"{format_rate(m['overdue_rate'])} of backlog",
        ),
        card(
            "satisfaction",
            N_("Average satisfaction"),
            "—" if avg is None else f"{float(avg):.2f} / 5",
            f"{m['ratings']} ratings",
        ),
        card(
            "deflections",
            N_("KB deflections"),
            str(m["deflections"]),
            N_("solved without a ticket"),
        ),
        card(
            "reopen_rate",
            N_("Reopen rate"),
            format_rate(m["reopen_rate"]),
            f"{m['reopened']} of {m['resolutions_for_reopen']} resolved tickets",
        ),
    ]
    # The labels are msgids: one dashboard serves every viewer, each page translates them.
    for key, label in (
        ("first", N_("First response SLA met")),
        ("resolution", N_("Resolution SLA met")),
    ):
        met, breached = m[f"sla_{key}_met"], m[f"sla_{key}_breached"]
        cards.append(
            card(
                f"sla_{key}",
                label,
                format_rate(ratio(met, met + breached)),
                f"{met} met, {breached} breached",
            )
        )
    for extra in EXTRA_KPIS:
        cards.extend(extra(m))
    return cards
