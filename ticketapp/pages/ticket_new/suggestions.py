"""Deflection: the knowledge-base articles suggested beside the form as the user types."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import VISUALLY_HIDDEN
from ticketapp.components.i18n import t, tn
from ticketapp.pages.ticket_new.state import TicketNewState
from ticketapp.pages.ticket_new.view_model import Suggestion

S = TicketNewState


def _suggestion(s: rx.Var[Suggestion]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.button(
                    rx.html(s["title_html"]),
                    type="button",
                    variant="ghost",
                    on_click=S.open_article(s["id"]),
                    aria_label=t("Open article: {title}", title=s["title"]),
                    style={"height": "auto", "text-align": "left", "justify-content": "flex-start"},
                ),
                rx.html(s["snippet_html"], class_name="kb-snippet", style={"font-size": "13px"}),
                rx.cond(
                    s["category"] != "",
                    rx.badge(s["category"], variant="soft", high_contrast=True, size="1"),
                ),
                spacing="1",
                align="start",
            ),
            size="1",
            width="100%",
        ),
    )


def hint_list(intro: rx.Var | str, items: rx.Component) -> rx.Component:
    """A muted line, then a plain list: the filing form's suggestions beside what is typed."""
    return rx.vstack(
        rx.text(intro, size="2", color_scheme="gray"),
        rx.el.ul(
            items,
            style={
                "list-style": "none",
                "padding": 0,
                "margin": 0,
                "display": "flex",
                "flex-direction": "column",
                "gap": "0.5em",
            },
        ),
        spacing="2",
    )


def suggestions() -> rx.Component:
    return rx.el.section(
        rx.heading(t("Suggested articles"), as_="h2", size="4", id="suggested-heading"),
        rx.cond(
            S.suggestions.length() > 0,
            hint_list(
                t("These may already answer your question:"), rx.foreach(S.suggestions, _suggestion)
            ),
            rx.text(
                t("Start typing a title and articles that may already answer it appear here."),
                size="2",
                color_scheme="gray",
            ),
        ),
        rx.text(
            rx.cond(
                S.suggestions.length() > 0,
                tn("{n} suggested article", "{n} suggested articles", S.suggestions.length()),
                "",
            ),
            role="status",
            style=VISUALLY_HIDDEN,
        ),
        aria_labelledby="suggested-heading",
        style={"display": "flex", "flex-direction": "column", "gap": "0.5em", "width": "100%"},
    )
