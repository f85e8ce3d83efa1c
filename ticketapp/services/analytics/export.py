"""A dashboard's numbers as CSV (as shown), and as the plain dict the page keeps."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.services.analytics.dashboard import Dashboard

CHART_SECTIONS: list[tuple[str, str]] = [
    ("by_status", N_("Backlog by status")),
    ("by_priority", N_("Backlog by priority")),
    ("by_category", N_("Backlog by category")),
    ("by_type", N_("Backlog by type")),
    ("resolution_times", N_("Resolution time")),
    ("backlog_age", N_("Backlog age")),
]


def _text(value: object) -> str:
    """A dashboard text (a msgid or an `i18n.later()` text) in the current language."""
    text = str(value)
    return i18n.shown(text) if text.startswith(i18n.LATER_PREFIX) else i18n._(text)


def to_csv(data: Mapping[str, Any]) -> str:
    """The numbers behind a view, as shown (a Dashboard's fields, or the same as a dict), in
    the language of the event that downloads it; the first column's keys stay as they are."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "item", "value", "detail"])
    w.writerow(["period", "from", data.get("start", ""), ""])
    w.writerow(["period", "to", data.get("end", ""), ""])
    w.writerow(["period", "time zone", data.get("timezone", ""), ""])
    for name, value in data.get("filters", []):  # team, category, channel: as chosen
        w.writerow(["filter", name, value, ""])
    for k in data.get("kpis", []):
        w.writerow(["KPI", _text(k["label"]), _text(k["value"]), _text(k["detail"])])
    for row in data.get("daily", []):
        w.writerow(["Created per day", row["day"], row["created"], ""])
        w.writerow(["Resolved per day", row["day"], row["resolved"], ""])
        avg = row.get("avg_rating")
        w.writerow(["Satisfaction per day", row["day"], "" if avg is None else avg, row["ratings"]])
    for key, title in CHART_SECTIONS:
        for row in data.get(key, []):
            w.writerow([_text(title), _text(row["name"]), row["value"], ""])
    for row in data.get("workload", []):
        w.writerow(["Workload: open", _text(row["name"]), row["open"], ""])
        w.writerow(["Workload: resolved in period", _text(row["name"]), row["resolved"], ""])
    return out.getvalue()


def as_dict(d: Dashboard) -> dict[str, Any]:
    return {
        "kpis": d.kpis,
        "daily": d.daily,
        "by_status": d.by_status,
        "by_priority": d.by_priority,
        "by_category": d.by_category,
        "by_type": d.by_type,
        "resolution_times": d.resolution_times,
        "backlog_age": d.backlog_age,
        "workload": d.workload,
        "timezone": d.timezone,
        "start": d.start,
        "end": d.end,
        "computed_at": d.computed_at,
    }
