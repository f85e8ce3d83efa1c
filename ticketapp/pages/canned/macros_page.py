"""/admin/macros: the managers' macros: a name and what it does (set fields, add a canned reply
as a public reply or an internal note). Agents run them from a ticket or the ticket list."""

from __future__ import annotations

from typing import Any, ClassVar, TypedDict

import reflex as rx

from ticketapp.components.admin import admin_table, delete_dialog, row_actions, select_field
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import PRIORITY_LABELS, STATUS_LABELS, TYPE_LABELS
from ticketapp.services import canned, choices, macros
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

KEEP = "keep"  # "leave as it is" in every select (Radix forbids "")
CLEAR = "clear"  # "none": unassign, no team, no category
# The form's selects: state var -> the action it makes.
FIELDS = {
    "status": "set_status",
    "priority": "set_priority",
    "type": "set_type",
    "category": "set_category",
    "team": "set_team",
    "assignee": "set_assignee",
}
ACTION_FIELD = {action: name for name, action in FIELDS.items()}


class MacroItem(TypedDict):
    id: int
    name: str
    summary: str


def _load(session, actor: Actor) -> tuple[list[MacroItem], dict[str, list[list[str]]]]:
    items = []
    for m in macros.list_macros(session, actor):
        changes = macros.describe(session, actor, m.actions)
        summary = "; ".join(f"{c.what}: {c.new}" for c in changes)
        items.append(MacroItem(id=m.id, name=m.name, summary=summary))
    edit = choices.edit_choices(session, actor)
    keep, clear = [KEEP, _("Leave as it is")], [CLEAR, _("None")]

    def enum(labels) -> list[list[str]]:
        return [keep] + [[str(k), _(v)] for k, v in labels.items()]

    options = {
        "status": enum(STATUS_LABELS),
        "priority": enum(PRIORITY_LABELS),
        "type": enum(TYPE_LABELS),
        "category": [keep, clear] + [[str(c.id), c.name] for c in edit.categories],
        "team": [keep, clear] + [[str(c.id), c.name] for c in edit.teams],
        "assignee": [keep, clear, [macros.ME, _("Whoever runs the macro")]]
        + [[str(c.id), c.name] for c in edit.assignees],
        "reply": [[KEEP, _("No reply")]]
        + [[str(v.id), v.title] for v in canned.list_canned(session, actor) if v.team_id],
    }
    return items, options


def _actions(
    values: dict[str, str], reply: str, internal: bool, form: dict
) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = []
    for name, action in FIELDS.items():
        value = values.get(name, KEEP)
        if value != KEEP:
            actions.append({"action": action, "value": "" if value == CLEAR else value})
    for action in macros.TAG_ACTIONS:  # "a, b" as typed
        if str(form.get(action, "")).strip():
            actions.append({"action": action, "tags": str(form[action])[:500]})
    if reply != KEEP:
        actions.append({"action": macros.ADD_REPLY, "canned_id": reply, "internal": internal})
    return actions


def _form_values(session, actor: Actor, macro_id: int) -> dict[str, Any] | None:
    found = next((m for m in macros.list_macros(session, actor) if m.id == macro_id), None)
    if found is None:
        return None
    values: dict[str, Any] = {"name": found.name, "reply": KEEP, "internal": False}
    for a in found.actions:
        if a["action"] in ACTION_FIELD:
            values[ACTION_FIELD[a["action"]]] = a.get("value") or CLEAR
        elif a["action"] == macros.ADD_REPLY:
            values["reply"], values["internal"] = str(a["canned_id"]), bool(a.get("internal"))
        elif a["action"] in macros.TAG_ACTIONS:
            values[a["action"]] = ", ".join(a["tags"])
    return values


class MacrosPageState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    loading: bool = True
    items: list[MacroItem] = []
    status_options: list[list[str]] = []
    priority_options: list[list[str]] = []
    type_options: list[list[str]] = []
    category_options: list[list[str]] = []
    team_options: list[list[str]] = []
    assignee_options: list[list[str]] = []
    reply_options: list[list[str]] = []
    edit_open: bool = False
    edit_id: int = 0
    edit_name: str = ""
    edit_tags: dict[str, str] = {}  # add_tags / remove_tags, as the form shows them
    values: dict[str, str] = {}
    reply_mode: str = "public"
    errors: dict[str, str] = {}
    confirm_id: int = 0
    confirm_name: str = ""

    async def _reload(self) -> None:
        actor = await self.current_actor()
        if actor is None or not actor.is_manager:
            return
        self.items, options = await run_in_session(_load, actor, readonly=True)
        for name, choices_of in options.items():
            setattr(self, f"{name}_options", choices_of)
        self.loading = False

    @rx.event
    async def on_load(self):
        self.edit_open, self.confirm_id = False, 0
        await self._reload()

    def _start(self, macro_id: int, values: dict[str, Any]) -> None:
        self.edit_id, self.edit_name = macro_id, str(values.get("name", ""))
        self.values = {name: str(values.get(name, KEEP)) for name in (*FIELDS, "reply")}
        self.edit_tags = {action: str(values.get(action, "")) for action in macros.TAG_ACTIONS}
        self.reply_mode = "internal" if values.get("internal") else "public"
        self.errors = {}
        self.edit_open = True

    @rx.event
    def open_new(self):
        self._start(0, {})

    @rx.event
    async def open_edit(self, macro_id: int):
        actor = await self.current_actor()
        if actor is None or not isinstance(macro_id, int):
            return
        values = await run_in_session(_form_values, actor, macro_id, readonly=True)
        if values is None:
            return rx.toast.error(_("That macro does not exist."))
        self._start(macro_id, values)

    @rx.event
    def set_edit_open(self, value: bool):
        self.edit_open = bool(value)

    @rx.event
    def set_choice(self, name: str, value: str):
        if name in (*FIELDS, "reply"):
            self.values = {**self.values, name: str(value)[:20]}

    @rx.event
    def set_reply_mode(self, value: str):
        self.reply_mode = "internal" if value == "internal" else "public"

    @rx.event
    async def save(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return
        self.errors = {}
        values = dict(self.values)
        internal = self.reply_mode == "internal"
        actions = _actions(values, values.get("reply", KEEP), internal, form)
        try:
            await run_in_session(
                macros.save_macro, actor, self.edit_id or None, form.get("name", ""), actions
            )
        except ValidationError as exc:
            self.errors = {exc.field or "actions": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.edit_open = False
        await self._reload()
        return rx.toast.success(_("Macro saved."))

    @rx.event
    def ask_delete(self, macro_id: int, name: str):
        self.confirm_id = macro_id if isinstance(macro_id, int) else 0
        self.confirm_name = str(name)[:120]

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def delete(self):
        actor = await self.current_actor()
        macro_id, self.confirm_id = self.confirm_id, 0
        if actor is None or not macro_id:
            return
        try:
            await run_in_session(macros.delete_macro, actor, macro_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Macro deleted."))


S = MacrosPageState


def _select(name: str, label: rx.Var[str]) -> rx.Component:
    return select_field(
        label,
        f"macro-{name}",
        getattr(S, f"{name}_options"),
        S.values.get(name, KEEP),
        lambda v: S.set_choice(name, v),
    )


def _tags_input(action: str, label: rx.Var | str) -> rx.Component:
    return labelled_input(
        label,
        f"macro-{action.replace('_', '-')}",
        S.errors.get(action, ""),
        name=action,
        default_value=S.edit_tags.get(action, ""),
        placeholder=t("e.g. vpn, escalated"),
        max_length=500,
    )


def _reply_mode() -> rx.Component:
    return rx.radio_group.root(
        rx.flex(
            rx.text(
                rx.flex(rx.radio_group.item(value="public"), t("Public reply"), spacing="2"),
                as_="label",
                size="2",
            ),
            rx.text(
                rx.flex(rx.radio_group.item(value="internal"), t("Internal note"), spacing="2"),
                as_="label",
                size="2",
            ),
            spacing="4",
        ),
        value=S.reply_mode,
        on_change=S.set_reply_mode,
        aria_label=t("Add the canned response as"),
    )


def _edit_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.edit_id == 0, t("New macro"), t("Edit macro")),
        t("Choose what it changes. Fields left as they are keep the ticket's value."),
        labelled_input(
            t("Name"),
            "macro-name",
            S.errors.get("name", ""),
            name="name",
            default_value=S.edit_name,
            max_length=macros.MAX_NAME,
        ),
        rx.grid(
            _select("status", t("Set status")),
            _select("priority", t("Set priority")),
            _select("type", t("Set type")),
            _select("category", t("Set category")),
            _select("team", t("Set team")),
            _select("assignee", t("Assign to")),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.grid(
            _tags_input(macros.ADD_TAGS, t("Add tags")),
            _tags_input(macros.REMOVE_TAGS, t("Remove tags")),
            columns="2",
            spacing="3",
            width="100%",
        ),
        _select("reply", t("Add a shared canned response")),
        _reply_mode(),
        rx.cond(
            S.errors.get("actions", "") != "",
            rx.text(S.errors.get("actions", ""), role="alert", size="2", color=rx.color("red", 11)),
        ),
        submit=t("Save"),
        on_submit=S.save,
        open=S.edit_open,
        on_open_change=S.set_edit_open,
        max_width="640px",
    )


def _row(item: rx.Var[MacroItem]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(item["name"]),
        rx.table.cell(rx.text(item["summary"], size="2")),
        rx.table.cell(
            row_actions(
                item["name"], S.open_edit(item["id"]), S.ask_delete(item["id"], item["name"])
            )
        ),
    )


def macros_page() -> rx.Component:
    return page_frame(
        rx.hstack(
            rx.text(t("Agents run a macro on a ticket or on tickets selected in the list.")),
            rx.spacer(),
            rx.link(t("Canned responses"), href="/settings/canned"),
            rx.button(rx.icon("plus", size=16), t("New macro"), on_click=S.open_new),
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
                    t("Macros"), [t("Name"), t("What it does"), t("Actions")], S.items, _row
                ),
                rx.text(t("No macros yet."), color_scheme="gray"),
            ),
        ),
        _edit_dialog(),
        delete_dialog(
            t("Delete macro?"),
            t("{name} will no longer be available to agents.", name=S.confirm_name),
            on_confirm=S.delete,
            on_cancel=S.cancel_delete,
            open=S.confirm_id != 0,
            high_contrast=True,
        ),
        title=t("Macros"),
        roles=MANAGERS,
    )
