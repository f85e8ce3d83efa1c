"""/settings/tokens: each user's personal access tokens for the REST API: list, create (the
secret shown once, with a copy button), revoke after a confirmation."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.admin import row_button, select_field
from ticketapp.components.dialogs import confirm_dialog, form_dialog
from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t, t_var
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.db import run_in_session
from ticketapp.i18n import N_, _
from ticketapp.models import utcnow
from ticketapp.services import api_tokens
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import SIGNED_IN, SessionState

SCOPE_LABELS = {"read": N_("Read only"), "write": N_("Read and write")}
STATUS_LABELS = {"active": N_("Active"), "revoked": N_("Revoked"), "expired": N_("Expired")}
STATUS_COLORS = {"active": "green", "revoked": "gray", "expired": "amber"}


class TokenRow(TypedDict):
    id: int
    name: str
    scope: str
    prefix: str
    created: str
    expires: str
    last_used: str
    status: str


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else ""


def _rows(session, actor: Actor) -> list[TokenRow]:
    now = utcnow()
    rows = []
    for tok in api_tokens.list_tokens(session, actor):
        status = "revoked" if tok.revoked_at else "expired" if tok.expires_at <= now else "active"
        rows.append(
            TokenRow(
                id=tok.id,
                name=tok.name,
                scope=tok.scope,
                prefix=tok.prefix,
                created=_day(tok.created_at),
                expires=_day(tok.expires_at),
                last_used=_day(tok.last_used_at),
                status=status,
            )
        )
    return rows


class ApiTokensState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    tokens: list[TokenRow] = []
    loading: bool = True
    create_open: bool = False
    form_errors: dict[str, str] = {}
    new_scope: str = "read"
    # The secret of the token just created: shown once in its dialog, then forgotten.
    new_secret: str = ""
    confirm_id: int = 0
    confirm_name: str = ""

    async def _reload(self):
        actor = await self.current_actor()
        if actor is None:
            return
        self.tokens = await run_in_session(_rows, actor, readonly=True)
        self.loading = False

    @rx.event
    async def on_load(self):
        self.new_secret = ""
        self.loading = True
        yield
        await self._reload()

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value is True
        self.form_errors = {}
        self.new_scope = "read"

    @rx.event
    def set_new_scope(self, value: str):
        self.new_scope = str(value) if value in SCOPE_LABELS else "read"

    @rx.event
    async def create_token(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return
        self.form_errors = {}
        try:
            _view, secret = await run_in_session(
                api_tokens.create_token,
                actor,
                str(form.get("name", "")),
                self.new_scope,
                str(form.get("days", "")).strip() or api_tokens.DEFAULT_DAYS,
            )
        except ValidationError as exc:
            self.form_errors = {exc.field or "name": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.create_open = False
        self.new_secret = secret
        await self._reload()
        return rx.toast.success(_("Token created."))

    @rx.event
    def forget_secret(self):
        self.new_secret = ""

    @rx.event
    def secret_dialog_changed(self, is_open: bool):
        if is_open is not True:
            self.new_secret = ""

    @rx.event
    def ask_revoke(self, token_id: int, name: str):
        self.confirm_id = int(token_id) if str(token_id).isdigit() else 0
        self.confirm_name = str(name)[:80]

    @rx.event
    def cancel_revoke(self):
        self.confirm_id = 0

    @rx.event
    async def revoke(self):
        actor = await self.current_actor()
        token_id, self.confirm_id = self.confirm_id, 0
        if actor is None or not token_id:
            return
        try:
            await run_in_session(api_tokens.revoke_token, actor, token_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Token revoked."))


def _error(field: str) -> rx.Var[str]:
    return ApiTokensState.form_errors.get(field, "")


def _create_dialog() -> rx.Component:
    return form_dialog(
        t("New token"),
        t("Choose what the token may do and how long it works."),
        labelled_input(
            t("Name"),
            "token-name",
            _error("name"),
            hint=t("What will use it, e.g. CRM sync."),
            name="name",
            max_length=api_tokens.MAX_NAME,
        ),
        select_field(
            t("Scope"),
            "token-scope",
            list(SCOPE_LABELS.items()),
            ApiTokensState.new_scope,
            ApiTokensState.set_new_scope,
        ),
        labelled_input(
            t("Expires after (days)"),
            "token-days",
            _error("days"),
            hint=t("From 1 to 366 days."),
            name="days",
            type="number",
            min=1,
            max=api_tokens.MAX_DAYS,
            default_value=str(api_tokens.DEFAULT_DAYS),
        ),
        submit=t("Create token"),
        on_submit=ApiTokensState.create_token,
        open=ApiTokensState.create_open,
        on_open_change=ApiTokensState.set_create_open,
        trigger=rx.button(rx.icon("key-round", size=16), t("New token")),
    )


def _secret_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Copy your new token")),
            rx.dialog.description(
                t("This is the only time it is shown. Store it somewhere safe now."), size="2"
            ),
            rx.vstack(
                rx.el.label(t("Your new token"), html_for="token-secret"),
                rx.hstack(
                    rx.input(
                        id="token-secret",
                        value=ApiTokensState.new_secret,
                        read_only=True,
                        font_family="monospace",
                        width="100%",
                    ),
                    rx.button(
                        rx.icon("copy", size=16),
                        t("Copy"),
                        type="button",
                        # In the page: a clipboard write from the server is a script string.
                        on_click=[
                            rx.set_clipboard(ApiTokensState.new_secret),
                            rx.toast.success(t("Copied.")),
                        ],
                    ),
                    width="100%",
                ),
                rx.hstack(
                    rx.dialog.close(rx.button(t("Done"), on_click=ApiTokensState.forget_secret)),
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                margin_top="1em",
            ),
        ),
        open=ApiTokensState.new_secret != "",
        on_open_change=ApiTokensState.secret_dialog_changed,
    )


def _confirm_dialog() -> rx.Component:
    s = ApiTokensState
    return confirm_dialog(
        t("Revoke token?"),
        t(
            "{name} stops working at once: whatever uses it gets refused. This cannot be undone.",
            name=s.confirm_name,
        ),
        confirm=t("Revoke"),
        on_confirm=s.revoke,
        on_cancel=s.cancel_revoke,
        open=s.confirm_id != 0,
        color_scheme="red",
        high_contrast=True,  # white on red-9 is under 4.5:1
    )


def _label_of(labels: dict[str, str], value: rx.Var[str]) -> rx.Component:
    return rx.match(value, *[(key, t(label)) for key, label in labels.items()], value)


def _row(tok: rx.Var[TokenRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(tok["name"], weight="medium"),
                rx.code(tok["prefix"] + "…", size="1", variant="ghost"),
                spacing="0",
            )
        ),
        rx.table.cell(_label_of(SCOPE_LABELS, tok["scope"])),
        rx.table.cell(tok["created"]),
        rx.table.cell(tok["expires"]),
        rx.table.cell(rx.cond(tok["last_used"] != "", tok["last_used"], t("Never"))),
        rx.table.cell(
            rx.match(
                tok["status"],
                *[
                    (key, rx.badge(t(label), color_scheme=STATUS_COLORS[key], high_contrast=True))
                    for key, label in STATUS_LABELS.items()
                ],
                rx.badge(t_var(tok["status"])),
            )
        ),
        rx.table.cell(
            rx.cond(
                tok["status"] == "active",
                row_button(
                    t("Revoke"),
                    t("Revoke {name}", name=tok["name"]),
                    ApiTokensState.ask_revoke(tok["id"], tok["name"]),
                    danger=True,
                ),
            )
        ),
    )


def _table() -> rx.Component:
    headers = (t("Name"), t("Scope"), t("Created"), t("Expires"), t("Last used"), t("Status"))
    return rx.table.root(
        table_caption(t("Your API tokens")),
        rx.table.header(
            rx.table.row(
                *[rx.table.column_header_cell(h) for h in headers],
                rx.table.column_header_cell(t("Actions")),
            )
        ),
        rx.table.body(rx.foreach(ApiTokensState.tokens, _row)),
        width="100%",
    )


def settings_tokens_page() -> rx.Component:
    return page_frame(
        rx.text(
            t(
                "Personal access tokens let scripts and other tools use the REST API as you, "
                "with your permissions. Treat them like passwords."
            )
        ),
        rx.hstack(
            rx.link(t("API documentation"), href="/api/docs", is_external=True),
            rx.spacer(),
            _create_dialog(),
            width="100%",
            align="center",
        ),
        rx.cond(
            ApiTokensState.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.cond(
                ApiTokensState.tokens.length() > 0,
                _table(),
                rx.text(t("No tokens yet."), color_scheme="gray"),
            ),
        ),
        _secret_dialog(),
        _confirm_dialog(),
        title=t("API tokens"),
        roles=SIGNED_IN,
    )
