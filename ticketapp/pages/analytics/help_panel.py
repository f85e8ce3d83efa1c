"""How the numbers are counted: services.analytics.DEFINITIONS as a definition list."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.analytics.state import AnalyticsState
from ticketapp.services import analytics


def _definition(term: str, text: str) -> rx.Component:
    """One definition; `term` and `text` are msgids ({tz}: the team's time zone)."""
    return rx.fragment(
        rx.el.dt(t(term), style={"font-weight": "600", "margin-top": "0.6em"}),
        rx.el.dd(t(text, tz=AnalyticsState.timezone), style={"margin-left": "0"}),
    )


def help_panel() -> rx.Component:
    return rx.el.details(
        rx.el.summary(
            t("How these numbers are counted"), style={"cursor": "pointer", "font-weight": "500"}
        ),
        rx.el.dl(
            *[_definition(term, text) for term, text in analytics.DEFINITIONS],
            style={"font-size": "14px", "line-height": "1.5"},
        ),
        style={
            "width": "100%",
            "padding": "0.75em 1em",
            "border": "1px solid var(--gray-a6)",
            "border-radius": "8px",
        },
    )
