"""/settings/notifications: what each user wants to hear about, in the app and by e-mail."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.bell import email_notice
from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t, t_var
from ticketapp.components.layout import page_frame
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.services import notifications, routing
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import SIGNED_IN, SessionState


class PrefRow(TypedDict):
    kind: str
    label: str
    in_app: bool
    email: bool


def _rows(session, actor: Actor) -> list[PrefRow]:
    return [
        PrefRow(kind=p.kind, label=p.label, in_app=p.in_app, email=p.email)
        for p in notifications.preferences(session, actor)
    ]


class NotificationSettingsState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    prefs: list[PrefRow] = []
    loaded: bool = False
    available: bool = False

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return
        self.prefs = await run_in_session(_rows, actor, readonly=True)
        if actor.is_staff:
            self.available = await run_in_session(routing.my_availability, actor, readonly=True)
        self.loaded = True

    @rx.event
    async def set_available(self, value: bool):
        actor = await self.current_actor()
        if actor is None:
            return
        try:
            await run_in_session(routing.set_availability, actor, actor.id, value is True)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.available = value is True
        return rx.toast.success(
            _("You will get new tickets again.") if self.available else _("No new tickets for now.")
        )

    @rx.event
    async def toggle(self, kind: str, channel: str, value: bool):
        actor = await self.current_actor()
        if actor is None:
            return
        current = {p["kind"]: p for p in self.prefs}.get(str(kind))
        if current is None or channel not in ("in_app", "email"):
            return rx.toast.error(_("Reload the page and try again."))
        in_app = bool(value) if channel == "in_app" else current["in_app"]
        email = bool(value) if channel == "email" else current["email"]
        try:
            await run_in_session(notifications.set_preference, actor, kind, in_app, email)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.prefs = await run_in_session(_rows, actor, readonly=True)
        return rx.toast.success(_("Saved."))


def _row(p: rx.Var[PrefRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(t_var(p["label"])),
        rx.table.cell(
            rx.checkbox(
                checked=p["in_app"],
                on_change=lambda v: NotificationSettingsState.toggle(p["kind"], "in_app", v),
                aria_label=t("In the app: {what}", what=t_var(p["label"])),
            )
        ),
        rx.table.cell(
            rx.checkbox(
                checked=p["email"],
                on_change=lambda v: NotificationSettingsState.toggle(p["kind"], "email", v),
                aria_label=t("By e-mail: {what}", what=t_var(p["label"])),
            )
        ),
    )


def settings_notifications_page() -> rx.Component:
    return page_frame(
        email_notice(),
        rx.cond(
            SessionState.is_staff,
            rx.card(
                rx.hstack(
                    rx.switch(
                        id="available-switch",
                        checked=NotificationSettingsState.available,
                        on_change=NotificationSettingsState.set_available,
                    ),
                    rx.el.label(
                        t("Available for automatic assignment"),
                        html_for="available-switch",
                        style={"font-weight": "500"},
                    ),
                    align="center",
                ),
                rx.text(
                    t("Turn this off when you are away: auto-assignment skips you."),
                    size="2",
                    color_scheme="gray",
                ),
                width="100%",
            ),
        ),
        rx.text(t("Choose what you hear about, in the app (the bell) and by e-mail.")),
        rx.cond(
            NotificationSettingsState.loaded,
            rx.table.root(
                table_caption(t("Notification preferences")),
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(t("Notification")),
                        rx.table.column_header_cell(t("In the app")),
                        rx.table.column_header_cell(t("By e-mail")),
                    )
                ),
                rx.table.body(rx.foreach(NotificationSettingsState.prefs, _row)),
                width="100%",
            ),
            rx.center(rx.spinner(), width="100%"),
        ),
        title=t("Notification settings"),
        roles=SIGNED_IN,
    )
