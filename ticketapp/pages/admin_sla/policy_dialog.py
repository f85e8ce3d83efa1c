"""The policy dialog: name, priority and scope, the two targets, and how time is counted."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import select_field
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input
from ticketapp.models import PRIORITY_LABELS, Priority
from ticketapp.pages.admin_sla.state import AdminSlaState

PRIORITY_OPTIONS = [(p.value, PRIORITY_LABELS[p]) for p in reversed(list(Priority))]
HOURS_OPTIONS = [("business", t("Business hours")), ("calendar", t("Calendar hours (24/7)"))]
S = AdminSlaState  # short: the dialog reads many of its vars


def _err(field: str) -> rx.Var[str]:
    return S.errors.get(field, "")


def _scope_row() -> rx.Component:
    return rx.hstack(
        select_field(
            t("Priority"),
            "policy-priority",
            PRIORITY_OPTIONS,
            S.p_priority,
            S.set_p_priority,
            _err("priority"),
        ),
        select_field(
            t("Category"),
            "policy-category",
            S.categories,
            S.p_category,
            S.set_p_category,
            _err("category_id"),
        ),
        select_field(t("Team"), "policy-team", S.teams, S.p_team, S.set_p_team, _err("team_id")),
        width="100%",
    )


def _targets_row() -> rx.Component:
    return rx.hstack(
        labelled_input(
            t("First response (minutes)"),
            "policy-first",
            _err("first_response_minutes"),
            name="first_response_minutes",
            type="number",
            min=1,
            default_value=S.p_first,
        ),
        labelled_input(
            "Resolution (minutes)",
            "policy-resolution",
            _err("resolution_minutes"),
            name="resolution_minutes",
            type="number",
            min=1,
            default_value=S.p_resolution,
        ),
        width="100%",
    )


def _hours_row() -> rx.Component:
    return rx.hstack(
        select_field(t("Count in"), "policy-hours", HOURS_OPTIONS, S.p_hours, S.set_p_hours),
        rx.cond(
            S.p_hours == "business",
            select_field(
                t("Business calendar"),
                "policy-calendar",
                S.calendar_options,
                S.p_calendar,
                S.set_p_calendar,
                _err("calendar_id"),
            ),
        ),
        width="100%",
    )


def policy_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.edit_policy_id == 0, t("New policy"), t("Edit policy")),
        t(
            "Targets for tickets of one priority. A policy for a category or team wins over "
            "a general one."
        ),
        labelled_input(t("Name"), "policy-name", _err("name"), name="name", default_value=S.p_name),
        _scope_row(),
        _targets_row(),
        _hours_row(),
        submit=t("Save policy"),
        on_submit=S.save_policy,
        open=S.policy_open,
        on_open_change=S.set_policy_open,
        max_width="640px",
    )
