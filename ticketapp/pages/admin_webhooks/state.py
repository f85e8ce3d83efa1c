"""The webhooks page's State: the endpoints, the form, the secret, the delivery log."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import reflex as rx

from ticketapp.db import get_engine, run_in_session
from ticketapp.i18n import _
from ticketapp.pages.admin_webhooks.view_model import (
    DeliveryItem,
    EndpointItem,
    load_deliveries,
    load_endpoints,
)
from ticketapp.services import webhooks
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

EVENT_FIELD = "event:"  # form checkbox names: "event:ticket.created", ...


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _form_data(form: dict) -> dict:
    return {
        "url": str(form.get("url", "")).strip(),
        "description": str(form.get("description", "")).strip(),
        "events": [
            k[len(EVENT_FIELD) :] for k, v in form.items() if k.startswith(EVENT_FIELD) and v
        ],
        "is_active": bool(form.get("is_active")),
    }


class AdminWebhooksState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    endpoints: list[EndpointItem] = []
    loading: bool = True

    # the endpoint form
    open: bool = False
    edit_id: int = 0
    f_url: str = ""
    f_description: str = ""
    f_events: list[str] = []
    f_active: bool = True
    errors: dict[str, str] = {}

    # the signing secret (loaded only while its dialog is open)
    secret_id: int = 0
    secret_url: str = ""
    secret: str = ""
    confirm_rotate: bool = False

    confirm_id: int = 0
    confirm_url: str = ""

    # the delivery log of one endpoint
    log_id: int = 0
    log_url: str = ""
    deliveries: list[DeliveryItem] = []
    busy: bool = False

    async def _reload(self):
        actor = await self.current_actor()
        self.endpoints = await run_in_session(load_endpoints, actor, readonly=True)
        ids = {e["id"] for e in self.endpoints}
        if self.log_id and self.log_id not in ids:
            self.log_id, self.deliveries = 0, []
        if self.log_id:
            self.deliveries = await run_in_session(
                load_deliveries, actor, self.log_id, readonly=True
            )
        self.loading = False

    @rx.event
    async def on_load(self):
        self.loading = True
        self.secret = ""
        self.secret_id = 0
        yield
        await self._reload()

    # --- the form --------------------------------------------------------------------------------

    @rx.event
    def new_endpoint(self):
        self.edit_id = 0
        self.f_url = self.f_description = ""
        self.f_events = list(webhooks.EVENTS)
        self.f_active = True
        self.errors = {}
        self.open = True

    @rx.event
    def edit_endpoint(self, endpoint_id: int):
        for e in self.endpoints:
            if e["id"] == endpoint_id:
                self.edit_id = e["id"]
                self.f_url, self.f_description = e["url"], e["description"]
                self.f_events, self.f_active = list(e["events"]), e["active"]
                self.errors = {}
                self.open = True
                return

    @rx.event
    def set_open(self, value: bool):
        self.open = bool(value)

    @rx.event
    async def save(self, form: dict):
        actor = await self.current_actor()
        data = _form_data(form if isinstance(form, dict) else {})
        self.f_url, self.f_description = data["url"], data["description"]
        self.f_events, self.f_active = data["events"], data["is_active"]
        errors = webhooks.endpoint_errors(data)
        if errors:
            self.errors = {k: _(v) for k, v in errors.items()}
            return
        created = self.edit_id == 0
        try:
            eid = await run_in_session(webhooks.save_endpoint, actor, self.edit_id or None, data)
        except ValidationError as exc:
            self.errors = {exc.field or "url": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.errors, self.open = {}, False
        await self._reload()
        if created:  # show the new secret at once: the receiver needs it
            await self._show_secret(eid)
            return rx.toast.success(_("Endpoint added. Copy its signing secret."))
        return rx.toast.success(_("Endpoint saved."))

    # --- the secret ------------------------------------------------------------------------------

    async def _show_secret(self, endpoint_id: int):
        actor = await self.current_actor()
        self.secret = await run_in_session(webhooks.reveal_secret, actor, endpoint_id)
        self.secret_id = endpoint_id
        self.secret_url = next((e["url"] for e in self.endpoints if e["id"] == endpoint_id), "")

    @rx.event
    async def show_secret(self, endpoint_id: int):
        try:
            await self._show_secret(_int(endpoint_id))
        except ServiceError as exc:
            return rx.toast.error(exc.message)

    @rx.event
    def close_secret(self, value: bool = False):
        if not value:
            self.secret, self.secret_id, self.confirm_rotate = "", 0, False

    @rx.event
    def ask_rotate(self):
        self.confirm_rotate = True

    @rx.event
    def cancel_rotate(self):
        self.confirm_rotate = False

    @rx.event
    async def rotate(self):
        actor = await self.current_actor()
        self.confirm_rotate = False
        try:
            self.secret = await run_in_session(webhooks.rotate_secret, actor, self.secret_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.toast.success(
            _("New secret made. Update the receiver: the old one no longer works.")
        )

    # --- delete ----------------------------------------------------------------------------------

    @rx.event
    def ask_delete(self, endpoint_id: int, url: str):
        self.confirm_id, self.confirm_url = _int(endpoint_id), str(url)

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def confirm_delete(self):
        actor = await self.current_actor()
        endpoint_id, self.confirm_id = self.confirm_id, 0
        try:
            url = await run_in_session(webhooks.delete_endpoint, actor, endpoint_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Deleted the endpoint {url}.", url=url))

    # --- deliveries ------------------------------------------------------------------------------

    @rx.event
    async def show_log(self, endpoint_id: int):
        self.log_id = _int(endpoint_id)
        self.log_url = next((e["url"] for e in self.endpoints if e["id"] == self.log_id), "")
        await self._reload()

    @rx.event
    async def refresh_log(self):
        await self._reload()

    async def _send_now(self, queue, target_id: int):
        """Queue through `queue(session, actor, target_id)`, then send that delivery at once
        (off the event loop) and show the result."""
        actor = await self.current_actor()
        try:
            delivery_id = await run_in_session(queue, actor, target_id)
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        self.busy = True
        yield
        try:
            run = await asyncio.to_thread(webhooks.deliver_due, get_engine(), only=[delivery_id])
        finally:
            self.busy = False
        await self._reload()
        if run.delivered:
            yield rx.toast.success(_("Delivered."))
        else:
            yield rx.toast.error(_("The receiver did not accept it; it will be retried."))

    @rx.event
    async def resend(self, delivery_id: int):
        async for update in self._send_now(webhooks.resend, _int(delivery_id)):
            yield update

    @rx.event
    async def send_test(self, endpoint_id: int):
        self.log_id = _int(endpoint_id)
        self.log_url = next((e["url"] for e in self.endpoints if e["id"] == self.log_id), "")
        async for update in self._send_now(webhooks.send_test, self.log_id):
            yield update
