"""admin_sla_page: the policies table, the calendars table, their dialogs and the delete
confirmation."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import admin_table, delete_dialog, item_row, row_actions
from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.admin_sla.calendar_dialog import calendar_dialog
from ticketapp.pages.admin_sla.policy_dialog import policy_dialog
from ticketapp.pages.admin_sla.state import AdminSlaState
from ticketapp.pages.admin_sla.view_model import CalendarItem, PolicyItem
from ticketapp.state import MANAGERS


def _confirm_dialog() -> rx.Component:
    s = AdminSlaState
    return delete_dialog(
        rx.cond(s.confirm_kind == "calendar", t("Delete calendar?"), t("Delete policy?")),
        t(
            "\u201c{name}\u201d will be deleted. Open tickets get their SLA targets recomputed.",
            name=s.confirm_name,
        ),
        on_confirm=s.confirm_delete,
        on_cancel=s.cancel_delete,
        open=s.confirm_id != 0,
        high_contrast=True,
    )


def _policy_row(p: rx.Var[PolicyItem]) -> rx.Component:
    actions = row_actions(
        p["name"],
        AdminSlaState.edit_policy(p["id"]),
        AdminSlaState.ask_delete("policy", p["id"], p["name"]),
    )
    return item_row(
        p, ["priority_label", "scope", "first_response", "resolution", "hours"], actions
    )


def _calendar_row(c: rx.Var[CalendarItem]) -> rx.Component:
    actions = row_actions(
        c["name"],
        AdminSlaState.edit_calendar(c["id"]),
        AdminSlaState.ask_delete("calendar", c["id"], c["name"]),
        what="calendar",
    )
    return item_row(c, ["time_zone", "days", "hours", "holidays"], actions)


def _policies() -> list[rx.Component]:
    return [
        rx.hstack(
            rx.heading(t("Policies"), size="5", as_="h2"),
            rx.spacer(),
            rx.button(rx.icon("plus", size=16), t("New policy"), on_click=AdminSlaState.new_policy),
            width="100%",
        ),
        rx.cond(
            AdminSlaState.policies.length() > 0,
            admin_table(
                t("SLA policies"),
                [
                    t("Name"),
                    t("Priority"),
                    t("Applies to"),
                    t("First response"),
                    t("Resolution"),
                    t("Counted in"),
                    t("Actions"),
                ],
                AdminSlaState.policies,
                _policy_row,
            ),
            rx.text(t("No SLA policies yet: tickets have no deadlines. Create one.")),
        ),
    ]


def _calendars() -> list[rx.Component]:
    return [
        rx.hstack(
            rx.heading(t("Business calendars"), size="5", as_="h2"),
            rx.spacer(),
            rx.button(
                rx.icon("calendar-plus", size=16),
                t("New calendar"),
                on_click=AdminSlaState.new_calendar,
            ),
            width="100%",
            margin_top="1em",
        ),
        rx.cond(
            AdminSlaState.calendars.length() > 0,
            admin_table(
                t("Business calendars"),
                [
                    t("Name"),
                    t("Time zone"),
                    t("Working days"),
                    t("Hours"),
                    t("Holidays"),
                    t("Actions"),
                ],
                AdminSlaState.calendars,
                _calendar_row,
            ),
            rx.text(
                t(
                    "No calendars yet: business-hours policies count Monday to Friday, "
                    "9:00-17:00 UTC."
                )
            ),
        ),
    ]


def admin_sla_page() -> rx.Component:
    return page_frame(
        rx.cond(
            AdminSlaState.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.vstack(*_policies(), *_calendars(), spacing="3", width="100%"),
        ),
        rx.link(t("Escalation rules →"), href="/admin/escalation"),
        policy_dialog(),
        calendar_dialog(),
        _confirm_dialog(),
        title=t("SLA policies"),
        roles=MANAGERS,
    )
