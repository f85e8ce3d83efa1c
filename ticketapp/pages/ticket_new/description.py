"""The description field: write or preview markdown."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import prose
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.pages.ticket_new.parts import error_of
from ticketapp.pages.ticket_new.state import TicketNewState

S = TicketNewState


def _label_row() -> rx.Component:
    """The label, and the switch between writing and previewing."""
    return rx.hstack(
        rx.el.label(
            t("Description"),
            html_for="ticket-description",
            style={"font-weight": "500", "font-size": "14px"},
        ),
        rx.spacer(),
        rx.segmented_control.root(
            rx.segmented_control.item(t("Write"), value="write"),
            rx.segmented_control.item(t("Preview"), value="preview"),
            value=S.desc_tab,
            on_change=S.set_desc_tab,
            size="1",
            aria_label=t("Description mode"),
        ),
        width="100%",
        align="center",
    )


def _write_box() -> rx.Component:
    """The text area: hidden, not removed, while previewing."""
    return rx.box(
        rx.text_area(
            id="ticket-description",
            value=S.description,
            on_change=lambda v: S.set_text("description", v),
            debounce_timeout=300,
            rows="8",
            placeholder=t("What happened, what did you expect, what have you tried?"),
            aria_invalid=rx.cond(error_of("description") != "", "true", "false"),
            aria_describedby="ticket-description-hint ticket-description-error",
            width="100%",
        ),
        display=rx.cond(S.desc_tab == "write", "block", "none"),
        width="100%",
    )


def _preview_box() -> rx.Component:
    return rx.cond(
        S.desc_tab == "preview",
        rx.box(
            rx.cond(
                S.preview_html != "",
                prose(S.preview_html),
                rx.text(t("Nothing to preview yet."), color_scheme="gray", size="2"),
            ),
            aria_label=t("Description preview"),
            role="region",
            padding="0.75em",
            border="1px solid var(--gray-a6)",
            border_radius="var(--radius-2)",
            min_height="8em",
            width="100%",
        ),
    )


def description() -> rx.Component:
    return rx.vstack(
        _label_row(),
        _write_box(),
        _preview_box(),
        rx.text(
            t("Markdown works: **bold**, lists, `code`, links."),
            id="ticket-description-hint",
            size="1",
            color_scheme="gray",
        ),
        field_error(error_of("description"), "ticket-description"),
        spacing="1",
        width="100%",
    )
