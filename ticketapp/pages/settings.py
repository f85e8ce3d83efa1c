"""/settings: the user's own preferences (language), and the way to the other settings pages."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from ticketapp import i18n
from ticketapp.components.i18n import t, tab_locale
from ticketapp.components.layout import page_frame, select_control
from ticketapp.db import run_in_session
from ticketapp.services import profile
from ticketapp.services.errors import ServiceError
from ticketapp.state import SIGNED_IN, SessionState


class SettingsState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    locale_error: str = ""

    @rx.event
    async def on_load(self):
        self.locale_error = ""
        await self.current_actor()

    @rx.event
    async def save_locale(self, locale: str):
        actor = await self.current_actor()
        if actor is None:
            return
        try:
            chosen = await run_in_session(profile.set_locale, actor, locale)
        except ServiceError as exc:
            self.locale_error = exc.message
            return
        self.locale_error = ""
        self.locale = chosen
        i18n.use(chosen or self.browser_locale())
        return rx.toast.success(i18n._("Language saved."))


def _language() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Language"), size="4", as_="h2"),
            rx.text(
                t("The language of menus, messages and e-mails to you."),
                size="2",
                color_scheme="gray",
            ),
            select_control(
                list(i18n.LOCALES.items()),
                tab_locale(),
                SettingsState.save_locale,
                aria_label=t("Interface language"),
                trigger_id="locale",
            ),
            rx.cond(
                SettingsState.locale_error != "",
                rx.text(SettingsState.locale_error, color=rx.color("red", 11), role="alert"),
            ),
            spacing="3",
        ),
        width="100%",
        max_width="36em",
    )


def _more_settings() -> rx.Component:
    return rx.hstack(
        rx.link(t("Notification settings"), href="/settings/notifications"),
        rx.link(t("API tokens"), href="/settings/tokens"),
        rx.link(t("Security and two-factor sign-in"), href="/settings/security"),
        spacing="4",
    )


def settings_page() -> rx.Component:
    return page_frame(_language(), _more_settings(), title=t("Settings"), roles=SIGNED_IN)
