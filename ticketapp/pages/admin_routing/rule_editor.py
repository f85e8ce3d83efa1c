"""The rule dialog: its name, the conditions (When) and what it sets (Then set)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import select_field
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.models import PRIORITY_LABELS, TYPE_LABELS
from ticketapp.pages.admin_routing.state import AdminRoutingState
from ticketapp.pages.admin_routing.view_model import NONE

TYPE_OPTIONS = [[NONE, t("Any type")]] + [[k.value, t(label)] for k, label in TYPE_LABELS.items()]
SET_TYPE_OPTIONS = [[NONE, t("Keep")]] + [[k.value, t(label)] for k, label in TYPE_LABELS.items()]
SET_PRIORITY_OPTIONS = [[NONE, t("Keep")]] + [
    [p.value, t(label)] for p, label in PRIORITY_LABELS.items()
]


def _err(key: str) -> rx.Var[str]:
    return AdminRoutingState.errors.get(key, "")


def _label(text: str, for_id: str) -> rx.Component:
    return rx.el.label(text, html_for=for_id, style={"font-weight": "500", "font-size": "14px"})


def _text_field(label: str, key: str, hint: str = "", area: bool = False) -> rx.Component:
    field_id = f"rule-{key.replace('_', '-')}"
    control = rx.text_area if area else rx.input
    return rx.vstack(
        _label(label, field_id),
        control(
            id=field_id,
            value=AdminRoutingState.draft[key],
            on_change=lambda v: AdminRoutingState.set_draft(key, v),
            aria_invalid=rx.cond(_err(key) != "", "true", "false"),
            aria_describedby=f"{field_id}-hint {field_id}-error",
            width="100%",
        ),
        rx.cond(hint != "", rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray")),
        field_error(_err(key), field_id),
        spacing="1",
        width="100%",
    )


def _draft_select(label: str, key: str, options) -> rx.Component:
    field_id = f"rule-{key.replace('_', '-')}"
    return select_field(
        label,
        field_id,
        options,
        AdminRoutingState.draft[key],
        lambda v: AdminRoutingState.set_draft(key, v),
        _err(key),
    )


def _conditions() -> list[rx.Component]:
    return [
        rx.heading(t("When"), size="3", as_="h3"),
        _text_field(t("Text mentions (keywords)"), "cond_keywords", area=True),
        rx.grid(
            _draft_select(t("Ticket type is"), "cond_type", TYPE_OPTIONS),
            _draft_select(
                t("Category is"),
                "cond_category_id",
                AdminRoutingState.cond_category_options,
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        _text_field(
            t("Requester e-mail is"),
            "cond_requester",
            hint=t("Leave empty for anyone."),
        ),
    ]


def _actions() -> list[rx.Component]:
    return [
        rx.heading(t("Then set"), size="3", as_="h3"),
        rx.grid(
            _draft_select(t("Type"), "set_type", SET_TYPE_OPTIONS),
            _draft_select(
                t("Category"),
                "set_category_id",
                AdminRoutingState.set_category_options,
            ),
            _draft_select(t("Priority"), "set_priority", SET_PRIORITY_OPTIONS),
            _draft_select(t("Team"), "set_team_id", AdminRoutingState.set_team_options),
            columns="2",
            spacing="3",
            width="100%",
        ),
    ]


def rule_editor() -> rx.Component:
    return form_dialog(
        rx.cond(AdminRoutingState.editing_id != 0, t("Edit rule"), t("New rule")),
        t(
            "Every condition you set must hold. Keywords: phrases separated by commas or new "
            "lines; a phrase matches when all its words occur in any form (English or "
            "Russian), e.g. “server down” also matches “servers are down”."
        ),
        _text_field(t("Rule name"), "name"),
        *_conditions(),
        *_actions(),
        rx.checkbox(
            t("Active"),
            checked=AdminRoutingState.draft["active"] == "true",
            on_change=AdminRoutingState.set_draft_active,
        ),
        submit=t("Save rule"),
        on_submit=AdminRoutingState.save_rule,
        open=AdminRoutingState.editor_open,
        on_open_change=AdminRoutingState.set_editor_open,
        max_width="40em",
    )
