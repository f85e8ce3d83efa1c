"""The filters: saved views, search, and one select per field."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.tickets_list.constants import (
    ANY,
    CHANNEL_OPTIONS,
    PRIORITY_OPTIONS,
    SAVED_VIEWS,
    STATUS_OPTIONS,
    TYPE_OPTIONS,
)
from ticketapp.pages.tickets_list.parts import LABEL, select_items
from ticketapp.pages.tickets_list.state import TicketsListState

S = TicketsListState


def _filter_select(label: str, field_id: str, name: str, options, value) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL),
        rx.select.root(
            rx.select.trigger(id=field_id, min_width="10em"),
            rx.select.content(select_items(options)),
            value=value,
            on_change=lambda v: S.set_filter(name, v),
            size="2",
        ),
        spacing="1",
    )


def _text_filter(label, field_id: str, name: str, value, placeholder) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL),
        rx.input(
            id=field_id,
            value=value,
            placeholder=placeholder,
            on_change=lambda v: S.set_filter(name, v),
            debounce_timeout=400,
            width="10em",
        ),
        spacing="1",
    )


def filters() -> rx.Component:
    status_value = rx.cond(
        rx.Var.create([v for v, _ in STATUS_OPTIONS]).contains(S.f_status), S.f_status, ANY
    )
    return rx.el.section(
        rx.hstack(
            rx.text(t("Saved views:"), size="2", weight="medium"),
            *[
                rx.button(
                    t(name), size="1", variant="soft", on_click=S.apply_view(i), type="button"
                )
                for i, (name, _p) in enumerate(SAVED_VIEWS)
            ],
            rx.spacer(),
            rx.button(
                t("Clear filters"),
                size="1",
                variant="ghost",
                on_click=S.clear_filters,
                type="button",
            ),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        rx.flex(
            rx.vstack(
                rx.el.label(t("Search tickets"), html_for="tickets-search", style=LABEL),
                rx.input(
                    id="tickets-search",
                    type="search",
                    placeholder=t("Number, words, requester or file name"),
                    value=S.f_text,
                    on_change=S.set_text,
                    debounce_timeout=400,
                    width="16em",
                ),
                spacing="1",
            ),
            _filter_select(t("Status"), "filter-status", "status", STATUS_OPTIONS, status_value),
            _filter_select(
                t("Priority"), "filter-priority", "priority", PRIORITY_OPTIONS, S.f_priority
            ),
            _filter_select(t("Type"), "filter-type", "type", TYPE_OPTIONS, S.f_type),
            _filter_select(t("Channel"), "filter-channel", "channel", CHANNEL_OPTIONS, S.f_channel),
            _filter_select(
                t("Category"), "filter-category", "category", S.category_options, S.f_category
            ),
            _filter_select(
                t("Assignee"), "filter-assignee", "assignee", S.assignee_options, S.f_assignee
            ),
            _filter_select(t("Team"), "filter-team", "team", S.team_options, S.f_team),
            _filter_select(
                t("Requester"), "filter-requester", "requester", S.requester_options, S.f_requester
            ),
            _filter_select(  # ORGS:
                t("Organisation"),
                "filter-organisation",
                "organisation",
                S.organisation_options,
                S.f_organisation,
            ),
            _text_filter(t("Tag"), "filter-tag", "tag", S.f_tag, t("e.g. vpn-outage")),  # TAGS:
            _filter_select(  # FIELDS: a custom field, and the value it holds
                t("Custom field"), "filter-field", "field", S.field_options, S.f_field
            ),
            rx.cond(
                S.f_field != ANY,
                _text_filter(t("Field value"), "filter-field-value", "value", S.f_field_value, ""),
            ),
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        aria_label=t("Filters"),
        style={"display": "flex", "flex-direction": "column", "gap": "0.75em", "width": "100%"},
    )
