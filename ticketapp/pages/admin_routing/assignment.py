"""Auto-assignment: each team's mode, and each agent's availability and skills."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t
from ticketapp.components.layout import select_control
from ticketapp.pages.admin_routing.state import AdminRoutingState
from ticketapp.pages.admin_routing.view_model import AgentRow, TeamRow
from ticketapp.services import routing

MODE_OPTIONS = [(m.value, label) for m, label in routing.MODE_LABELS.items()]


def _team_row(team: rx.Var[TeamRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(team["name"]),
        rx.table.cell(team["members"]),
        rx.table.cell(
            select_control(
                MODE_OPTIONS,
                team["mode"],
                lambda mode: AdminRoutingState.set_mode(team["id"], mode),
                aria_label=t("Auto-assignment of {team}", team=team["name"]),
                size="1",
            )
        ),
    )


def _agent_row(a: rx.Var[AgentRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(a["name"]),
        rx.table.cell(
            rx.switch(
                checked=a["available"],
                on_change=lambda v: AdminRoutingState.set_available(a["id"], v),
                aria_label=t("Available: {name}", name=a["name"]),
            )
        ),
        rx.table.cell(
            rx.flex(
                rx.foreach(
                    a["skills"],
                    lambda s: rx.checkbox(
                        s["name"],
                        checked=s["on"],
                        on_change=lambda v: AdminRoutingState.set_skill(
                            a["id"], s["category_id"], v
                        ),
                        aria_label=t(
                            "{agent} skilled in {category}", agent=a["name"], category=s["name"]
                        ),
                        size="1",
                        spacing="1",
                    ),
                ),
                wrap="wrap",
                gap="0.75em",
            )
        ),
    )


def teams_section() -> list[rx.Component]:
    return [
        rx.heading(t("Auto-assignment per team"), size="5", as_="h2"),
        rx.text(
            t(
                "Round-robin takes turns; least loaded picks the agent with the fewest open "
                "tickets weighted by priority. Only available agents skilled in the ticket's "
                "category are chosen."
            ),
            size="2",
        ),
        rx.table.root(
            table_caption(t("Teams")),
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(t("Team")),
                    rx.table.column_header_cell(t("Members")),
                    rx.table.column_header_cell("Auto-assignment"),
                )
            ),
            rx.table.body(rx.foreach(AdminRoutingState.teams, _team_row)),
            width="100%",
        ),
    ]


def agents_section() -> list[rx.Component]:
    return [
        rx.heading(t("Agents"), size="5", as_="h2"),
        rx.table.root(
            table_caption(t("Agents: availability and skills")),
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(t("Agent")),
                    rx.table.column_header_cell(t("Available")),
                    rx.table.column_header_cell(t("Skilled in")),
                )
            ),
            rx.table.body(rx.foreach(AdminRoutingState.agents, _agent_row)),
            width="100%",
        ),
    ]
