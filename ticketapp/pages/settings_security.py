"""/settings/security: two-factor sign-in (set up with a QR code or the key as text, confirm
with a first code, recovery codes shown once, new codes, turn off) and the password.

Staff whose team requires two-factor and who have not turned it on are held here
(`enrolment_page`): RoleGuard refuses their events on every other page.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from ticketapp.components.dialogs import form_dialog
from ticketapp.components.i18n import t, tn
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.services import auth, two_factor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import HOME_BY_ROLE, SIGNED_IN, SessionState


class SecurityState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN
    enrolment_page: ClassVar[bool] = True

    loading: bool = True
    enabled: bool = False
    required: bool = False
    recovery_left: int = 0
    # During set-up: the QR code (an SVG data: URI) and the same key as text.
    qr: str = ""
    secret_text: str = ""
    code_error: str = ""
    # Shown once, right after they are made.
    recovery_codes: list[str] = []
    proof_open: str = ""  # "" | "disable" | "renew": the dialog asking for a code or password
    proof_error: str = ""
    password_errors: dict[str, str] = {}

    async def _reload(self):
        actor = await self.current_actor()
        if actor is None:
            return
        status = await run_in_session(two_factor.status, actor, readonly=True)
        self.enabled, self.required = status.enabled, status.required
        self.recovery_left = status.recovery_left
        self.loading = False

    @rx.event
    async def on_load(self):
        self.qr = self.secret_text = self.code_error = ""
        self.recovery_codes = []
        self.loading = True
        yield
        await self._reload()

    @rx.event
    async def start_enrolment(self):
        actor = await self.current_actor()
        if actor is None:
            return
        try:
            enrolment = await run_in_session(two_factor.start_enrolment, actor)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.qr, self.secret_text, self.code_error = enrolment.qr_data_uri, enrolment.secret, ""

    @rx.event
    def cancel_enrolment(self):
        self.qr = self.secret_text = self.code_error = ""

    @rx.event
    async def confirm_enrolment(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return
        try:
            codes = await run_in_session(
                two_factor.confirm_enrolment, actor, str(form.get("code", ""))[:40]
            )
        except ValidationError as exc:
            self.code_error = exc.message
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.qr = self.secret_text = self.code_error = ""
        self.recovery_codes = codes
        await self._reload()
        return rx.toast.success(_("Two-factor sign-in is on."))

    @rx.event
    def hide_recovery_codes(self):
        self.recovery_codes = []
        if not self.must_enrol:
            return None
        return rx.redirect(HOME_BY_ROLE.get(self.user_role, "/"))

    @rx.event
    def open_proof(self, kind: str):
        self.proof_open = kind if kind in ("disable", "renew") else ""
        self.proof_error = ""

    @rx.event
    def proof_dialog_changed(self, is_open: bool):
        if is_open is not True:
            self.proof_open = ""

    @rx.event
    async def submit_proof(self, form: dict):
        actor = await self.current_actor()
        kind = self.proof_open
        if actor is None or not kind:
            return
        proof = str(form.get("proof", ""))[:1024]
        service = two_factor.disable if kind == "disable" else two_factor.renew_recovery_codes
        try:
            codes = await run_in_session(service, actor, proof)
        except ValidationError as exc:
            self.proof_error = exc.message
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.proof_open = ""
        await self._reload()
        if kind == "renew":
            self.recovery_codes = codes
            return rx.toast.success(_("New recovery codes made. The old ones no longer work."))
        return rx.toast.success(_("Two-factor sign-in is off."))

    @rx.event
    async def change_password(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return
        self.password_errors = {}
        try:
            await run_in_session(
                auth.change_password,
                actor,
                str(form.get("current_password", "")),
                str(form.get("password", "")),
            )
        except ValidationError as exc:
            self.password_errors = {exc.field or "password": exc.message}
            return
        return [
            rx.set_value("current-password", ""),
            rx.set_value("new-password", ""),
            rx.toast.success(_("Password changed. Remembered devices must enter a code again.")),
        ]


S = SecurityState


def _required_notice() -> rx.Component:
    return rx.cond(
        S.required & ~S.enabled,
        rx.callout(
            t("Your team requires two-factor sign-in. Turn it on to continue."),
            icon="shield-alert",
            color_scheme="amber",
            high_contrast=True,
            role="alert",
        ),
    )


def _enrol_form() -> rx.Component:
    return rx.vstack(
        rx.text(
            t(
                "Scan this QR code with an authenticator app (for example Aegis, Google "
                "Authenticator or 1Password), or type the key below into it."
            )
        ),
        rx.image(
            src=S.qr, alt=t("QR code for your authenticator app"), width="220px", height="220px"
        ),
        rx.el.label(t("Setup key"), html_for="totp-secret", style={"font-weight": "500"}),
        rx.input(
            id="totp-secret",
            value=S.secret_text,
            read_only=True,
            font_family="monospace",
            width="100%",
            max_width="28em",
        ),
        rx.form(
            rx.vstack(
                labelled_input(
                    t("Code from your app"),
                    "enrol-code",
                    S.code_error,
                    name="code",
                    auto_complete="one-time-code",
                    required=True,
                    max_length=10,
                ),
                rx.hstack(
                    rx.button(t("Turn on"), type="submit"),
                    rx.button(
                        t("Cancel"),
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.cancel_enrolment,
                    ),
                ),
                spacing="3",
                max_width="28em",
            ),
            on_submit=S.confirm_enrolment,
            reset_on_submit=False,
        ),
        spacing="3",
    )


def _recovery_codes() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Your recovery codes"), size="4", as_="h2"),
            rx.text(
                t(
                    "Each code signs you in once if you lose your phone. This is the only "
                    "time they are shown: store them somewhere safe now."
                )
            ),
            rx.el.ul(
                rx.foreach(
                    S.recovery_codes,
                    lambda c: rx.el.li(rx.code(c, size="3", variant="ghost")),
                ),
                aria_label=t("Recovery codes"),
                style={"columns": "2", "list-style": "none", "padding": "0"},
            ),
            rx.hstack(
                rx.button(
                    rx.icon("copy", size=16),
                    t("Copy"),
                    type="button",
                    # In the page: a clipboard write from the server is a script string.
                    on_click=[
                        rx.set_clipboard(S.recovery_codes.join("\n")),
                        rx.toast.success(t("Copied.")),
                    ],
                ),
                rx.button(t("I have stored them"), type="button", on_click=S.hide_recovery_codes),
            ),
            spacing="3",
        ),
        max_width="36em",
    )


def _enabled_panel() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.badge(t("On"), color_scheme="green", high_contrast=True),
            rx.text(t("Sign-in asks for a code from your authenticator app.")),
            align="center",
        ),
        rx.text(tn("{n} recovery code left", "{n} recovery codes left", S.recovery_left), size="2"),
        rx.hstack(
            rx.button(
                t("New recovery codes"),
                type="button",
                variant="soft",
                on_click=S.open_proof("renew"),
            ),
            rx.button(
                t("Turn off two-factor sign-in"),
                type="button",
                color_scheme="red",
                variant="soft",
                on_click=S.open_proof("disable"),
            ),
        ),
        spacing="3",
    )


def _proof_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(
            S.proof_open == "disable",
            t("Turn off two-factor sign-in?"),
            t("Make new recovery codes?"),
        ),
        rx.cond(
            S.proof_open == "disable",
            t("Sign-in will ask only for your password, and remembered devices are forgotten."),
            t("Your current recovery codes stop working."),
        ),
        labelled_input(
            t("A current code or your password"),
            "proof",
            S.proof_error,
            name="proof",
            type="password",
            auto_complete="off",
            required=True,
        ),
        submit=rx.cond(S.proof_open == "disable", t("Turn off"), t("Make new codes")),
        on_submit=S.submit_proof,
        open=S.proof_open != "",
        on_open_change=S.proof_dialog_changed,
    )


def _two_factor_section() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Two-factor sign-in"), size="5", as_="h2"),
        _required_notice(),
        rx.cond(
            S.recovery_codes.length() > 0,
            _recovery_codes(),
            rx.cond(
                S.enabled,
                _enabled_panel(),
                rx.cond(
                    S.qr != "",
                    _enrol_form(),
                    rx.vstack(
                        rx.text(
                            t(
                                "Protect your account with a code from an authenticator app "
                                "as well as your password."
                            )
                        ),
                        rx.button(
                            rx.icon("shield-check", size=16),
                            t("Set up two-factor sign-in"),
                            type="button",
                            on_click=S.start_enrolment,
                        ),
                        spacing="3",
                    ),
                ),
            ),
        ),
        _proof_dialog(),
        spacing="3",
        width="100%",
    )


def _password_section() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Password"), size="5", as_="h2"),
        rx.form(
            rx.vstack(
                labelled_input(
                    t("Current password"),
                    "current-password",
                    S.password_errors.get("current_password", ""),
                    name="current_password",
                    type="password",
                    auto_complete="current-password",
                    required=True,
                ),
                labelled_input(
                    t("New password"),
                    "new-password",
                    S.password_errors.get("password", ""),
                    hint=t("At least 8 characters. A passphrase of a few words works well."),
                    name="password",
                    type="password",
                    auto_complete="new-password",
                    required=True,
                ),
                rx.button(t("Change password"), type="submit"),
                spacing="3",
                width="100%",
                max_width="28em",
            ),
            on_submit=S.change_password,
            reset_on_submit=False,
        ),
        spacing="3",
        width="100%",
    )


def settings_security_page() -> rx.Component:
    return page_frame(
        rx.cond(
            S.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.vstack(_two_factor_section(), rx.separator(), _password_section(), spacing="5"),
        ),
        title=t("Security"),
        roles=SIGNED_IN,
    )
