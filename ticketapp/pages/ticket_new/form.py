"""The filing form: requester, title, description, type/category/impact, details, files."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.browser_bridge import focus_first
from ticketapp.components.custom_fields import filing_fields
from ticketapp.components.form_fields import labelled_select
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input
from ticketapp.pages.ticket_new.attachment_box import attachment_box
from ticketapp.pages.ticket_new.constants import IMPACT_OPTIONS, TYPE_OPTIONS
from ticketapp.pages.ticket_new.description import description
from ticketapp.pages.ticket_new.parts import error_of
from ticketapp.pages.ticket_new.requester_picker import requester_picker
from ticketapp.pages.ticket_new.state import TicketNewState
from ticketapp.pages.ticket_new.type_fields import type_fields
from ticketapp.services import tickets

FIRST_INVALID = '#new-ticket-form [aria-invalid="true"]'

S = TicketNewState


def _title_input() -> rx.Component:
    return labelled_input(
        t("Title"),
        "ticket-title",
        error_of("title"),
        hint=t("One line that sums it up."),
        value=S.title,
        on_change=lambda v: S.set_text("title", v),
        debounce_timeout=300,
        max_length=tickets.MAX_TITLE,
        auto_complete="off",
    )


def _choices() -> rx.Component:
    """Type, category (with the suggested one) and impact, side by side."""
    return rx.grid(
        labelled_select(
            t("Type"),
            "ticket-type",
            TYPE_OPTIONS,
            S.ticket_type,
            lambda v: S.set_choice("ticket_type", v),
            error_of("type"),
        ),
        rx.vstack(
            labelled_select(
                t("Category"),
                "ticket-category",
                S.categories,
                S.category,
                lambda v: S.set_choice("category", v),
                error_of("category_id"),
            ),
            _suggested_category(),  # ROUTING:
            spacing="1",
            width="100%",
        ),
        labelled_select(
            t("Impact"),
            "ticket-impact",
            IMPACT_OPTIONS,
            S.impact,
            lambda v: S.set_choice("impact", v),
            error_of("impact"),
            hint=t("How much it hurts your work."),
        ),
        columns=rx.breakpoints(initial="1", sm="3"),
        spacing="3",
        width="100%",
    )


def _submit_row() -> rx.Component:
    return rx.hstack(
        rx.button(
            t("Submit ticket"),
            type="button",
            on_click=S.submit,
            loading=S.submitting,
            disabled=S.submitting,
            size="3",
        ),
        rx.link(t("Cancel"), href=S.home_path, size="2"),
        align="center",
        spacing="4",
    )


def form() -> rx.Component:
    return rx.box(
        rx.vstack(
            requester_picker(),
            _title_input(),
            description(),
            _choices(),
            type_fields(),
            filing_fields(S.ticket_type, S.errors),  # FIELDS: custom fields of the type
            attachment_box(),
            rx.cond(
                error_of("form") != "",
                rx.callout(
                    error_of("form"), icon="triangle-alert", color_scheme="red", role="alert"
                ),
            ),
            _submit_row(),
            focus_first(request=TicketNewState.focus_request, selector=FIRST_INVALID),
            spacing="4",
            width="100%",
        ),
        id="new-ticket-form",
        width="100%",
    )


def _suggested_category() -> rx.Component:
    """ROUTING: "Suggested category: X" with a one-click "Use it", as the requester types."""
    return rx.box(
        rx.cond(
            (S.suggested_category != "") & (S.category != S.suggested_category_id),
            rx.hstack(
                rx.text(t("Suggested category: {name}", name=S.suggested_category), size="2"),
                rx.button(
                    t("Use it"),
                    size="1",
                    variant="soft",
                    type="button",
                    aria_label=t("Use suggested category {name}", name=S.suggested_category),
                    on_click=lambda: S.set_choice("category", S.suggested_category_id),
                ),
                align="center",
                spacing="2",
            ),
        ),
        aria_live="polite",
    )
