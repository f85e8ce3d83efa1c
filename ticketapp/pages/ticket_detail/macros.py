"""The ticket page's "Run macro" button (staff) and the dialog it opens
(components/macro_runner.py). The page reloads through its live feed once the macro is applied."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.macro_runner import MacroRunState, macro_runner_dialog
from ticketapp.pages.ticket_detail.state import TicketDetailState
from ticketapp.state import SessionState

S = TicketDetailState


def run_macro_button() -> rx.Component:
    return rx.cond(
        SessionState.is_staff,
        rx.fragment(
            rx.button(
                rx.icon("wand-sparkles", size=16),
                t("Run macro"),
                type="button",
                variant="soft",
                size="2",
                on_click=MacroRunState.open_for_number(S.header["number"].to_string()),
            ),
            macro_runner_dialog(),
        ),
    )
