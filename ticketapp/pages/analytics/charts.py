"""The chart cards: each chart (rx.recharts) with the same rows as a table, its accessible form.

CHARTS lists them declaratively; `chart` draws one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import reflex as rx

from ticketapp.components.form_fields import VISUALLY_HIDDEN, table_caption
from ticketapp.components.i18n import t, t_rows
from ticketapp.pages.analytics.state import AnalyticsState


def _table(caption: str, headers: list[str], rows: rx.Var, cells) -> rx.Component:
    return rx.table.root(
        table_caption(caption),
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(
            rx.foreach(
                rows,
                lambda r: rx.table.row(
                    rx.table.row_header_cell(cells(r)[0]),
                    *[rx.table.cell(c) for c in cells(r)[1:]],
                ),
            )
        ),
        size="1",
        variant="surface",
    )


def chart_card(
    title: str, slug: str, chart: rx.Component, table: rx.Component, wide: bool = False
) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="3", as_="h2", id=f"chart-{slug}"),
            rx.box(chart, width="100%", height="240px", aria_hidden="true"),
            rx.el.details(
                rx.el.summary(
                    t("Show table"),
                    rx.el.span(f": {title}", style=VISUALLY_HIDDEN),
                    style={"cursor": "pointer", "font-size": "14px"},
                ),
                rx.box(table, padding_top="0.5em", overflow_x="auto"),
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        role="region",
        aria_labelledby=f"chart-{slug}",
        data_testid=f"chart-{slug}",
        grid_column="1 / -1" if wide else "auto",
    )


@dataclass(frozen=True)
class Series:
    key: str  # the data key in each row
    name: str  # legend and tooltip label
    color: str  # a Radix color scale
    extra: dict[str, Any] = field(default_factory=dict)  # more recharts props (lines)


@dataclass(frozen=True)
class Chart:
    """One chart card: the chart, and the same rows as a table (the accessible form)."""

    title: str
    slug: str
    rows: str  # the AnalyticsState var holding the rows
    series: tuple[Series, ...]
    headers: tuple[str, ...]  # the table's columns; the first one names the row
    cells: Callable[[Any], list]  # one row's cells, in `headers` order
    caption: str = ""  # the table's caption (default: the title)
    kind: Literal["bar", "line"] = "bar"
    x: str = "name"
    y_domain: tuple[int, int] | None = None  # None: whole numbers from 0
    legend: bool = False
    wide: bool = False


def _bars(title: str, slug: str, rows: str, color: str = "accent") -> Chart:
    """Tickets per group."""
    return Chart(
        title,
        slug,
        rows,
        (Series("value", t("Tickets"), color),),
        (t("Group"), t("Tickets")),
        lambda r: [r["name"], r["value"]],
    )


NO_LINE_DOTS = {"dot": False}
CHARTS = (
    Chart(
        t("Created vs resolved per day"),
        "daily",
        "daily",
        (
            Series("created", t("Created"), "accent", NO_LINE_DOTS),
            Series("resolved", t("Resolved"), "grass", NO_LINE_DOTS),
        ),
        (t("Day"), t("Created"), t("Resolved")),
        lambda r: [r["day"], r["created"], r["resolved"]],
        caption=t("Created and resolved per day"),
        kind="line",
        x="label",
        legend=True,
        wide=True,
    ),
    _bars(t("Backlog by status"), "status", "by_status"),
    _bars(t("Backlog by priority"), "priority", "by_priority", "orange"),
    _bars(t("Backlog by category"), "category", "by_category", "cyan"),
    _bars(t("Backlog by type"), "type", "by_type", "violet"),
    Chart(
        t("Workload per agent"),
        "workload",
        "workload",
        (Series("open", t("Open"), "accent"), Series("resolved", t("Resolved in period"), "grass")),
        (t("Agent"), t("Open"), t("Resolved in period")),
        lambda r: [r["name"], r["open"], r["resolved"]],
        legend=True,
    ),
    _bars(t("Resolution time"), "resolution", "resolution_times", "grass"),
    Chart(
        t("Satisfaction trend"),
        "satisfaction",
        "daily",
        (Series("avg_rating", t("Average rating"), "amber", {"connect_nulls": True}),),
        (t("Day"), t("Average rating"), t("Ratings")),
        lambda r: [
            r["day"],
            rx.cond(r["ratings"] > 0, r["avg_rating"].to_string(), "—"),
            r["ratings"],
        ],
        caption=t("Satisfaction per day"),
        kind="line",
        x="label",
        y_domain=(0, 5),
    ),
    _bars(t("Backlog age"), "age", "backlog_age", "tomato"),
)

NO_A11Y_LAYER = {"accessibilityLayer": False}  # the table view is the accessible form


def _axes(key: str, y_domain: tuple[int, int] | None) -> list[rx.Component]:
    y_scale = {"domain": list(y_domain)} if y_domain else {"allow_decimals": False}
    return [
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", stroke="var(--gray-a6)"),
        rx.recharts.x_axis(data_key=key, stroke="var(--gray-11)", font_size=12),
        rx.recharts.y_axis(**y_scale, stroke="var(--gray-11)", font_size=12, width=40),
        rx.recharts.graphing_tooltip(),
    ]


def _series(kind: str, s: Series) -> rx.Component:
    if kind == "bar":
        return rx.recharts.bar(
            data_key=s.key, name=s.name, fill=rx.color(s.color, 9), is_animation_active=False
        )
    return rx.recharts.line(
        data_key=s.key,
        name=s.name,
        stroke=rx.color(s.color, 9),
        stroke_width=2,
        **s.extra,
        is_animation_active=False,
    )


def chart(c: Chart) -> rx.Component:
    rows = t_rows(getattr(AnalyticsState, c.rows), key=c.x)  # the category names are msgids
    make = rx.recharts.bar_chart if c.kind == "bar" else rx.recharts.line_chart
    plot = make(
        *_axes(c.x, c.y_domain),
        *([rx.recharts.legend()] if c.legend else []),
        *[_series(c.kind, s) for s in c.series],
        data=rows,
        width="100%",
        height=240,
        custom_attrs=NO_A11Y_LAYER,
    )
    caption = c.title if isinstance(c.caption, str) and not c.caption else c.caption
    table = _table(caption, list(c.headers), rows, c.cells)
    return chart_card(c.title, c.slug, plot, table, wide=c.wide)
