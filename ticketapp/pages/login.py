"""Sign in and sign up."""

from __future__ import annotations

import reflex as rx

from ticketapp import i18n
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error, labelled_input, public_frame
from ticketapp.config import settings
from ticketapp.db import run_in_session
from ticketapp.services import auth
from ticketapp.services.errors import ValidationError
from ticketapp.state import HOME_BY_ROLE, SessionState


def _safe_next(path: str) -> str:
    """Only same-site paths: never redirect to another origin after sign-in."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return ""


def _sign_up(session, name: str, email: str, password: str, user_agent: str) -> tuple[str, str]:
    user = auth.sign_up(session, email=email, name=name, password=password)
    return auth.start_session(session, user, user_agent), user.role


class LoginState(SessionState):
    error: str = ""
    signing_in: bool = False

    @rx.event
    async def on_load(self):
        self.error = ""
        if await self.current_actor() is not None:
            return rx.redirect(self.home_path)

    @rx.event
    async def sign_in(self, form: dict):
        if self.signing_in:
            return
        self.signing_in = True
        self.error = ""
        yield
        result = await run_in_session(
            auth.sign_in,
            str(form.get("email", "")),
            str(form.get("password", "")),
            self.router.headers.user_agent,
        )
        self.signing_in = False
        if result.error:
            self.error = result.error
            return
        self.session_token = result.token
        await self.current_actor()
        target = _safe_next(self.router.url.query_parameters.get("next", ""))
        yield rx.redirect(target or HOME_BY_ROLE[result.role])


class SignupState(SessionState):
    name_error: str = ""
    email_error: str = ""
    password_error: str = ""
    submitting: bool = False

    @rx.event
    async def sign_up(self, form: dict):
        if self.submitting:
            return
        self.name_error = self.email_error = self.password_error = ""
        self.submitting = True
        yield
        try:
            token, role = await run_in_session(
                _sign_up,
                str(form.get("name", "")),
                str(form.get("email", "")),
                str(form.get("password", "")),
                self.router.headers.user_agent,
            )
        except ValidationError as exc:
            setattr(self, f"{exc.field or 'email'}_error", exc.message)
            self.submitting = False
            return
        self.session_token = token
        self.submitting = False
        await self.current_actor()
        yield rx.toast.success(i18n._("Welcome to ticketapp! Your account is ready."))
        yield rx.redirect(HOME_BY_ROLE[role])


def _demo_accounts() -> rx.Component:
    """Shown only in demo mode (TICKETAPP_DEMO=1): how to try each role."""
    if not settings.demo:
        return rx.fragment()
    return rx.callout(
        rx.text(
            t("Demo accounts (password {password}):", password="demo-password"),
            " requester@example.com, agent@example.com, manager@example.com",
            size="2",
        ),
        icon="info",
        size="1",
    )


def login_page() -> rx.Component:
    return public_frame(
        rx.heading(t("Sign in"), size="6", as_="h1"),
        rx.form(
            rx.vstack(
                labelled_input(
                    t("Email"),
                    "email",
                    rx.Var.create(""),
                    name="email",
                    type="email",
                    auto_complete="username",
                    required=True,
                    auto_focus=True,
                ),
                labelled_input(
                    t("Password"),
                    "password",
                    rx.Var.create(""),
                    name="password",
                    type="password",
                    auto_complete="current-password",
                    required=True,
                ),
                field_error(LoginState.error, "signin"),
                rx.link(t("Forgot password?"), href="/forgot", size="2", underline="always"),
                rx.button(
                    t("Sign in"),
                    type="submit",
                    width="100%",
                    size="3",
                    loading=LoginState.signing_in,
                ),
                spacing="3",
            ),
            on_submit=LoginState.sign_in,
            reset_on_submit=False,
        ),
        _demo_accounts(),
        rx.text(
            t("New here?"),
            " ",
            rx.link(t("Create an account"), href="/signup", underline="always"),
            size="2",
        ),
    )


def signup_page() -> rx.Component:
    return public_frame(
        rx.heading(t("Create your account"), size="6", as_="h1"),
        rx.text(t("Requesters sign up here. Agents are invited by a manager."), size="2"),
        rx.form(
            rx.vstack(
                labelled_input(
                    t("Name"),
                    "name",
                    SignupState.name_error,
                    name="name",
                    auto_complete="name",
                    required=True,
                    auto_focus=True,
                ),
                labelled_input(
                    t("Email"),
                    "email",
                    SignupState.email_error,
                    name="email",
                    type="email",
                    auto_complete="email",
                    required=True,
                ),
                labelled_input(
                    t("Password"),
                    "password",
                    SignupState.password_error,
                    hint=t("At least 8 characters. A passphrase of a few words works well."),
                    name="password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                ),
                rx.button(
                    t("Create account"),
                    type="submit",
                    width="100%",
                    size="3",
                    loading=SignupState.submitting,
                ),
                spacing="3",
            ),
            on_submit=SignupState.sign_up,
            reset_on_submit=False,
        ),
        rx.text(
            t("Already have an account?"),
            " ",
            rx.link(t("Sign in"), href="/login", underline="always"),
            size="2",
        ),
    )
