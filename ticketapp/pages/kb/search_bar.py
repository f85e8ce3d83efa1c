"""The search box (results as you type) and the category select."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import select_control
from ticketapp.pages.kb.state import KbState


def search_bar() -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.el.label(
                t("Search the knowledge base"),
                html_for="kb-search",
                style={"font-weight": "500", "font-size": "14px"},
            ),
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                rx.cond(
                    KbState.searching,
                    rx.input.slot(rx.spinner(size="1"), side="right"),
                ),
                id="kb-search",
                type="search",
                placeholder=t("e.g. printer offline, reset password"),
                default_value=KbState.query,
                on_change=KbState.set_query.debounce(250),
                auto_complete="off",
                size="3",
                width="100%",
            ),
            flex="1",
        ),
        rx.box(
            rx.el.label(
                t("Category"),
                html_for="kb-category",
                style={"font-weight": "500", "font-size": "14px", "display": "block"},
            ),
            select_control(
                KbState.category_options,
                KbState.category,
                KbState.set_category,
                trigger_id="kb-category",
                size="3",
            ),
        ),
        align="end",
        spacing="3",
        width="100%",
        wrap="wrap",
    )
