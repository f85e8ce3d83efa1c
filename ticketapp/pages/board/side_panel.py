"""The side panel: a summary of the ticket whose card was clicked, with a link to it."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.tags import ticket_tags_panel
from ticketapp.pages.board.state import BoardState


def _panel_row(label: str, key: str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray", width="7em", flex_shrink="0"),
        rx.text(BoardState.panel[key], size="2"),
        spacing="2",
    )


def side_panel() -> rx.Component:
    return rx.cond(
        BoardState.panel_open,
        rx.el.aside(
            rx.hstack(
                rx.heading(
                    rx.cond(
                        BoardState.panel_loading, t("Loading…"), "#" + BoardState.panel["number"]
                    ),
                    size="4",
                    as_="h2",
                ),
                rx.spacer(),
                rx.icon_button(
                    rx.icon("x", size=18),
                    variant="ghost",
                    aria_label=t("Close ticket panel"),
                    on_click=BoardState.close_panel,
                ),
                align="center",
                width="100%",
            ),
            rx.cond(
                BoardState.panel_loading,
                rx.center(rx.spinner(), padding="2em"),
                rx.vstack(
                    rx.text(BoardState.panel["title"], size="4", weight="medium"),
                    _panel_row(t("Status"), "status"),
                    _panel_row(t("Priority"), "priority"),
                    _panel_row(t("Type"), "type"),
                    _panel_row(t("Requester"), "requester"),
                    _panel_row(t("Assignee"), "assignee"),
                    _panel_row(t("Team"), "team"),
                    _panel_row(t("Category"), "category"),
                    _panel_row(t("Created"), "created"),
                    _panel_row(t("Due"), "due"),
                    _panel_row(t("Messages"), "replies"),
                    rx.separator(),
                    rx.box(rx.html(BoardState.panel_html), font_size="14px", width="100%"),
                    rx.link(
                        t("Open full ticket #{number}", number=BoardState.panel["number"]),
                        href="/tickets/" + BoardState.panel["number"],
                        weight="medium",
                    ),
                    rx.separator(),
                    ticket_tags_panel(BoardState.feed_seq),  # the card menu's "Tags and details…"
                    spacing="2",
                    width="100%",
                ),
            ),
            class_name="kb-panel",
            aria_label=t("Ticket summary"),
        ),
    )
