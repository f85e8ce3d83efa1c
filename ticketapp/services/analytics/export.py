"""A dashboard's numbers as CSV (as shown), and as the plain dict the page keeps."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from ticketapp.services.analytics.dashboard import Dashboard

CHART_SECTIONS: list[tuple[str, str]] = [
    ("by_status", "Backlog by status"),
    ("by_priority", "Backlog by priority"),
    ("by_category", "Backlog by category"),
    ("by_type", "Backlog by type"),
    ("resolution_times", "Resolution time"),
    ("backlog_age", "Backlog age"),
]


def to_csv(data: Mapping[str, Any]) -> str:
    """The numbers behind a view, as shown (a Dashboard's fields, or the same as a dict)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "item", "value", "detail"])
    w.writerow(["period", "from", data.get("start", ""), ""])
    w.writerow(["period", "to", data.get("end", ""), ""])
    w.writerow(["period", "time zone", data.get("timezone", ""), ""])
    for k in data.get("kpis", []):
        w.writerow(["KPI", k["label"], k["value"], k["detail"]])
    for row in data.get("daily", []):
        w.writerow(["Created per day", row["day"], row["created"], ""])
        w.writerow(["Resolved per day", row["day"], row["resolved"], ""])
        avg = row.get("avg_rating")
        w.writerow(["Satisfaction per day", row["day"], "" if avg is None else avg, row["ratings"]])
    for key, title in CHART_SECTIONS:
        for row in data.get(key, []):
            w.writerow([title, row["name"], row["value"], ""])
    for row in data.get("workload", []):
        w.writerow(["Workload: open", row["name"], row["open"], ""])
        w.writerow(["Workload: resolved in period", row["name"], row["resolved"], ""])
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
