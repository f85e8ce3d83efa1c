"""admin_routing_page: the rules, teams and agents sections, the rule editor, the delete dialog."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.bell import email_notice
from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.admin_routing.assignment import agents_section, teams_section
from ticketapp.pages.admin_routing.rule_editor import rule_editor
from ticketapp.pages.admin_routing.rules import confirm_delete, rules_section
from ticketapp.pages.admin_routing.state import AdminRoutingState
from ticketapp.state import MANAGERS


def admin_routing_page() -> rx.Component:
    return page_frame(
        email_notice(),
        rx.cond(
            AdminRoutingState.loaded,
            rx.vstack(
                *rules_section(),
                *teams_section(),
                *agents_section(),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(), width="100%"),
        ),
        rule_editor(),
        confirm_delete(),
        title=t("Routing"),
        roles=MANAGERS,
    )
