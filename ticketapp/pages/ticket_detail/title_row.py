"""The title row: "#N title" (edited in place by staff) with the status and priority badges."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input
from ticketapp.components.ticket_parts import priority_badge, status_badge
from ticketapp.pages.ticket_detail.macros import run_macro_button
from ticketapp.pages.ticket_detail.parts import field_error_of
from ticketapp.pages.ticket_detail.state import TicketDetailState
from ticketapp.services import tickets
from ticketapp.state import SessionState

S = TicketDetailState


def _title_editor() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.box(
                labelled_input(
                    t("Title"),
                    "title-input",
                    field_error_of("title"),
                    name="title",
                    value=S.title_draft,
                    on_change=S.set_title_draft,
                    auto_focus=True,
                    max_length=tickets.MAX_TITLE,
                ),
                flex="1",
            ),
            rx.button(t("Save title"), type="submit", loading=S.saving),
            rx.button(
                t("Cancel"),
                type="button",
                variant="soft",
                color_scheme="gray",
                on_click=S.cancel_title_edit,
            ),
            align="end",
            width="100%",
        ),
        on_submit=S.save_title,
        reset_on_submit=False,
        width="100%",
    )


def _title_heading() -> rx.Component:
    """The heading "#N title", and (staff, while open) the pencil that starts editing it."""
    h = S.header
    return rx.hstack(
        rx.heading(
            rx.text(f"#{h['number']}", as_="span", color_scheme="gray", weight="regular"),
            " ",
            h["title"],
            as_="h2",
            size="6",
        ),
        rx.cond(
            SessionState.is_staff & ~h["is_closed"],
            rx.icon_button(
                rx.icon("pencil", size=16),
                variant="ghost",
                aria_label=t("Edit title"),
                title=t("Edit title"),
                on_click=S.start_title_edit,
            ),
        ),
        align="center",
        spacing="3",
    )


def title_row() -> rx.Component:
    h = S.header
    return rx.hstack(
        rx.cond(S.editing_title, _title_editor(), _title_heading()),
        rx.spacer(),
        status_badge(h["status"], h["status_label"]),
        priority_badge(h["priority"], h["priority_label"]),
        run_macro_button(),
        width="100%",
        align="center",
        wrap="wrap",
    )
