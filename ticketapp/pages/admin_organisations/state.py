"""The organisations page's state: every change goes through services/organisations.py,
which checks that the actor is a manager."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.services import organisations
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState


class OrgRow(TypedDict):
    id: int
    name: str
    domains: str
    members: int
    tickets: int
    tickets_href: str


def _rows(session, actor: Actor) -> list[OrgRow]:
    return [
        OrgRow(
            id=o.id,
            name=o.name,
            domains=", ".join(o.domains),
            members=o.members,
            tickets=o.tickets,
            tickets_href=f"/tickets?organisation={o.id}",
        )
        for o in organisations.list_organisations(session, actor)
    ]


class AdminOrganisationsState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    orgs: list[OrgRow] = []
    loading: bool = True
    dialog_open: bool = False
    editing_id: int = 0  # 0: a new one
    form_name: str = ""
    form_domains: str = ""
    form_errors: dict[str, str] = {}
    saving: bool = False
    confirm_id: int = 0
    confirm_name: str = ""

    async def _reload(self, actor: Actor) -> None:
        self.orgs = await run_in_session(_rows, actor, readonly=True)
        self.loading = False

    @rx.event
    async def on_load(self):
        # (The dialogs stay as they are: a click may be handled before this on_load.)
        self.loading = True
        actor = await self.current_actor()
        if actor is None or not actor.is_manager:
            self.loading = False
            return
        yield
        await self._reload(actor)

    def _open(self, org_id: int, name: str, domains: str) -> None:
        self.editing_id, self.form_name, self.form_domains = org_id, name, domains
        self.form_errors = {}
        self.dialog_open = True

    @rx.event
    def open_new(self):
        self._open(0, "", "")

    @rx.event
    def open_edit(self, org_id: int):
        row = next((o for o in self.orgs if o["id"] == org_id), None)
        if row is not None:
            self._open(row["id"], row["name"], row["domains"])

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = bool(value)
        if not value:
            self.form_errors = {}

    @rx.event
    async def save(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return
        name, domains = str(form.get("name", ""))[:200], str(form.get("domains", ""))[:2000]
        self.form_name, self.form_domains = name, domains  # kept as typed on an error
        self.form_errors, self.saving = {}, True
        yield
        try:
            await run_in_session(
                organisations.save_organisation, actor, self.editing_id or None, name, domains
            )
        except ValidationError as exc:
            self.form_errors = {exc.field or "name": exc.message}
            self.saving = False
            return
        except ServiceError as exc:
            self.saving = False
            yield rx.toast.error(exc.message)
            return
        created = not self.editing_id
        self.dialog_open, self.saving = False, False
        await self._reload(actor)
        message = _("Organisation created.") if created else _("Organisation saved.")
        yield rx.toast.success(message)

    @rx.event
    def ask_delete(self, org_id: int, name: str):
        self.confirm_id, self.confirm_name = int(org_id), str(name)

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def delete(self):
        actor = await self.current_actor()
        org_id, self.confirm_id = self.confirm_id, 0
        if actor is None or not org_id:
            return None
        try:
            name = await run_in_session(organisations.delete_organisation, actor, org_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(actor)
        return rx.toast.success(_("Organisation {name} deleted.", name=name))
