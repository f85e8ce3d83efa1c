"""analytics_page: the live status line, filters, help, key numbers and chart cards."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.analytics.charts import CHARTS, chart
from ticketapp.pages.analytics.filters import filters_bar
from ticketapp.pages.analytics.grid import auto_grid
from ticketapp.pages.analytics.help_panel import help_panel
from ticketapp.pages.analytics.kpis import kpi_grid
from ticketapp.pages.analytics.state import AnalyticsState
from ticketapp.pages.canned.usage_card import canned_usage_card
from ticketapp.state import MANAGERS

S = AnalyticsState


def analytics_page() -> rx.Component:
    return page_frame(
        rx.text(
            t("Live: updates within seconds as tickets are filed, moved, answered and rated."),
            " ",
            rx.el.span(
                t(
                    "{start} to {end} · {zone} · updated {at}",
                    start=S.start,
                    end=S.end,
                    zone=S.timezone,
                    at=S.computed_at,
                )
            ),
            size="2",
            color_scheme="gray",
            role="status",
            aria_live="off",
        ),
        filters_bar(),
        help_panel(),
        rx.cond(
            S.loading,
            rx.center(rx.spinner(size="3"), aria_label=t("Loading analytics"), padding="3em"),
            rx.vstack(
                kpi_grid(),
                auto_grid(
                    *[chart(c) for c in CHARTS],
                    canned_usage_card(),
                    min_width="30em",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title=t("Analytics"),
        roles=MANAGERS,
        wide=True,
    )
