"""The key numbers: one card per KPI (services.analytics, extra ones from EXTRA_KPIS)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import VISUALLY_HIDDEN
from ticketapp.components.i18n import t, t_later, t_var
from ticketapp.pages.analytics.grid import auto_grid
from ticketapp.pages.analytics.state import AnalyticsState
from ticketapp.pages.analytics.view_model import Kpi


def kpi_card(k: rx.Var[Kpi]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(
                t_var(k["label"]), size="2", color_scheme="gray", as_="p", id="kpi-" + k["key"]
            ),
            rx.text(
                t_later(k["value"]),
                size="7",
                weight="bold",
                as_="p",
                data_testid="kpi-value-" + k["key"],
            ),
            rx.text(t_later(k["detail"]), size="1", color_scheme="gray", as_="p"),
            spacing="1",
        ),
        role="group",
        aria_labelledby="kpi-" + k["key"],
        data_testid="kpi-" + k["key"],
    )


def kpi_grid() -> rx.Component:
    # Extra cards (SLA met/breached, ...) come from services.analytics.EXTRA_KPIS.
    return rx.el.section(
        rx.heading(t("Key numbers"), size="4", as_="h2", style=VISUALLY_HIDDEN),
        auto_grid(rx.foreach(AnalyticsState.kpis, kpi_card), min_width="13em"),
        aria_label=t("Key numbers"),
        style={"width": "100%"},
    )
