"""kb_page: the intro (and New article for staff), the search bar, then results or the overview."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.kb.overview import overview_view
from ticketapp.pages.kb.results import results
from ticketapp.pages.kb.search_bar import search_bar
from ticketapp.pages.kb.state import KbState
from ticketapp.state import SIGNED_IN, SessionState


def kb_page() -> rx.Component:
    return page_frame(
        rx.hstack(
            rx.text(
                t("Answers to common questions. Type a few words; results appear as you type."),
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.cond(
                SessionState.is_staff,
                rx.button(
                    rx.icon("plus", size=16), t("New article"), on_click=rx.redirect("/kb/new")
                ),
            ),
            width="100%",
            align="center",
        ),
        search_bar(),
        rx.cond(
            KbState.loading,
            rx.center(rx.spinner(size="3"), width="100%", aria_label=t("Loading")),
            rx.cond(KbState.has_query, results(), overview_view()),
        ),
        title=t("Knowledge base"),
        roles=SIGNED_IN,
    )
