"""The filters above the dashboard: period (or a custom range), team, category, channel; CSV
download.

A change rewrites the URL (AnalyticsState.set_filter / apply_range), and on_load applies it.
"""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.models import CHANNEL_LABELS
from ticketapp.pages.analytics.state import AnalyticsState

S = AnalyticsState
CHANNEL_OPTIONS = [("any", t("Any channel"))] + [
    (c.value, t(lbl)) for c, lbl in CHANNEL_LABELS.items()
]
PERIOD_OPTIONS = [
    ("7", t("Last 7 days")),
    ("30", t("Last 30 days")),
    ("90", t("Last 90 days")),
    ("custom", t("Custom range")),
]


def _error(field: str) -> rx.Var[str]:
    return S.errors.get(field, "")


def _select(label: str, name: str, value, static: list[tuple[str, str]], dynamic=None):
    items = [rx.select.item(lbl, value=val) for val, lbl in static]
    if dynamic is not None:
        items.append(rx.foreach(dynamic, lambda o: rx.select.item(o["label"], value=o["value"])))
    field_id = f"filter-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font-size": "12px", "font-weight": "500"}),
        rx.select.root(
            rx.select.trigger(
                id=field_id,
                min_width="10em",
                aria_invalid=rx.cond(_error(name) != "", "true", "false"),
                aria_describedby=f"{field_id}-error",
            ),
            rx.select.content(*items),
            value=rx.cond(value == "", "any", value),
            on_change=lambda v: S.set_filter(name, v),
            size="2",
        ),
        field_error(_error(name), field_id),
        spacing="1",
    )


def _date(label: str, name: str, value) -> rx.Component:
    field_id = f"filter-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font-size": "12px", "font-weight": "500"}),
        rx.input(
            id=field_id,
            name=name,
            type="date",
            default_value=value,
            key=value,
            aria_invalid=rx.cond(_error(name) != "", "true", "false"),
            aria_describedby=f"{field_id}-error",
        ),
        field_error(_error(name), field_id),
        spacing="1",
    )


def filters_bar() -> rx.Component:
    return rx.flex(
        _select(t("Period"), "period", S.f_period, PERIOD_OPTIONS),
        rx.cond(
            S.f_period == "custom",
            rx.form(
                rx.flex(
                    _date(t("From"), "start", S.f_start),
                    _date(t("To"), "end", S.f_end),
                    rx.button(t("Apply"), type="submit"),
                    gap="3",
                    align="end",
                ),
                on_submit=S.apply_range,
                reset_on_submit=False,
                aria_label=t("Custom range"),
            ),
        ),
        _select(t("Team"), "team", S.f_team, [("any", t("Any team"))], S.team_options),
        _select(
            t("Category"),
            "category",
            S.f_category,
            [("any", t("Any category"))],
            S.category_options,
        ),
        _select(  # ORGS:
            t("Organisation"),
            "organisation",
            S.f_organisation,
            [("any", t("Any organisation"))],
            S.organisation_options,
        ),
        _select(t("Channel"), "channel", S.f_channel, CHANNEL_OPTIONS),
        rx.vstack(  # TAGS:
            rx.el.label(
                t("Tag"),
                html_for="analytics-tag",
                style={"font-size": "14px", "font-weight": "500"},
            ),
            rx.input(
                id="analytics-tag",
                value=S.f_tag,
                placeholder=t("e.g. vpn-outage"),
                on_change=lambda v: S.set_filter("tag", v),
                debounce_timeout=500,
                aria_invalid=rx.cond(_error("tag") != "", "true", "false"),
                aria_describedby="analytics-tag-error",
                width="10em",
            ),
            field_error(_error("tag"), "analytics-tag"),
            spacing="1",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("download", size=16),
            t("Download CSV"),
            variant="soft",
            on_click=S.download_csv,
        ),
        gap="3",
        wrap="wrap",
        align="end",
        width="100%",
    )
