"""/admin/tags: managers see every tag with its ticket count, rename, merge and delete tags
(services/tags.py; every ticket keeps its tags through a rename or merge)."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.admin import admin_table, delete_dialog, row_button, select_field
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.services import tags as tag_service
from ticketapp.services.errors import ServiceError
from ticketapp.state import MANAGERS, SessionState

RENAME, MERGE = "rename", "merge"


class TagRow(TypedDict):
    id: int
    name: str
    tickets: int


class AdminTagsState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    tags: list[TagRow] = []
    loading: bool = True
    dialog: str = ""  # RENAME or MERGE while open
    tag_id: int = 0
    tag_name: str = ""
    merge_target: str = ""
    error: str = ""
    confirm_id: int = 0

    @rx.var
    def merge_options(self) -> list[list[str]]:
        return [[str(r["id"]), r["name"]] for r in self.tags if r["id"] != self.tag_id]

    async def _reload(self) -> None:
        actor = await self.current_actor()
        found = await run_in_session(tag_service.all_tags, actor, readonly=True)
        self.tags = [TagRow(id=r.id, name=r.name, tickets=r.tickets) for r in found]
        self.loading = False

    @rx.event
    async def on_load(self):
        self.loading = True
        yield
        await self._reload()

    def _open(self, kind: str, tag_id: int) -> None:
        row = next((r for r in self.tags if r["id"] == tag_id), None)
        if row is None:
            return
        self.tag_id, self.tag_name, self.error = row["id"], row["name"], ""
        self.merge_target = ""
        self.dialog = kind

    @rx.event
    def ask_rename(self, tag_id: int):
        self._open(RENAME, tag_id)

    @rx.event
    def ask_merge(self, tag_id: int):
        self._open(MERGE, tag_id)

    @rx.event
    def set_dialog_open(self, value: bool):
        if not value:
            self.dialog = ""

    @rx.event
    def set_merge_target(self, value: str):
        self.merge_target = str(value)[:12]

    async def _run(self, fn, *args, done: str):
        actor = await self.current_actor()
        try:
            await run_in_session(fn, actor, *args)
        except ServiceError as exc:
            self.error = exc.message
            return None
        self.dialog = ""
        await self._reload()
        return rx.toast.success(done)

    @rx.event
    async def rename(self, form: dict):
        name = str(form.get("name", ""))[:100]
        return await self._run(tag_service.rename_tag, self.tag_id, name, done=_("Tag renamed."))

    @rx.event
    async def merge(self, _form: dict):
        if not self.merge_target:
            self.error = _("Choose the tag to merge into.")
            return None
        return await self._run(
            tag_service.merge_tags, [self.tag_id], self.merge_target, done=_("Tags merged.")
        )

    @rx.event
    def ask_delete(self, tag_id: int):
        self._open("", tag_id)
        self.confirm_id = self.tag_id

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def confirm_delete(self):
        tag_id, self.confirm_id = self.confirm_id, 0
        return await self._run(tag_service.delete_tag, tag_id, done=_("Tag deleted."))


S = AdminTagsState


def _dialogs() -> rx.Component:
    return rx.fragment(
        form_dialog(
            t("Rename tag"),
            t("Every ticket keeps the tag under its new name. An existing name merges the two."),
            labelled_input(
                t("New name"), "tag-new-name", S.error, name="name", default_value=S.tag_name
            ),
            submit=t("Rename"),
            on_submit=S.rename,
            open=S.dialog == RENAME,
            on_open_change=S.set_dialog_open,
        ),
        form_dialog(
            t("Merge tag"),
            t("Tickets tagged “{name}” get the chosen tag instead.", name=S.tag_name),
            select_field(
                t("Merge into"),
                "tag-merge-target",
                S.merge_options,
                S.merge_target,
                S.set_merge_target,
                S.error,
            ),
            submit=t("Merge"),
            on_submit=S.merge,
            open=S.dialog == MERGE,
            on_open_change=S.set_dialog_open,
        ),
        delete_dialog(
            t("Delete tag?"),
            t(
                "“{name}” will be removed from every ticket. This cannot be undone.",
                name=S.tag_name,
            ),
            on_confirm=S.confirm_delete,
            on_cancel=S.cancel_delete,
            open=S.confirm_id != 0,
        ),
    )


def _row(r: rx.Var[TagRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r["name"]),
        rx.table.cell(
            rx.link(
                r["tickets"],
                href="/tickets?tag=" + r["name"],
                aria_label=t("Tickets tagged {name}", name=r["name"]),
            )
        ),
        rx.table.cell(
            rx.hstack(
                row_button(t("Rename"), t("Rename {name}", name=r["name"]), S.ask_rename(r["id"])),
                row_button(t("Merge"), t("Merge {name}", name=r["name"]), S.ask_merge(r["id"])),
                row_button(
                    t("Delete"),
                    t("Delete {name}", name=r["name"]),
                    S.ask_delete(r["id"]),
                    danger=True,
                ),
                spacing="2",
            )
        ),
    )


def admin_tags_page() -> rx.Component:
    return page_frame(
        rx.text(
            t("Tags are added by agents on tickets; here you tidy them up."), color_scheme="gray"
        ),
        rx.cond(
            S.loading,
            rx.center(rx.spinner(), width="100%", aria_label=t("Loading")),
            rx.cond(
                S.tags.length() > 0,
                admin_table(t("Tags"), [t("Tag"), t("Tickets"), t("Actions")], S.tags, _row),
                rx.text(t("No tags yet. Agents add them on the ticket page.")),
            ),
        ),
        _dialogs(),
        title=t("Tags"),
        roles=MANAGERS,
    )
