"""The column chooser of the ticket list: which optional columns show, remembered per user on
the server (services/preferences.py)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.tickets_list.state import TicketsListState
from ticketapp.services.preferences import LIST_COLUMNS

S = TicketsListState


def shown(column: str) -> rx.Var[bool]:
    return S.columns.contains(column)


def when_shown(column: str, cell: rx.Component) -> rx.Component:
    """`cell`, if the user shows `column`."""
    return rx.cond(shown(column), cell)


def _choice(column: str, label: str) -> rx.Component:
    return rx.checkbox(
        t(label),
        checked=shown(column),
        on_change=lambda checked: S.show_column(column, checked),
    )


def column_chooser() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("columns-3", size=16, aria_hidden="true"),
                t("Columns"),
                variant="soft",
                color_scheme="gray",
                type="button",
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.heading(t("Columns to show"), size="2", as_="h2", id="columns-heading"),
                rx.text(t("Number and title are always shown."), size="1", color_scheme="gray"),
                rx.vstack(
                    *[_choice(column, label) for column, label in LIST_COLUMNS.items()],
                    spacing="2",
                    role="group",
                    aria_labelledby="columns-heading",
                ),
                rx.button(
                    t("Reset to default"),
                    variant="ghost",
                    size="1",
                    type="button",
                    on_click=S.reset_columns,
                ),
                spacing="3",
            ),
            aria_label=t("Columns to show"),
        ),
    )
