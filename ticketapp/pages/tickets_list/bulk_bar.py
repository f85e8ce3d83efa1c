"""The bulk actions: assign, set status or priority of the selected tickets, and the outcome."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.macro_runner import run_macro_control
from ticketapp.models import PRIORITY_LABELS, STATUS_LABELS, Priority, TicketStatus
from ticketapp.pages.tickets_list.parts import LABEL, select_items
from ticketapp.pages.tickets_list.state import TicketsListState

S = TicketsListState


def _bulk_control(
    label: rx.Var[str], apply_label: rx.Var[str], field_id: str, name: str, options, value
) -> rx.Component:
    return rx.hstack(
        rx.el.label(label, html_for=field_id, style=LABEL),
        rx.select.root(
            rx.select.trigger(id=field_id),
            rx.select.content(select_items(options)),
            value=value,
            on_change=lambda v: S.set_bulk(name, v),
            size="1",
        ),
        rx.button(
            t("Apply"),
            size="1",
            type="button",
            on_click=S.run_bulk(name),
            disabled=(S.selected.length() == 0) | S.bulk_running,
            aria_label=apply_label,
        ),
        align="center",
        spacing="2",
    )


def _bulk_tag() -> rx.Component:
    return rx.hstack(
        rx.el.label(t("Add tag"), html_for="bulk-tag", style=LABEL),
        rx.input(
            id="bulk-tag",
            value=S.bulk_tag,
            on_change=lambda v: S.set_bulk("tag", v),
            placeholder=t("e.g. vpn-outage"),
            size="1",
            width="9em",
        ),
        rx.button(
            t("Apply"),
            size="1",
            type="button",
            on_click=S.run_bulk("tag"),
            disabled=(S.selected.length() == 0) | S.bulk_running | (S.bulk_tag == ""),
            aria_label=t("Add the tag to selected tickets"),
        ),
        align="center",
        spacing="2",
    )


def _controls() -> rx.Component:
    """How many are selected, and one select + Apply per action."""
    return rx.flex(
        rx.text(
            S.selected.length().to_string() + " selected",
            size="2",
            weight="medium",
            aria_live="polite",
        ),
        _bulk_control(
            t("Assign to"),
            t("Apply assign to to selected tickets"),
            "bulk-assignee",
            "assignee",
            S.bulk_assignee_options,
            S.bulk_assignee,
        ),
        _bulk_control(
            t("Set status"),
            t("Apply set status to selected tickets"),
            "bulk-status",
            "status",
            [(s.value, STATUS_LABELS[s]) for s in TicketStatus],
            S.bulk_status,
        ),
        _bulk_control(
            t("Set priority"),
            t("Apply set priority to selected tickets"),
            "bulk-priority",
            "priority",
            [(p.value, PRIORITY_LABELS[p]) for p in Priority],
            S.bulk_priority,
        ),
        run_macro_control(S.selected, on_done=[S.clear_selection, S.on_load]),
        _bulk_tag(),  # TAGS:
        rx.cond(S.bulk_running, rx.spinner(size="1")),
        rx.cond(
            S.selected.length() > 0,
            rx.button(
                t("Clear selection"),
                size="1",
                variant="ghost",
                type="button",
                on_click=S.clear_selection,
            ),
        ),
        wrap="wrap",
        spacing="4",
        align="center",
        padding="0.5em 0.75em",
        border_radius="var(--radius-3)",
        background="var(--gray-a3)",
        width="100%",
    )


def _outcome() -> rx.Component:
    """What the last bulk action did, and which tickets it refused and why."""
    return rx.box(
        rx.cond(
            S.bulk_summary != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("info")),
                rx.vstack(
                    rx.hstack(
                        rx.text(S.bulk_summary, weight="bold", size="2"),
                        rx.button(
                            t("Dismiss"),
                            size="1",
                            variant="ghost",
                            high_contrast=True,
                            on_click=S.dismiss_bulk,
                            type="button",
                        ),
                        align="center",
                    ),
                    rx.cond(
                        S.bulk_refused.length() > 0,
                        rx.el.ul(
                            rx.foreach(S.bulk_refused, lambda m: rx.el.li(m)),
                            aria_label=t("Refused tickets"),
                            style={"margin": 0, "padding-left": "1.2em", "font-size": "14px"},
                        ),
                    ),
                    spacing="1",
                ),
                color_scheme=rx.cond(S.bulk_refused.length() > 0, "amber", "green"),
                high_contrast=True,
                width="100%",
            ),
        ),
        role="status",
        aria_label=t("Bulk action result"),
        width="100%",
    )


def bulk_bar() -> rx.Component:
    return rx.el.section(
        _controls(),
        _outcome(),
        aria_label=t("Bulk actions"),
        style={"display": "flex", "flex-direction": "column", "gap": "0.5em", "width": "100%"},
    )
