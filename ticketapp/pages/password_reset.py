"""Forgot password (/forgot: ask for a link by e-mail) and choosing a new one (/reset?token=)."""

from __future__ import annotations

import asyncio
import random

import reflex as rx

from ticketapp import i18n
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input, public_frame
from ticketapp.db import run_in_session
from ticketapp.services import password_reset
from ticketapp.services.errors import ValidationError
from ticketapp.state import SessionState

# Every answer to a request takes at least this long (plus jitter), so the time it takes does
# not tell whether the address has an account.
MIN_ANSWER_SECONDS = 0.4


class ForgotState(SessionState):
    email_error: str = ""
    sent: bool = False
    submitting: bool = False

    @rx.event
    def on_load(self):
        self.email_error = ""
        self.sent = False

    @rx.event
    async def request_link(self, form: dict):
        if self.submitting:
            return
        self.submitting = True
        self.email_error = ""
        yield
        started = asyncio.get_running_loop().time()
        try:
            await run_in_session(password_reset.request_reset, str(form.get("email", "")))
        except ValidationError as exc:
            self.email_error = exc.message
            self.submitting = False
            return
        elapsed = asyncio.get_running_loop().time() - started
        await asyncio.sleep(max(0.0, MIN_ANSWER_SECONDS - elapsed) + random.uniform(0, 0.1))
        self.submitting = False
        self.sent = True


class ResetState(SessionState):
    _token: str = ""
    link_ok: bool = True
    password_error: str = ""
    submitting: bool = False

    @rx.event
    async def on_load(self):
        self._token = str(self.router.url.query_parameters.get("token", ""))[:300]
        self.password_error = ""
        self.link_ok = await run_in_session(
            password_reset.token_is_valid, self._token, readonly=True
        )

    @rx.event
    async def set_password(self, form: dict):
        if self.submitting:
            return
        self.password_error = ""
        password, again = str(form.get("password", "")), str(form.get("password_again", ""))
        if password != again:
            self.password_error = i18n._("The two passwords differ. Type the same one twice.")
            return
        self.submitting = True
        yield
        try:
            await run_in_session(password_reset.reset_password, self._token, password)
        except ValidationError as exc:
            self.submitting = False
            if exc.field == "password":
                self.password_error = exc.message
            else:
                self.link_ok = False
            return
        self.submitting = False
        yield rx.toast.success(i18n._("Your password is changed. Sign in with the new one."))
        yield rx.redirect("/login")


def _back_to_sign_in() -> rx.Component:
    return rx.text(rx.link(t("Back to sign in"), href="/login", underline="always"), size="2")


def _request_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            labelled_input(
                t("Email"),
                "email",
                ForgotState.email_error,
                name="email",
                type="email",
                auto_complete="username",
                required=True,
                auto_focus=True,
            ),
            rx.button(
                t("Send reset link"),
                type="submit",
                width="100%",
                size="3",
                loading=ForgotState.submitting,
            ),
            spacing="3",
        ),
        on_submit=ForgotState.request_link,
        reset_on_submit=False,
    )


def forgot_page() -> rx.Component:
    return public_frame(
        rx.heading(t("Forgot your password?"), size="6", as_="h1"),
        rx.cond(
            ForgotState.sent,
            rx.callout(
                t(
                    "If an account uses that address, we have sent it a link to choose a new "
                    "password. The link works once, for one hour. Check your spam folder too."
                ),
                icon="mail",
                role="status",
            ),
            rx.fragment(
                rx.text(
                    t("Enter your account's email address and we'll send you a link."), size="2"
                ),
                _request_form(),
            ),
        ),
        _back_to_sign_in(),
    )


def _new_password_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            labelled_input(
                t("New password"),
                "password",
                ResetState.password_error,
                hint=t("At least 8 characters. A passphrase of a few words works well."),
                name="password",
                type="password",
                auto_complete="new-password",
                required=True,
                auto_focus=True,
            ),
            labelled_input(
                t("New password again"),
                "password_again",
                rx.Var.create(""),
                name="password_again",
                type="password",
                auto_complete="new-password",
                required=True,
            ),
            rx.button(
                t("Set new password"),
                type="submit",
                width="100%",
                size="3",
                loading=ResetState.submitting,
            ),
            spacing="3",
        ),
        on_submit=ResetState.set_password,
        reset_on_submit=False,
    )


def reset_page() -> rx.Component:
    return public_frame(
        rx.heading(t("Choose a new password"), size="6", as_="h1"),
        rx.cond(
            ResetState.link_ok,
            rx.fragment(
                rx.text(t("A new password signs you out on every device."), size="2"),
                _new_password_form(),
            ),
            rx.callout(
                t("This reset link is invalid, used or expired. Ask for a new one."),
                icon="triangle-alert",
                color_scheme="red",
                role="alert",
            ),
        ),
        rx.text(
            rx.link(t("Ask for a new link"), href="/forgot", underline="always"),
            " · ",
            rx.link(t("Back to sign in"), href="/login", underline="always"),
            size="2",
        ),
    )
