"""Field edits and time logging on the ticket page (staff).

A Reflex state mixin: its handlers are copied onto TicketDetailState (state.py), which holds
the vars and the helpers used here (`_resolve`, `_reload`, `_published`, `_show_not_found`).
"""

from __future__ import annotations

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.ticket_detail.constants import EDITABLE_SELECTS, FIELD_LABELS, NONE
from ticketapp.services import tickets
from ticketapp.services.errors import Conflict, NotFound, ServiceError
from ticketapp.state import SessionState


class FieldEditEvents(SessionState, mixin=True):
    """Select and title edits (with version checks), "assign to me", and time entries."""

    async def _update(self, version: int, **changes):
        self.saving = True
        yield
        actor = None
        try:
            actor, tid = await self._resolve()
            await run_in_session(tickets.update_fields, actor, tid, version, **changes)
        except Conflict as exc:
            self.saving = False
            self.conflict_message = exc.message
            await self._reload(actor)
            yield rx.toast.error(exc.message)
            return
        except NotFound:
            self.saving = False
            self._show_not_found()
            return
        except ServiceError as exc:
            self.saving = False
            name = next(iter(changes))
            self.field_errors = {exc.field or name: exc.message}
            await self._reload(actor)
            yield rx.toast.error(exc.message)
            return
        self.saving = False
        self.conflict_message = ""
        self.field_errors = {}
        self._published(actor, tid)
        await self._reload(actor)
        names = ", ".join(_(FIELD_LABELS.get(n, n)) for n in changes)
        yield rx.toast.success(f"{names} saved.")

    @rx.event
    async def set_field(self, name: str, value: str):
        if name not in EDITABLE_SELECTS:
            return
        value = str(value)
        async for update in self._update(
            self.header["version"], **{name: None if value == NONE else value}
        ):
            yield update

    @rx.event
    async def assign_to_me(self):
        actor = await self.current_actor()
        if actor is None:
            return
        async for update in self._update(self.header["version"], assignee_id=actor.id):
            yield update

    @rx.event
    def start_title_edit(self):
        self.editing_title = True
        self.title_draft = self.header["title"]
        self._edit_version = self.header["version"]
        self.field_errors = {}

    @rx.event
    def cancel_title_edit(self):
        self.editing_title = False
        self.field_errors = {}

    @rx.event
    def set_title_draft(self, value: str):
        self.title_draft = str(value)[: tickets.MAX_TITLE + 50]

    @rx.event
    async def save_title(self, _form: dict | None = None):
        # The version the agent saw when they started editing: a change by someone else in
        # between is a conflict, even though the page has refreshed around the editor.
        async for update in self._update(self._edit_version, title=self.title_draft):
            yield update
        if not self.conflict_message and not self.field_errors:
            self.editing_title = False
        else:
            self._edit_version = self.header["version"]

    @rx.event
    def dismiss_conflict(self):
        self.conflict_message = ""

    @rx.event
    async def log_time(self, form: dict):
        self.time_error = ""
        actor = None
        try:
            actor, tid = await self._resolve()
            await run_in_session(
                tickets.log_time, actor, tid, form.get("minutes", ""), form.get("note", "")
            )
        except NotFound:
            self._show_not_found()
            return
        except ServiceError as exc:
            self.time_error = exc.message
            return
        self._published(actor, tid)
        await self._reload(actor)
        return [
            rx.set_value("time-minutes", ""),
            rx.set_value("time-note", ""),
            rx.toast.success(_("Time logged.")),
        ]
