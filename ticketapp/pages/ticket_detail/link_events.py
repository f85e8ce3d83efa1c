"""Merging tickets and linking related ones, on the ticket page (staff).

A Reflex state mixin: its handlers are copied onto TicketDetailState (state.py), which holds
the vars and the helpers used here (`_resolve`, `_reload`, `_published`, `_show_not_found`).
"""

from __future__ import annotations

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.ticket_detail.view_model import merge_target
from ticketapp.services import tickets
from ticketapp.services.errors import NotFound, ServiceError
from ticketapp.state import SessionState


def _no_ticket(raw: str) -> str:
    if raw:
        return _("No ticket {number} that you can see.", number=raw)
    return _("No ticket with that number that you can see.")


class MergeLinkEvents(SessionState, mixin=True):
    """Merge into another ticket (ask, then confirm), link and unlink related tickets."""

    @rx.event
    def set_merge_open(self, value: bool):
        self.merge_open = bool(value)
        self.merge_error = ""

    @rx.event
    async def ask_merge(self, form: dict):
        self.merge_error = ""
        raw = str(form.get("merge_target", "")).strip()
        try:
            actor, tid = await self._resolve()
            if not actor.is_staff:
                return
            target_id, label = await run_in_session(merge_target, actor, raw, readonly=True)
        except NotFound:
            self.merge_error = _no_ticket(raw)
            return
        if target_id == tid:
            self.merge_error = _("A ticket cannot be merged into itself.")
            return
        self._merge_target_id = target_id
        self.merge_target_label = label
        self.merge_open = False
        self.merge_confirm_open = True

    @rx.event
    def cancel_merge(self):
        self.merge_confirm_open = False
        self._merge_target_id = 0

    @rx.event
    async def confirm_merge(self):
        self.merge_confirm_open = False
        target = self._merge_target_id
        self._merge_target_id = 0
        if not target:
            return
        actor = None
        try:
            actor, tid = await self._resolve()
            ref = await run_in_session(tickets.merge, actor, tid, target)
        except NotFound:
            self._show_not_found()
            return
        except ServiceError as exc:
            await self._reload(actor)
            return rx.toast.error(exc.message)
        self._published(actor, tid, ref.id)
        await self._reload(actor)
        return rx.toast.success(_("Merged into #{number}.", number=ref.number))

    @rx.event
    async def link_ticket(self, form: dict):
        self.link_error = ""
        raw = str(form.get("link_number", "")).strip()
        actor = None
        try:
            actor, tid = await self._resolve()
            try:
                other = await run_in_session(
                    tickets.ticket_id_for_number, actor, raw, readonly=True
                )
            except NotFound:
                self.link_error = _no_ticket(raw)
                return
            await run_in_session(tickets.link_tickets, actor, tid, other)
        except NotFound:
            self._show_not_found()
            return
        except ServiceError as exc:
            self.link_error = exc.message
            return
        self._published(actor, tid, other)
        await self._reload(actor)
        return [rx.set_value("link-number", ""), rx.toast.success(_("Tickets linked."))]

    @rx.event
    async def unlink_ticket(self, number: int):
        actor = None
        try:
            actor, tid = await self._resolve()
            other = await run_in_session(
                tickets.ticket_id_for_number, actor, str(number), readonly=True
            )
            await run_in_session(tickets.unlink_tickets, actor, tid, other)
        except NotFound:
            await self._reload(actor)
            return rx.toast.error("That link no longer exists.")
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self._published(actor, tid, other)
        await self._reload(actor)
        return rx.toast.success(_("Link removed."))
