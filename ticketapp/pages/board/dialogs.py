"""The board's dialogs: a column's WIP limit (managers), and the confirmation of a move over it."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.dialogs import cancel_button, confirm_dialog
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.pages.board.state import BoardState


def limit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("WIP limit: {column}", column=BoardState.limit_label)),
            rx.dialog.description(
                t(
                    "The column turns red above this many cards, and a move that goes over "
                    "asks first. Leave empty or use Remove for no limit."
                ),
                size="2",
            ),
            rx.vstack(
                rx.el.label(
                    t("Limit"),
                    html_for="wip-limit",
                    style={"font-weight": "500", "font-size": "14px"},
                ),
                rx.input(
                    id="wip-limit",
                    type="number",
                    min=1,
                    value=BoardState.limit_value,
                    on_change=BoardState.set_limit_value,
                    aria_describedby="wip-limit-error",
                ),
                field_error(BoardState.limit_error, "wip-limit"),
                rx.hstack(
                    rx.button(
                        t("Remove limit"),
                        variant="soft",
                        color_scheme="gray",
                        on_click=BoardState.save_limit(True),
                    ),
                    rx.spacer(),
                    rx.dialog.close(cancel_button()),
                    rx.button(t("Save limit"), on_click=BoardState.save_limit(False)),
                    width="100%",
                ),
                spacing="2",
                margin_top="1em",
            ),
        ),
        open=BoardState.limit_status != "",
        on_open_change=BoardState.close_limit,
    )


def over_limit_dialog() -> rx.Component:
    return confirm_dialog(
        t("Over the WIP limit"),
        BoardState.confirm_message,
        confirm=t("Move anyway"),
        on_confirm=BoardState.confirm_move,
        on_cancel=BoardState.cancel_move,
        open=BoardState.confirm_message != "",
    )
