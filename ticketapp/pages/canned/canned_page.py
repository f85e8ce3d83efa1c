"""/settings/canned: an agent's canned responses: their personal ones and those shared with
their teams (managers: every team's). Create, edit, delete (after asking)."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.admin import admin_table, delete_dialog, row_actions, select_field
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.form_fields import labelled_textarea
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.db import run_in_session
from ticketapp.i18n import N_, _
from ticketapp.services import canned
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import STAFF, SessionState

PERSONAL = "personal"  # the "Share with" choice for "only me" (Radix forbids "")


class CannedItem(TypedDict):
    id: int
    name: str
    excerpt: str
    scope: str
    can_edit: bool


def _load(session, actor: Actor) -> tuple[list[CannedItem], list[list[str]]]:
    items = [
        CannedItem(
            id=v.id,
            name=v.title,
            excerpt=" ".join(v.body.split())[:120],
            scope=v.team_name if v.team_id is not None else _("Only me"),
            can_edit=v.can_edit,
        )
        for v in canned.list_canned(session, actor)
    ]
    teams = [[PERSONAL, _("Only me")]] + [
        [str(tid), name] for tid, name in canned.team_choices(session, actor)
    ]
    return items, teams


def _one(session, actor: Actor, canned_id: int) -> canned.CannedView | None:
    return next((v for v in canned.list_canned(session, actor) if v.id == canned_id), None)


class CannedPageState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = STAFF

    loading: bool = True
    items: list[CannedItem] = []
    team_options: list[list[str]] = []
    edit_open: bool = False
    edit_id: int = 0
    edit_title: str = ""
    edit_body: str = ""
    edit_team: str = PERSONAL
    errors: dict[str, str] = {}
    confirm_id: int = 0
    confirm_name: str = ""

    async def _reload(self) -> None:
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        self.items, self.team_options = await run_in_session(_load, actor, readonly=True)
        self.loading = False

    @rx.event
    async def on_load(self):
        self.edit_open, self.confirm_id = False, 0
        await self._reload()

    def _start(self, canned_id: int, title: str, body: str, team: str) -> None:
        self.edit_id, self.edit_title, self.edit_body, self.edit_team = canned_id, title, body, team
        self.errors = {}
        self.edit_open = True

    @rx.event
    def open_new(self):
        self._start(0, "", "", PERSONAL)

    @rx.event
    async def open_edit(self, canned_id: int):
        actor = await self.current_actor()
        if actor is None or not isinstance(canned_id, int):
            return
        view = await run_in_session(_one, actor, canned_id, readonly=True)
        if view is None or not view.can_edit:
            return rx.toast.error(_("That canned response does not exist or you cannot use it."))
        team = str(view.team_id) if view.team_id is not None else PERSONAL
        self._start(view.id, view.title, view.body, team)

    @rx.event
    def set_edit_open(self, value: bool):
        self.edit_open = bool(value)

    @rx.event
    def set_edit_team(self, value: str):
        self.edit_team = str(value)[:12]

    @rx.event
    async def save(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return
        self.errors = {}
        team = None if self.edit_team == PERSONAL else self.edit_team
        try:
            await run_in_session(
                canned.save_canned,
                actor,
                self.edit_id or None,
                form.get("title", ""),
                form.get("body", ""),
                team,
            )
        except ValidationError as exc:
            self.errors = {exc.field or "body": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.edit_open = False
        await self._reload()
        return rx.toast.success(_("Canned response saved."))

    @rx.event
    def ask_delete(self, canned_id: int, name: str):
        self.confirm_id = canned_id if isinstance(canned_id, int) else 0
        self.confirm_name = str(name)[:120]

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def delete(self):
        actor = await self.current_actor()
        canned_id, self.confirm_id = self.confirm_id, 0
        if actor is None or not canned_id:
            return
        try:
            await run_in_session(canned.delete_canned, actor, canned_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Canned response deleted."))


S = CannedPageState

PLACEHOLDER_HINT = N_(
    "Markdown. Placeholders: {{requester.first_name}}, {{ticket.number}}, {{agent.name}}, "
    "and {{kb:article-address}} for a link to a published article."
)


def _error(name: str) -> rx.Var[str]:
    return S.errors.get(name, "")


def _edit_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.edit_id == 0, t("New canned response"), t("Edit canned response")),
        t("Agents insert it into a reply with the picker or by typing / in the reply box."),
        labelled_input(
            t("Title"),
            "canned-title",
            _error("title"),
            name="title",
            default_value=S.edit_title,
            max_length=canned.MAX_TITLE,
        ),
        labelled_textarea(
            t("Text"),
            "canned-body",
            _error("body"),
            hint=t(PLACEHOLDER_HINT),
            name="body",
            default_value=S.edit_body,
            rows="8",
        ),
        select_field(
            t("Share with"),
            "canned-team",
            S.team_options,
            S.edit_team,
            S.set_edit_team,
            _error("team_id"),
        ),
        submit=t("Save"),
        on_submit=S.save,
        open=S.edit_open,
        on_open_change=S.set_edit_open,
        max_width="640px",
    )


def _row(item: rx.Var[CannedItem]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(item["name"]),
        rx.table.cell(item["scope"]),
        rx.table.cell(rx.text(item["excerpt"], size="2", color_scheme="gray")),
        rx.table.cell(
            rx.cond(
                item["can_edit"],
                row_actions(
                    item["name"],
                    S.open_edit(item["id"]),
                    S.ask_delete(item["id"], item["name"]),
                ),
            )
        ),
    )


def canned_page() -> rx.Component:
    return page_frame(
        rx.hstack(
            rx.text(t("Replies you write again and again, filled in for each ticket.")),
            rx.spacer(),
            rx.cond(
                SessionState.is_manager,
                rx.link(rx.icon("wand-sparkles", size=16), t("Macros"), href="/admin/macros"),
            ),
            rx.button(rx.icon("plus", size=16), t("New canned response"), on_click=S.open_new),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            S.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.cond(
                S.items.length() > 0,
                admin_table(
                    t("Canned responses"),
                    [t("Title"), t("Shared with"), t("Text"), t("Actions")],
                    S.items,
                    _row,
                ),
                rx.text(t("No canned responses yet."), color_scheme="gray"),
            ),
        ),
        _edit_dialog(),
        delete_dialog(
            t("Delete canned response?"),
            t("{name} will be gone for everyone it is shared with.", name=S.confirm_name),
            on_confirm=S.delete,
            on_cancel=S.cancel_delete,
            open=S.confirm_id != 0,
            high_contrast=True,
        ),
        title=t("Canned responses"),
        roles=STAFF,
    )
