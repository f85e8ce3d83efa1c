"""The table of the current page: sortable headers, one row per ticket with its SLA badge."""

from __future__ import annotations

import reflex as rx

from ticketapp.components import sla_clock
from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t, t_var
from ticketapp.pages.portal import status_badge
from ticketapp.pages.tickets_list.columns import when_shown as shown
from ticketapp.pages.tickets_list.state import TicketsListState
from ticketapp.pages.tickets_list.view_model import ListRow

S = TicketsListState


def _sort_header(key: str, label: str) -> rx.Component:
    active = S.sort == key
    return rx.table.column_header_cell(
        rx.button(
            label,
            rx.cond(
                active,
                rx.cond(
                    S.direction == "asc",
                    rx.icon("arrow-up", size=14, aria_hidden="true"),
                    rx.icon("arrow-down", size=14, aria_hidden="true"),
                ),
            ),
            variant="ghost",
            size="2",
            type="button",
            on_click=S.sort_by(key),
            style={"font-weight": "bold"},
            high_contrast=True,
            aria_label=t("Sort by {column}", column=label.lower()),
        ),
        aria_sort=rx.cond(active, rx.cond(S.direction == "asc", "ascending", "descending"), "none"),
    )


def sla_badge(state: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    """The SLA badge (components/sla_clock), or a dash when the ticket has no SLA."""
    return rx.cond(
        label != "",
        sla_clock.sla_badge(state, label),
        rx.text("—", color_scheme="gray", aria_label=t("No SLA")),
    )


def _tags(names: rx.Var[list[str]]) -> rx.Component:
    """A ticket's tags; each lists the tickets with that tag."""
    return rx.flex(
        rx.foreach(
            names,
            lambda name: rx.link(
                rx.badge(name, variant="soft", color_scheme="gray", high_contrast=True),
                href="/tickets?tag=" + name,
                aria_label=t("Tickets tagged {name}", name=name),
                underline="none",
            ),
        ),
        gap="1",
        wrap="wrap",
        min_width="6em",
    )


def _row(r: rx.Var[ListRow]) -> rx.Component:
    number = r["number"].to_string()
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=S.selected.contains(r["id"]),
                on_change=lambda checked: S.toggle(r["id"], checked),
                aria_label="Select #" + number,
            )
        ),
        rx.table.row_header_cell(rx.link("#" + number, href="/tickets/" + number)),
        rx.table.cell(
            rx.link(r["title"], href="/tickets/" + number, high_contrast=True),
            rx.cond(
                r["snippet_html"] != "",
                rx.html(r["snippet_html"], class_name="kb-snippet ticket-snippet"),
            ),
        ),
        shown("status", rx.table.cell(status_badge(r["status"], r["status_label"]))),
        shown("priority", rx.table.cell(t_var(r["priority_label"]))),
        shown("type", rx.table.cell(t_var(r["type_label"]))),
        shown("category", rx.table.cell(r["category"])),
        shown("requester", rx.table.cell(r["requester"])),
        shown(
            "assignee",
            rx.table.cell(
                rx.cond(
                    r["assignee"] != "",
                    r["assignee"],
                    rx.text(t("Unassigned"), color_scheme="gray"),
                )
            ),
        ),
        shown("team", rx.table.cell(r["team"])),
        shown("tags", rx.table.cell(_tags(r["tags"]))),
        shown("updated", rx.table.cell(rx.el.time(r["updated"], date_time=r["updated_iso"]))),
        shown("sla", rx.table.cell(sla_badge(r["sla_state"], r["sla"]), white_space="nowrap")),
        data_ticket=number,
    )


def ticket_table() -> rx.Component:
    return rx.cond(
        S.loading,
        rx.center(
            rx.spinner(size="3"), aria_label=t("Loading tickets"), padding="3em", width="100%"
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.box(
                rx.table.root(
                    table_caption(t("Tickets")),
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(
                                rx.checkbox(
                                    checked=S.all_selected,
                                    on_change=S.toggle_all,
                                    aria_label=t("Select all on this page"),
                                )
                            ),
                            _sort_header("number", t("Number")),
                            _sort_header("title", t("Title")),
                            shown("status", _sort_header("status", t("Status"))),
                            shown("priority", _sort_header("priority", t("Priority"))),
                            shown("type", rx.table.column_header_cell(t("Type"))),
                            shown("category", rx.table.column_header_cell(t("Category"))),
                            shown("requester", rx.table.column_header_cell(t("Requester"))),
                            shown("assignee", rx.table.column_header_cell(t("Assignee"))),
                            shown("team", rx.table.column_header_cell(t("Team"))),
                            shown("tags", rx.table.column_header_cell(t("Tags"))),
                            shown("updated", _sort_header("updated_at", t("Updated"))),
                            shown("sla", rx.table.column_header_cell("SLA")),
                        )
                    ),
                    rx.table.body(rx.foreach(S.rows, _row)),
                    width="100%",
                    size="1",
                ),
                # Wider than the window: the table scrolls sideways in its own box (focusable, so
                # the arrow keys scroll it too) instead of being cut off.
                overflow_x="auto",
                width="100%",
                max_width="100%",
                role="region",
                aria_label=t("Tickets table"),
                tab_index=0,
            ),
            rx.card(
                rx.vstack(
                    rx.icon("search-x", size=28, aria_hidden="true"),
                    rx.text(t("No tickets match these filters."), weight="medium"),
                    rx.button(t("Clear filters"), variant="soft", on_click=S.clear_filters),
                    align="center",
                    padding="1.5em",
                ),
                width="100%",
            ),
        ),
    )
