"""Sign in and sign up."""

from __future__ import annotations

import time

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error, labelled_input, public_frame
from ticketapp.config import settings
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.services import auth, two_factor
from ticketapp.services.errors import ValidationError
from ticketapp.session_cookie import DEVICE_COOKIE, cookie_from
from ticketapp.state import ENROL_PATH, HOME_BY_ROLE, SessionState, _peek_actor, request_ip


def _safe_next(path: str) -> str:
    """Only same-site paths: never redirect to another origin after sign-in."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return ""


def _sign_up(session, name: str, email: str, password: str, user_agent: str) -> tuple[str, str]:
    user = auth.sign_up(session, email=email, name=name, password=password)
    return auth.start_session(session, user, user_agent), user.role


PENDING_SECONDS = 5 * 60  # the second step must follow the password within five minutes


class LoginState(SessionState):
    error: str = ""
    signing_in: bool = False
    # The second step (a code) is due: the password was right and two-factor is on.
    needs_code: bool = False
    # Who passed the password step, and when (backend only: never sent to the browser).
    _pending_user_id: int = 0
    _pending_since: float = 0.0

    @rx.event
    async def on_load(self):
        self.error = ""
        self.signing_in = False  # left on by the last sign-in of this tab (see sign_in)
        self.needs_code = False
        self._pending_user_id = 0
        if await self.current_actor() is not None:
            return rx.redirect(self.home_path)

    def _device_token(self) -> str:
        """A remembered device's token (services/devices.py): an HttpOnly cookie, read here."""
        return cookie_from(self.router.headers.cookie, DEVICE_COOKIE)

    async def _signed_in(self, result: auth.SignInResult) -> None:
        """The page posts the new session to /auth/session, which sets its cookie."""
        self.needs_code = False
        self._pending_user_id = 0
        _, _, must_enrol = await run_in_session(_peek_actor, result.token, readonly=True)
        next_path = _safe_next(self.router.url.query_parameters.get("next", ""))
        target = ENROL_PATH if must_enrol else next_path or HOME_BY_ROLE[result.role]
        await self._hand_off(result.token, target, result.device_token)

    @rx.event
    async def sign_in(self, form: dict):
        if self.signing_in:
            return
        self.signing_in = True
        self.error = ""
        yield
        result = await run_in_session(
            two_factor.sign_in,
            str(form.get("email", "")),
            str(form.get("password", "")),
            self.router.headers.user_agent,
            request_ip(self),
            self._device_token(),
        )
        if result.error or result.pending_user_id:
            self.signing_in = False
            self.error = result.error
            self._pending_user_id = result.pending_user_id
            self._pending_since = time.monotonic()
            self.needs_code = bool(result.pending_user_id)
            return
        await self._signed_in(result)  # signing_in stays on until the page has moved on

    @rx.event
    async def verify_code(self, form: dict):
        if self.signing_in:
            return
        self.error = ""
        if not self._pending_user_id or time.monotonic() - self._pending_since > PENDING_SECONDS:
            self.needs_code = False
            self.error = _(two_factor.SIGN_IN_AGAIN)
            return
        self.signing_in = True
        yield
        result = await run_in_session(
            two_factor.second_step,
            self._pending_user_id,
            str(form.get("code", ""))[:40],
            form.get("remember") in ("on", True, "true"),
            self.router.headers.user_agent,
            request_ip(self),
        )
        if result.error:
            self.signing_in = False
            self.error = result.error
            if not result.pending_user_id:  # locked out or gone: start again
                self.needs_code = False
                self._pending_user_id = 0
            return
        await self._signed_in(result)

    @rx.event
    def start_over(self):
        self.needs_code = False
        self._pending_user_id = 0
        self.error = ""


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
        # The welcome is on the home page after the post (the toast would not survive it).
        await self._hand_off(token, HOME_BY_ROLE[role] + "?welcome=1")
        self.submitting = False


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


def _password_form() -> rx.Component:
    return rx.form(
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
    )


def _code_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(
                t(
                    "Enter the 6-digit code from your authenticator app, "
                    "or one of your recovery codes."
                ),
                size="2",
            ),
            labelled_input(
                t("Code"),
                "code",
                LoginState.error,
                name="code",
                auto_complete="one-time-code",
                input_mode="text",
                required=True,
                auto_focus=True,
                max_length=40,
            ),
            rx.hstack(
                rx.checkbox(name="remember", id="remember", aria_labelledby="remember-label"),
                rx.el.label(
                    t("Remember this device for 30 days"),
                    id="remember-label",
                    html_for="remember",
                    style={"font-size": "14px"},
                ),
                align="center",
                spacing="2",
            ),
            rx.button(
                t("Verify"),
                type="submit",
                width="100%",
                size="3",
                loading=LoginState.signing_in,
            ),
            rx.button(
                t("Start over"),
                type="button",
                variant="ghost",
                on_click=LoginState.start_over,
            ),
            spacing="3",
        ),
        on_submit=LoginState.verify_code,
        reset_on_submit=True,
    )


def login_page() -> rx.Component:
    return public_frame(
        rx.heading(
            rx.cond(LoginState.needs_code, t("Two-factor sign-in"), t("Sign in")),
            size="6",
            as_="h1",
        ),
        rx.cond(LoginState.needs_code, _code_form(), _password_form()),
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
