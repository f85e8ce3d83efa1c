"""Deflection: a suggested article read in a dialog, with "This solved my problem"."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import prose
from ticketapp.components.i18n import t
from ticketapp.pages.ticket_new.state import TicketNewState

S = TicketNewState


def article_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.article_loading, t("Loading article"), S.article_title)),
            rx.dialog.description(
                t("Does this article solve your problem?"), size="2", color_scheme="gray"
            ),
            rx.cond(
                S.article_loading,
                rx.center(rx.spinner(), padding="2em"),
                rx.scroll_area(
                    prose(S.article_html, "markdown-body kb-prose"),
                    type="auto",
                    scrollbars="vertical",
                    style={"max-height": "55vh"},
                ),
            ),
            rx.hstack(
                rx.link(
                    t("Open in the knowledge base"),
                    href="/kb/" + S.article_slug,
                    is_external=True,
                    size="2",
                ),
                rx.spacer(),
                rx.button(
                    t("I still need help"),
                    variant="soft",
                    color_scheme="gray",
                    type="button",
                    on_click=S.still_need_help,
                ),
                rx.button(
                    t("This solved my problem"),
                    type="button",
                    on_click=S.solved,
                    disabled=S.article_loading,
                ),
                spacing="3",
                margin_top="1em",
                align="center",
                wrap="wrap",
            ),
            max_width="720px",
        ),
        open=S.article_open,
        on_open_change=S.set_article_open,
    )
