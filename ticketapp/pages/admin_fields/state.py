"""The state of /admin/fields: the definitions, the create/edit dialog, archive/restore."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import FIELD_KIND_LABELS, TYPE_LABELS, FieldKind, TicketType
from ticketapp.services import custom_fields as cf_service
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.services.tickets import FormInvalid
from ticketapp.state import MANAGERS, SessionState


class FieldRow(TypedDict):
    id: int
    name: str
    ticket_type: str
    type_label: str
    kind: str
    kind_label: str
    options: str
    required: bool
    public: bool
    active: bool
    summary: str


def _row(f: cf_service.FieldDef) -> FieldRow:
    flags = [_("required") if f.required else _("optional")]
    flags.append(_("visible to requesters") if f.public else _("staff only"))
    if not f.active:
        flags.append(_("archived"))
    return FieldRow(
        id=f.id,
        name=f.label,
        ticket_type=f.ticket_type,
        type_label=_(TYPE_LABELS.get(TicketType(f.ticket_type), f.ticket_type)),
        kind=f.kind,
        kind_label=_(FIELD_KIND_LABELS.get(FieldKind(f.kind), f.kind)),
        options="\n".join(f.options),
        required=f.required,
        public=f.public,
        active=f.active,
        summary=", ".join(flags),
    )


def _load(session, actor: Actor) -> list[FieldRow]:
    return [_row(f) for f in cf_service.list_fields(session, actor, archived=True)]


class AdminFieldsState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    fields: list[FieldRow] = []
    loading: bool = True

    open: bool = False
    edit_id: int = 0
    f_type: str = TicketType.INCIDENT.value
    f_kind: str = FieldKind.TEXT.value
    f_label: str = ""
    f_options: str = ""
    f_required: bool = False
    f_public: bool = True
    errors: dict[str, str] = {}

    async def _reload(self) -> None:
        actor = await self.current_actor()
        self.fields = await run_in_session(_load, actor, readonly=True)
        self.loading = False

    @rx.event
    async def on_load(self):
        self.loading = True
        yield
        await self._reload()

    @rx.event
    def new_field(self):
        self.edit_id = 0
        self.f_type, self.f_kind = TicketType.INCIDENT.value, FieldKind.TEXT.value
        self.f_label, self.f_options = "", ""
        self.f_required, self.f_public = False, True
        self.errors = {}
        self.open = True

    @rx.event
    def edit_field(self, field_id: int):
        for f in self.fields:
            if f["id"] == field_id:
                self.edit_id = f["id"]
                self.f_type, self.f_kind = f["ticket_type"], f["kind"]
                self.f_label, self.f_options = f["name"], f["options"]
                self.f_required, self.f_public = f["required"], f["public"]
                self.errors = {}
                self.open = True
                return

    @rx.event
    def set_open(self, value: bool):
        self.open = bool(value)

    @rx.event
    def set_f_type(self, value: str):
        self.f_type = str(value)[:30]

    @rx.event
    def set_f_kind(self, value: str):
        self.f_kind = str(value)[:20]

    @rx.event
    async def save(self, form: dict):
        actor = await self.current_actor()
        self.f_label = str(form.get("label", ""))[:200]
        self.f_options = str(form.get("options", ""))[:10_000]
        self.f_required = bool(form.get("required"))
        self.f_public = bool(form.get("public"))
        try:
            saved = await run_in_session(
                cf_service.save_field,
                actor,
                self.edit_id or None,
                ticket_type=self.f_type,
                label=self.f_label,
                kind=self.f_kind,
                options=self.f_options,
                required=self.f_required,
                public=self.f_public,
            )
        except FormInvalid as exc:
            self.errors = dict(exc.errors)
            return
        except ServiceError as exc:
            self.errors = {exc.field or "label": exc.message}
            return
        self.open = False
        self.errors = {}
        await self._reload()
        return rx.toast.success(_("Field \u201c{name}\u201d saved.", name=saved.label))

    @rx.event
    async def set_active(self, field_id: int, active: bool):
        actor = await self.current_actor()
        try:
            saved = await run_in_session(cf_service.set_field_active, actor, field_id, active)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        if saved.active:
            return rx.toast.success(_("Field \u201c{name}\u201d restored.", name=saved.label))
        return rx.toast.success(
            _(
                "Field \u201c{name}\u201d archived: its values stay on the tickets.",
                name=saved.label,
            )
        )
