"""The time tab (staff): the total, a form to log minutes, the entries."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.components.ticket_parts import field_label
from ticketapp.pages.ticket_detail.state import TicketDetailState

S = TicketDetailState


def _time_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.vstack(
                field_label(t("Minutes"), "time-minutes"),
                rx.input(
                    id="time-minutes",
                    name="minutes",
                    type="number",
                    required=True,
                    width="7em",
                    aria_describedby="time-error",
                ),
                spacing="1",
            ),
            rx.vstack(
                field_label(t("Note"), "time-note"),
                rx.input(id="time-note", name="note", max_length=500, width="100%"),
                spacing="1",
                flex="1",
            ),
            rx.button(t("Log time"), type="submit"),
            align="end",
            width="100%",
        ),
        on_submit=S.log_time,
        reset_on_submit=False,
        width="100%",
    )


def _time_entries() -> rx.Component:
    return rx.cond(
        S.time_entries.length() > 0,
        rx.table.root(
            table_caption(t("Time entries")),
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(c)
                        for c in (t("When"), t("Who"), t("Time"), t("Note"))
                    ]
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.time_entries,
                    lambda t: rx.table.row(
                        rx.table.cell(t["when"]),
                        rx.table.cell(t["user"]),
                        rx.table.cell(t["minutes"]),
                        rx.table.cell(t["note"]),
                    ),
                )
            ),
            width="100%",
            size="1",
            aria_label=t("Time entries"),
        ),
        rx.text(t("No time logged yet."), color_scheme="gray", size="2"),
    )


def time_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(t("Total: "), weight="bold"),
            rx.text(S.header["time_logged"], id="time-total"),
            spacing="1",
        ),
        _time_form(),
        field_error(S.time_error, "time"),
        _time_entries(),
        spacing="3",
        width="100%",
        padding_top="1em",
    )
