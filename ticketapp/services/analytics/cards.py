"""The KPI cards, in display order.

One dashboard serves viewers of every language (the live refresh computes it once per filter
set), so a card's text is language-neutral: labels are msgids, values and details are
`i18n.later()` texts (a message with its numbers, a duration, a rate) that each viewer's
browser translates and formats (`components.i18n.t_later`); `i18n.shown` does it on the server
(the CSV export)."""

from __future__ import annotations

from collections.abc import Mapping

from ticketapp import i18n
from ticketapp.i18n import N_


def format_duration(seconds: float | None) -> str:
    """A stored duration ("2d 4h" for the reader), or "—"."""
    if seconds is None:
        return "—"
    return i18n.later_value(i18n.later_duration(max(0.0, seconds) / 60))


def format_rate(value: float | None) -> str:
    """A stored rate ("12.3%" for the reader), or "—"."""
    return "—" if value is None else i18n.later_value(i18n.later_percent(value))


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
            i18n.later(
                "{answered} answered, {unanswered} not yet",
                answered=m["answered"],
                unanswered=m["unanswered"],
            ),
        ),
        card(
            "median_resolution",
            N_("Median resolution time"),
            format_duration(m["median_resolution"]),
            i18n.later_n(
                "{n} resolved in period", "{n} resolved in period", int(m["resolved"] or 0)
            ),
        ),
        card(
            "overdue",
            N_("Overdue"),
            str(m["overdue"]),
            i18n.later("{rate} of backlog", rate=format_rate(m["overdue_rate"])),
        ),
        card(
            "satisfaction",
            N_("Average satisfaction"),
            "—" if avg is None else i18n.later("{avg} / 5", avg=i18n.later_number(float(avg), 2)),
            i18n.later_n("{n} rating", "{n} ratings", int(m["ratings"] or 0)),
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
            i18n.later_n(
                "{reopened} of {n} resolved ticket",
                "{reopened} of {n} resolved tickets",
                int(m["resolutions_for_reopen"] or 0),
                reopened=m["reopened"],
            ),
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
                i18n.later("{met} met, {breached} breached", met=met, breached=breached),
            )
        )
    for extra in EXTRA_KPIS:
        cards.extend(extra(m))
    return cards
