"""The history tab: every audit event of the ticket this role may see."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t
from ticketapp.components.ticket_parts import history_entry
from ticketapp.pages.ticket_detail.state import TicketDetailState

S = TicketDetailState


def history_tab() -> rx.Component:
    return rx.box(
        rx.cond(
            S.history.length() > 0,
            rx.table.root(
                table_caption(t("History")),
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(c)
                            for c in (t("When"), t("Who"), t("What"), t("Old"), t("New"))
                        ]
                    )
                ),
                rx.table.body(rx.foreach(S.history, history_entry)),
                width="100%",
                size="1",
                aria_label=t("History"),
            ),
            rx.text(t("No history yet."), color_scheme="gray"),
        ),
        padding_top="1em",
        width="100%",
    )
