"""The reply box's canned-response picker (staff): a button (or `/` typed at the start of the
reply box) opens a searchable list; arrows move, Enter or a click inserts (canned_events.py)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.ticket_detail.canned_events import CannedRow
from ticketapp.pages.ticket_detail.state import TicketDetailState

S = TicketDetailState


def _row(row: rx.Var[CannedRow], index: rx.Var[int]) -> rx.Component:
    current = index == S.canned_index
    return rx.el.li(
        rx.button(
            rx.vstack(
                rx.hstack(
                    rx.text(row["title"], weight="bold", size="2"),
                    rx.badge(row["scope"], variant="soft", color_scheme="gray"),
                    align="center",
                    spacing="2",
                ),
                rx.text(row["excerpt"], size="1", color_scheme="gray", trim="both"),
                align="start",
                spacing="1",
            ),
            variant=rx.cond(current, "soft", "ghost"),
            color_scheme=rx.cond(current, "indigo", "gray"),
            high_contrast=True,
            width="100%",
            justify="start",
            type="button",
            aria_current=rx.cond(current, "true", None),
            style={"text-align": "left", "height": "auto", "padding": "6px 8px"},
            on_click=S.insert_canned(row["id"]),
        ),
    )


def _panel() -> rx.Component:
    return rx.popover.content(
        rx.vstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                id="canned-search",
                default_value=S.canned_query,
                placeholder=t("Filter canned responses"),
                aria_label=t("Filter canned responses"),
                aria_describedby="canned-keys",
                on_change=S.set_canned_query,
                on_key_down=S.canned_key,
                auto_complete="off",
                auto_focus=True,
                width="100%",
            ),
            rx.text(
                t("↑ ↓ to choose, Enter to insert, Esc to close."),
                id="canned-keys",
                size="1",
                color_scheme="gray",
            ),
            rx.cond(
                S.canned_rows.length() > 0,
                rx.el.ul(
                    rx.foreach(S.canned_rows, _row),
                    aria_label=t("Canned responses"),
                    style={"list-style": "none", "margin": 0, "padding": 0, "width": "100%"},
                ),
                rx.cond(
                    S.canned_loading,
                    rx.spinner(),
                    rx.vstack(
                        rx.text(t("No canned responses match."), size="2", color_scheme="gray"),
                        rx.link(t("Manage canned responses"), href="/settings/canned", size="2"),
                        spacing="1",
                    ),
                ),
            ),
            spacing="2",
            width="100%",
        ),
        aria_label=t("Insert a canned response"),
        width="420px",
        max_height="440px",
        style={"overflow-y": "auto"},
        on_close_auto_focus=[rx.prevent_default, rx.set_focus("reply-body")],
    )


def canned_picker() -> rx.Component:
    """The "Canned response" button and its popover."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("message-square-text", size=16),
                t("Canned response"),
                type="button",
                variant="soft",
                color_scheme="gray",
                aria_keyshortcuts="/",
                title=t("Insert a canned response (or type / at the start of the reply)"),
            )
        ),
        _panel(),
        open=S.canned_open,
        on_open_change=S.set_canned_open,
    )
