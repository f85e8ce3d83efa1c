"""The filters above the board: search, assignee, team, priority, type, category, swimlanes.

Each change rewrites the URL (BoardState.set_filter), and on_load applies it.
"""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.models import PRIORITY_LABELS, TYPE_LABELS, Priority, TicketType
from ticketapp.pages.board.state import BoardState
from ticketapp.pages.board.view_model import PRIORITY_ORDER


def _select(label: str, name: str, value: rx.Var[str], fixed: list[tuple[str, str]], dynamic=None):
    items = [rx.select.item(text, value=val) for val, text in fixed]
    if dynamic is not None:
        items.append(rx.foreach(dynamic, lambda o: rx.select.item(o["label"], value=o["value"])))
    return rx.vstack(
        rx.text(label, size="1", weight="medium", as_="span", id=f"filter-{name}-label"),
        rx.select.root(
            rx.select.trigger(aria_label=label, min_width="9em"),
            rx.select.content(*items),
            value=rx.cond(value == "", "any", value),
            on_change=lambda v: BoardState.set_filter(name, v),
            size="2",
        ),
        spacing="1",
    )


def filters_bar() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.el.label(
                t("Search"),
                html_for="board-search",
                style={"font-size": "12px", "font-weight": "500"},
            ),
            rx.input(
                id="board-search",
                placeholder=t("Title, text or #number"),
                value=BoardState.f_text,
                on_change=BoardState.set_text.debounce(400),
                width="14em",
            ),
            spacing="1",
        ),
        rx.vstack(  # TAGS:
            rx.el.label(
                t("Tag"), html_for="board-tag", style={"font-size": "12px", "font-weight": "500"}
            ),
            rx.input(
                id="board-tag",
                placeholder=t("e.g. vpn-outage"),
                value=BoardState.f_tag,
                on_change=lambda v: BoardState.set_filter("tag", v),
                debounce_timeout=400,
                width="9em",
            ),
            spacing="1",
        ),
        _select(
            t("Assignee"),
            "assignee",
            BoardState.f_assignee,
            [("any", t("Anyone")), ("me", t("Me")), ("unassigned", t("Unassigned"))],
            BoardState.assignee_options,
        ),
        _select(
            t("Team"), "team", BoardState.f_team, [("any", t("Any team"))], BoardState.team_options
        ),
        _select(
            t("Priority"),
            "priority",
            BoardState.f_priority,
            [("any", t("Any priority"))]
            + [(p, t(PRIORITY_LABELS[Priority(p)])) for p in PRIORITY_ORDER],
        ),
        _select(
            t("Type"),
            "type",
            BoardState.f_type,
            [("any", t("Any type"))] + [(kind.value, t(TYPE_LABELS[kind])) for kind in TicketType],
        ),
        _select(
            t("Category"),
            "category",
            BoardState.f_category,
            [("any", t("Any category"))],
            BoardState.category_options,
        ),
        _select(
            t("Swimlanes"),
            "lanes",
            BoardState.lane_mode,
            [("any", t("None")), ("assignee", t("By assignee")), ("priority", t("By priority"))],
        ),
        rx.button(
            t("Clear filters"),
            variant="soft",
            color_scheme="gray",
            on_click=BoardState.clear_filters,
        ),
        gap="3",
        wrap="wrap",
        align="end",
        width="100%",
    )
