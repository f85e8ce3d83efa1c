"""The channels page's State: the mailboxes and their form, the quarantine and its actions."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from ticketapp import i18n
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.admin_channels.view_model import (
    NO_TEAM,
    HeldItem,
    MailboxItem,
    Option,
    load_page,
)
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.services.mail import mailboxes
from ticketapp.state import MANAGERS, SessionState

FIELDS = ("name", "host", "port", "username", "password", "folder")


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


class AdminChannelsState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    mailboxes: list[MailboxItem] = []
    held: list[HeldItem] = []
    team_options: list[Option] = []
    loading: bool = True

    # the mailbox form (the password is never loaded into it)
    open: bool = False
    edit_id: int = 0
    form: dict[str, str] = {}
    f_security: str = "ssl"
    f_team: str = NO_TEAM
    f_active: bool = True
    errors: dict[str, str] = {}

    confirm_id: int = 0
    confirm_name: str = ""
    discard_id: int = 0

    async def _reload(self):
        actor = await self.current_actor()
        boxes, held, teams = await run_in_session(load_page, actor, readonly=True)
        self.mailboxes, self.held, self.team_options = boxes, held, teams
        self.loading = False

    @rx.event
    async def on_load(self):
        self.loading = True
        yield
        await self._reload()

    # --- the mailbox form --------------------------------------------------------------------

    @rx.event
    def new_mailbox(self):
        self.edit_id, self.errors, self.open = 0, {}, True
        self.form = {"name": "", "host": "", "port": "993", "username": "", "folder": "INBOX"}
        self.f_security, self.f_team, self.f_active = "ssl", NO_TEAM, True

    @rx.event
    def edit_mailbox(self, mailbox_id: int):
        for m in self.mailboxes:
            if m["id"] == mailbox_id:
                self.edit_id, self.errors, self.open = m["id"], {}, True
                self.form = {k: str(m.get(k, "")) for k in FIELDS if k != "password"}
                self.f_security, self.f_team = m["security"], m["team_id"]
                self.f_active = m["active"]
                return

    @rx.event
    def set_open(self, value: bool):
        self.open = bool(value)

    @rx.event
    def set_security(self, value: str):
        self.f_security = str(value) if value in mailboxes.SECURITY else "ssl"

    @rx.event
    def set_team(self, value: str):
        self.f_team = str(value)[:20]

    def _data(self, form: dict) -> dict:
        data = {k: str(form.get(k, ""))[:600] for k in FIELDS}
        data["security"] = self.f_security
        data["team_id"] = "" if self.f_team == NO_TEAM else self.f_team
        data["is_active"] = bool(form.get("is_active"))
        return data

    @rx.event
    async def save(self, form: dict):
        actor = await self.current_actor()
        data = self._data(form if isinstance(form, dict) else {})
        self.form = {k: v for k, v in data.items() if k in FIELDS and k != "password"}
        self.f_active = data["is_active"]
        edit = self.edit_id or None
        try:
            errors = await run_in_session(mailboxes.check_mailbox, actor, data, edit, readonly=True)
            if errors:
                self.errors = {k: _(v) for k, v in errors.items()}
                return
            await run_in_session(mailboxes.save_mailbox, actor, edit, data)
        except ValidationError as exc:
            self.errors = {exc.field or "name": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.errors, self.open = {}, False
        await self._reload()
        return rx.toast.success(_("Mailbox saved. It is checked for new mail every minute."))

    # --- delete --------------------------------------------------------------------------------

    @rx.event
    def ask_delete(self, mailbox_id: int, name: str):
        self.confirm_id, self.confirm_name = _int(mailbox_id), str(name)[:80]

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def confirm_delete(self):
        actor = await self.current_actor()
        mailbox_id, self.confirm_id = self.confirm_id, 0
        try:
            name = await run_in_session(mailboxes.delete_mailbox, actor, mailbox_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Deleted the mailbox {name}.", name=name))

    # --- the quarantine ------------------------------------------------------------------------

    @rx.event
    async def download(self, held_id: int):
        actor = await self.current_actor()
        try:
            raw = await run_in_session(mailboxes.quarantined_raw, actor, _int(held_id))
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        name = f"quarantine-{_int(held_id)}.eml"
        return rx.download(data=raw, filename=name, mime_type="message/rfc822")

    @rx.event
    async def retry(self, held_id: int):
        actor = await self.current_actor()
        try:
            outcome = await run_in_session(mailboxes.retry, actor, _int(held_id))
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        if outcome.kind == "quarantined":
            return rx.toast.error(
                _("Still not readable: {reason}", reason=i18n.shown(outcome.reason))
            )
        if outcome.ticket_number:
            return rx.toast.success(_("Stored on ticket #{number}.", number=outcome.ticket_number))
        return rx.toast.info(_("Dropped: {reason}", reason=i18n.shown(outcome.reason)))

    @rx.event
    def ask_discard(self, held_id: int):
        self.discard_id = _int(held_id)

    @rx.event
    def cancel_discard(self):
        self.discard_id = 0

    @rx.event
    async def confirm_discard(self):
        actor = await self.current_actor()
        held_id, self.discard_id = self.discard_id, 0
        try:
            await run_in_session(mailboxes.discard, actor, held_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Message discarded."))
