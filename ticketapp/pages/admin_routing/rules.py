"""The triage rules table (ordered; Edit, Delete, move up/down per row) and the delete
confirmation."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import delete_dialog, row_actions
from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t
from ticketapp.i18n import N_
from ticketapp.pages.admin_routing.state import AdminRoutingState
from ticketapp.pages.admin_routing.view_model import RuleRow

MOVE_LABELS = {"up": N_("Move up: {name}"), "down": N_("Move down: {name}")}


def confirm_delete() -> rx.Component:
    return delete_dialog(
        t("Delete rule?"),
        t(
            "“{name}” will no longer triage new tickets. "
            "Tickets it already triaged keep their values.",
            name=AdminRoutingState.confirm_name,
        ),
        on_confirm=AdminRoutingState.delete_rule,
        on_cancel=AdminRoutingState.cancel_delete,
        open=AdminRoutingState.confirm_id != 0,
    )


def _move_button(r: rx.Var[RuleRow], direction: str, step: int) -> rx.Component:
    return rx.icon_button(
        rx.icon(f"arrow-{direction}", size=14),
        size="1",
        variant="soft",
        aria_label=t(MOVE_LABELS[direction], name=r["name"]),
        on_click=AdminRoutingState.move(r["id"], step),
    )


def _rule_row(r: rx.Var[RuleRow], index) -> rx.Component:
    return rx.table.row(
        rx.table.cell(index + 1),
        rx.table.row_header_cell(r["name"]),
        rx.table.cell(rx.text(r["summary"], size="2")),
        rx.table.cell(
            rx.cond(
                r["active"],
                rx.badge(t("Active"), color_scheme="green", high_contrast=True),
                rx.badge(t("Off"), color_scheme="gray", high_contrast=True),
            )
        ),
        rx.table.cell(
            row_actions(
                r["name"],
                AdminRoutingState.edit_rule(r["id"]),
                AdminRoutingState.ask_delete(r["id"], r["name"]),
                leading=(_move_button(r, "up", -1), _move_button(r, "down", 1)),
                spacing="2",
            )
        ),
    )


def rules_section() -> list[rx.Component]:
    return [
        rx.hstack(
            rx.heading(t("Triage rules"), size="5", as_="h2"),
            rx.spacer(),
            rx.button(rx.icon("plus", size=16), t("New rule"), on_click=AdminRoutingState.new_rule),
            width="100%",
            align="center",
        ),
        rx.text(
            t(
                "New tickets are checked against the rules from top to bottom; the first "
                "active rule that matches is applied."
            ),
            size="2",
        ),
        rx.cond(
            AdminRoutingState.rules.length() > 0,
            rx.table.root(
                table_caption(t("Triage rules")),
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("#", t("Name"), t("What it does"), t("Status"), t("Actions"))
                        ]
                    )
                ),
                rx.table.body(rx.foreach(AdminRoutingState.rules, _rule_row)),
                width="100%",
            ),
            rx.text(t("No rules yet: new tickets keep what the requester chose.")),
        ),
    ]
