"""/admin/routing: managers edit triage rules, team auto-assignment, agent availability/skills."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.admin import delete_dialog, row_actions, select_field
from ticketapp.components.bell import email_notice
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.form_fields import table_caption
from ticketapp.components.layout import field_error, page_frame, select_control
from ticketapp.db import run_in_session
from ticketapp.models import PRIORITY_LABELS, TYPE_LABELS, User
from ticketapp.services import directory, routing
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import MANAGERS, SessionState

NONE = "none"
TYPE_OPTIONS = [[NONE, "Any type"]] + [[t.value, label] for t, label in TYPE_LABELS.items()]
SET_TYPE_OPTIONS = [[NONE, "Keep"]] + [[t.value, label] for t, label in TYPE_LABELS.items()]
SET_PRIORITY_OPTIONS = [[NONE, "Keep"]] + [[p.value, label] for p, label in PRIORITY_LABELS.items()]
MODE_OPTIONS = [(m.value, label) for m, label in routing.MODE_LABELS.items()]
EMPTY_DRAFT = {
    "name": "",
    "cond_keywords": "",
    "cond_type": NONE,
    "cond_category_id": NONE,
    "cond_requester": "",
    "set_type": NONE,
    "set_category_id": NONE,
    "set_priority": NONE,
    "set_team_id": NONE,
    "active": "true",
}


class RuleRow(TypedDict):
    id: int
    name: str
    summary: str
    active: bool
    draft: dict[str, str]


class TeamRow(TypedDict):
    id: int
    name: str
    mode: str
    members: int


class SkillCell(TypedDict):
    category_id: int
    name: str
    on: bool


class AgentRow(TypedDict):
    id: int
    name: str
    available: bool
    skills: list[SkillCell]


def _id(value: int | None) -> str:
    return str(value) if value else NONE


def _load(session, actor: Actor) -> dict:
    cats = directory.categories(session, actor)
    requester_emails = {}
    rules = []
    for r in routing.list_rules(session, actor):
        if r.cond_requester_id and r.cond_requester_id not in requester_emails:
            user = session.get(User, r.cond_requester_id)
            requester_emails[r.cond_requester_id] = user.email if user else ""
        rules.append(
            RuleRow(
                id=r.id,
                name=r.name,
                summary=r.summary,
                active=r.active,
                draft={
                    "name": r.name,
                    "cond_keywords": r.cond_keywords,
                    "cond_type": r.cond_type or NONE,
                    "cond_category_id": _id(r.cond_category_id),
                    "cond_requester": requester_emails.get(r.cond_requester_id or 0, ""),
                    "set_type": r.set_type or NONE,
                    "set_category_id": _id(r.set_category_id),
                    "set_priority": r.set_priority or NONE,
                    "set_team_id": _id(r.set_team_id),
                    "active": "true" if r.active else "false",
                },
            )
        )
    teams = routing.list_teams(session, actor)
    agents = [
        AgentRow(
            id=a.id,
            name=a.name,
            available=a.available,
            skills=[SkillCell(category_id=cid, name=n, on=cid in a.skills) for cid, n in cats],
        )
        for a in routing.list_agents(session, actor)
    ]
    return {
        "rules": rules,
        "teams": [TeamRow(id=t.id, name=t.name, mode=t.mode, members=t.members) for t in teams],
        "agents": agents,
        "cond_category_options": [[NONE, "Any category"]] + [[str(c), n] for c, n in cats],
        "set_category_options": [[NONE, "Keep"]] + [[str(c), n] for c, n in cats],
        "set_team_options": [[NONE, "Keep"]] + [[str(t.id), t.name] for t in teams],
    }


class AdminRoutingState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    rules: list[RuleRow] = []
    teams: list[TeamRow] = []
    agents: list[AgentRow] = []
    cond_category_options: list[list[str]] = []
    set_category_options: list[list[str]] = []
    set_team_options: list[list[str]] = []
    loaded: bool = False
    editor_open: bool = False
    editing_id: int = 0
    draft: dict[str, str] = dict(EMPTY_DRAFT)
    errors: dict[str, str] = {}
    confirm_id: int = 0
    confirm_name: str = ""

    async def _reload(self, actor: Actor | None = None) -> None:
        actor = actor or await self.current_actor()
        if actor is None:
            return
        data = await run_in_session(_load, actor, readonly=True)
        self.rules = data["rules"]
        self.teams = data["teams"]
        self.agents = data["agents"]
        self.cond_category_options = data["cond_category_options"]
        self.set_category_options = data["set_category_options"]
        self.set_team_options = data["set_team_options"]
        self.loaded = True

    @rx.event
    async def on_load(self):
        await self._reload()

    @rx.event
    def new_rule(self):
        self.editing_id = 0
        self.draft = dict(EMPTY_DRAFT)
        self.errors = {}
        self.editor_open = True

    @rx.event
    def edit_rule(self, rule_id: int):
        row = next((r for r in self.rules if r["id"] == rule_id), None)
        if row is None:
            return rx.toast.error("That rule no longer exists.")
        self.editing_id = int(rule_id)
        self.draft = dict(row["draft"])
        self.errors = {}
        self.editor_open = True

    @rx.event
    def set_editor_open(self, value: bool):
        self.editor_open = bool(value)

    @rx.event
    def set_draft(self, key: str, value: str):
        if key in EMPTY_DRAFT:
            self.draft = {**self.draft, key: str(value)[:2000]}

    @rx.event
    def set_draft_active(self, value: bool):
        self.draft = {**self.draft, "active": "true" if value else "false"}

    @rx.event
    async def save_rule(self, _form: dict | None = None):
        actor = await self.current_actor()
        self.errors = {}
        try:
            await run_in_session(
                routing.save_rule, actor, self.editing_id or None, dict(self.draft)
            )
        except ServiceError as exc:
            self.errors = {exc.field or "name": exc.message}
            return
        self.editor_open = False
        await self._reload(actor)
        return rx.toast.success(f"Rule “{self.draft['name'].strip()}” saved.")

    @rx.event
    def ask_delete(self, rule_id: int, name: str):
        self.confirm_id = int(rule_id)
        self.confirm_name = str(name)

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def delete_rule(self):
        actor = await self.current_actor()
        rule_id, self.confirm_id = self.confirm_id, 0
        try:
            await run_in_session(routing.delete_rule, actor, rule_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(actor)
        return rx.toast.success("Rule deleted.")

    @rx.event
    async def move(self, rule_id: int, direction: int):
        actor = await self.current_actor()
        try:
            await run_in_session(routing.move_rule, actor, rule_id, int(direction))
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(actor)

    @rx.event
    async def set_mode(self, team_id: int, mode: str):
        actor = await self.current_actor()
        try:
            await run_in_session(routing.set_team_mode, actor, team_id, mode)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(actor)
        return rx.toast.success("Auto-assignment updated.")

    @rx.event
    async def set_available(self, user_id: int, value: bool):
        actor = await self.current_actor()
        try:
            await run_in_session(routing.set_availability, actor, user_id, bool(value))
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(actor)

    @rx.event
    async def set_skill(self, user_id: int, category_id: int, value: bool):
        actor = await self.current_actor()
        try:
            await run_in_session(routing.set_skill, actor, user_id, category_id, bool(value))
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(actor)


# --- components ------------------------------------------------------------------------------


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


def _editor() -> rx.Component:
    return form_dialog(
        rx.cond(AdminRoutingState.editing_id != 0, "Edit rule", "New rule"),
        "Every condition you set must hold. Keywords: phrases separated by commas or new "
        "lines; a phrase matches when all its words occur in any form (English or "
        "Russian), e.g. “server down” also matches “servers are down”.",
        _text_field("Rule name", "name"),
        rx.heading("When", size="3", as_="h3"),
        _text_field("Text mentions (keywords)", "cond_keywords", area=True),
        rx.grid(
            _draft_select("Ticket type is", "cond_type", TYPE_OPTIONS),
            _draft_select(
                "Category is",
                "cond_category_id",
                AdminRoutingState.cond_category_options,
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        _text_field(
            "Requester e-mail is",
            "cond_requester",
            hint="Leave empty for anyone.",
        ),
        rx.heading("Then set", size="3", as_="h3"),
        rx.grid(
            _draft_select("Type", "set_type", SET_TYPE_OPTIONS),
            _draft_select(
                "Category",
                "set_category_id",
                AdminRoutingState.set_category_options,
            ),
            _draft_select("Priority", "set_priority", SET_PRIORITY_OPTIONS),
            _draft_select("Team", "set_team_id", AdminRoutingState.set_team_options),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.checkbox(
            "Active",
            checked=AdminRoutingState.draft["active"] == "true",
            on_change=AdminRoutingState.set_draft_active,
        ),
        submit="Save rule",
        on_submit=AdminRoutingState.save_rule,
        open=AdminRoutingState.editor_open,
        on_open_change=AdminRoutingState.set_editor_open,
        max_width="40em",
    )


def _confirm_delete() -> rx.Component:
    return delete_dialog(
        "Delete rule?",
        "“" + AdminRoutingState.confirm_name + "” will no longer triage new tickets. "
        "Tickets it already triaged keep their values.",
        on_confirm=AdminRoutingState.delete_rule,
        on_cancel=AdminRoutingState.cancel_delete,
        open=AdminRoutingState.confirm_id != 0,
    )


def _move_button(r: rx.Var[RuleRow], direction: str, step: int) -> rx.Component:
    return rx.icon_button(
        rx.icon(f"arrow-{direction}", size=14),
        size="1",
        variant="soft",
        aria_label=f"Move {direction}: " + r["name"],
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
                rx.badge("Active", color_scheme="green", high_contrast=True),
                rx.badge("Off", color_scheme="gray", high_contrast=True),
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


def _team_row(t: rx.Var[TeamRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(t["name"]),
        rx.table.cell(t["members"]),
        rx.table.cell(
            select_control(
                MODE_OPTIONS,
                t["mode"],
                lambda mode: AdminRoutingState.set_mode(t["id"], mode),
                aria_label="Auto-assignment of " + t["name"],
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
                aria_label="Available: " + a["name"],
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
                        aria_label=a["name"] + " skilled in " + s["name"],
                        size="1",
                        spacing="1",
                    ),
                ),
                wrap="wrap",
                gap="0.75em",
            )
        ),
    )


def admin_routing_page() -> rx.Component:
    return page_frame(
        email_notice(),
        rx.cond(
            AdminRoutingState.loaded,
            rx.vstack(
                rx.hstack(
                    rx.heading("Triage rules", size="5", as_="h2"),
                    rx.spacer(),
                    rx.button(
                        rx.icon("plus", size=16), "New rule", on_click=AdminRoutingState.new_rule
                    ),
                    width="100%",
                    align="center",
                ),
                rx.text(
                    "New tickets are checked against the rules from top to bottom; the first "
                    "active rule that matches is applied.",
                    size="2",
                ),
                rx.cond(
                    AdminRoutingState.rules.length() > 0,
                    rx.table.root(
                        table_caption("Triage rules"),
                        rx.table.header(
                            rx.table.row(
                                *[
                                    rx.table.column_header_cell(h)
                                    for h in ("#", "Name", "What it does", "Status", "Actions")
                                ]
                            )
                        ),
                        rx.table.body(rx.foreach(AdminRoutingState.rules, _rule_row)),
                        width="100%",
                    ),
                    rx.text("No rules yet: new tickets keep what the requester chose."),
                ),
                rx.heading("Auto-assignment per team", size="5", as_="h2"),
                rx.text(
                    "Round-robin takes turns; least loaded picks the agent with the fewest open "
                    "tickets weighted by priority. Only available agents skilled in the ticket's "
                    "category are chosen.",
                    size="2",
                ),
                rx.table.root(
                    table_caption("Teams"),
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Team"),
                            rx.table.column_header_cell("Members"),
                            rx.table.column_header_cell("Auto-assignment"),
                        )
                    ),
                    rx.table.body(rx.foreach(AdminRoutingState.teams, _team_row)),
                    width="100%",
                ),
                rx.heading("Agents", size="5", as_="h2"),
                rx.table.root(
                    table_caption("Agents: availability and skills"),
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Agent"),
                            rx.table.column_header_cell("Available"),
                            rx.table.column_header_cell("Skilled in"),
                        )
                    ),
                    rx.table.body(rx.foreach(AdminRoutingState.agents, _agent_row)),
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(), width="100%"),
        ),
        _editor(),
        _confirm_delete(),
        title="Routing",
        roles=MANAGERS,
    )
