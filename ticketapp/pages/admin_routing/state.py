"""AdminRoutingState: the rules (editor, delete, order), team modes, agent availability/skills."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.admin_routing.view_model import (
    EMPTY_DRAFT,
    AgentRow,
    RuleRow,
    TeamRow,
    load_page,
)
from ticketapp.services import routing
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import MANAGERS, SessionState


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
        data = await run_in_session(load_page, actor, readonly=True)
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
        return rx.toast.success(_("Rule deleted."))

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
        return rx.toast.success(_("Auto-assignment updated."))

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
