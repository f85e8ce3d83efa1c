"""/admin/users: managers create agents and managers, change roles, deactivate users."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.admin import row_button
from ticketapp.components.bell import email_notice
from ticketapp.components.dialogs import confirm_dialog, form_dialog
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input, page_frame, select_control
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import ROLE_LABELS, Role
from ticketapp.services import auth, two_factor
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

ROLE_OPTIONS = [(r.value, t(ROLE_LABELS[r])) for r in Role]


class UserRow(TypedDict):
    id: int
    name: str
    email: str
    role: str
    active: bool
    is_me: bool
    two_factor: bool


def _rows(session, actor: Actor, query: str) -> tuple[list[UserRow], bool]:
    users = auth.list_users(session, actor, query)
    enrolled = two_factor.enabled_user_ids(session, actor)
    return [
        UserRow(
            id=u.id,
            name=u.name,
            email=u.email,
            role=u.role,
            active=u.is_active,
            is_me=u.id == actor.id,
            two_factor=u.id in enrolled,
        )
        for u in users
    ], two_factor.required_for_staff(session)


class AdminUsersState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    users: list[UserRow] = []
    query: str = ""
    loading: bool = True
    form_errors: dict[str, str] = {}
    create_open: bool = False
    new_role: str = Role.AGENT.value
    confirm_user_id: int = 0
    confirm_name: str = ""
    require_2fa: bool = False

    async def _reload(self):
        actor = await self.current_actor()
        self.users, self.require_2fa = await run_in_session(_rows, actor, self.query, readonly=True)
        self.loading = False

    @rx.event
    async def set_require_2fa(self, required: bool):
        actor = await self.current_actor()
        try:
            await run_in_session(two_factor.set_required_for_staff, actor, required is True)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        if required is True:
            return rx.toast.success(
                _("Two-factor sign-in is now required for staff. They set it up at next sign-in.")
            )
        return rx.toast.success(_("Two-factor sign-in is now optional for staff."))

    @rx.event
    async def on_load(self):
        self.loading = True
        yield
        await self._reload()

    @rx.event
    async def search(self, query: str):
        self.query = str(query)[:100]
        await self._reload()

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = bool(value)
        self.form_errors = {}

    @rx.event
    def set_new_role(self, value: str):
        self.new_role = str(value)

    @rx.event
    async def create_user(self, form: dict):
        actor = await self.current_actor()
        self.form_errors = {}
        try:
            await run_in_session(
                auth.create_user,
                actor,
                str(form.get("email", "")),
                str(form.get("name", "")),
                str(form.get("password", "")),
                self.new_role,
            )
        except ValidationError as exc:
            self.form_errors = {exc.field or "email": exc.message}
            return
        self.create_open = False
        await self._reload()
        return rx.toast.success(_("Account created for {email}.", email=form.get("email", "")))

    @rx.event
    async def change_role(self, user_id: int, role: str):
        actor = await self.current_actor()
        try:
            await run_in_session(auth.change_role, actor, user_id, str(role))
        except ServiceError as exc:
            await self._reload()
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Role changed. It applies on their next action."))

    @rx.event
    def ask_deactivate(self, user_id: int, name: str):
        self.confirm_user_id = int(user_id)
        self.confirm_name = str(name)

    @rx.event
    def cancel_deactivate(self):
        self.confirm_user_id = 0

    @rx.event
    async def set_active(self, user_id: int, active: bool):
        actor = await self.current_actor()
        self.confirm_user_id = 0
        try:
            await run_in_session(auth.set_active, actor, user_id, bool(active))
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("User reactivated.") if active else _("User deactivated."))


def _error(field: str) -> rx.Var[str]:
    return AdminUsersState.form_errors.get(field, "")


def _create_dialog() -> rx.Component:
    return form_dialog(
        t("New user"),
        t(
            "Create an agent or manager account. Share the password "
            "privately; they can sign in right away."
        ),
        labelled_input(t("Name"), "new-name", _error("name"), name="name", required=True),
        labelled_input(
            t("Email"),
            "new-email",
            _error("email"),
            name="email",
            type="email",
            required=True,
        ),
        rx.vstack(
            rx.el.label(
                t("Role"),
                html_for="new-role",
                style={"font-weight": "500", "font-size": "14px"},
            ),
            select_control(
                ROLE_OPTIONS,
                AdminUsersState.new_role,
                AdminUsersState.set_new_role,
                trigger_id="new-role",
            ),
            spacing="1",
        ),
        labelled_input(
            t("Password"),
            "new-password",
            _error("password"),
            name="password",
            type="password",
            hint=t("At least 8 characters."),
            auto_complete="new-password",
            required=True,
        ),
        submit=t("Create user"),
        on_submit=AdminUsersState.create_user,
        open=AdminUsersState.create_open,
        on_open_change=AdminUsersState.set_create_open,
        trigger=rx.button(rx.icon("user-plus", size=16), t("New user")),
    )


def _confirm_dialog() -> rx.Component:
    s = AdminUsersState
    return confirm_dialog(
        t("Deactivate user?"),
        t(
            "{name} will be signed out everywhere and can no longer sign in. Their "
            "tickets and history stay. You can reactivate them later.",
            name=s.confirm_name,
        ),
        confirm=t("Deactivate"),
        on_confirm=s.set_active(s.confirm_user_id, False),
        on_cancel=s.cancel_deactivate,
        open=s.confirm_user_id != 0,
        color_scheme="red",
    )


def _user_row(user: rx.Var[UserRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(  # ORGS: the person's profile
            rx.link(user["name"], href="/people/" + user["id"].to(str))
        ),
        rx.table.cell(user["email"]),
        rx.table.cell(
            select_control(
                ROLE_OPTIONS,
                user["role"],
                lambda role: AdminUsersState.change_role(user["id"], role),
                aria_label=t("Role of {name}", name=user["name"]),
                disabled=user["is_me"],
                size="1",
            )
        ),
        rx.table.cell(
            rx.cond(
                user["active"],
                rx.badge(t("Active"), color_scheme="green", high_contrast=True),
                rx.badge(t("Deactivated"), color_scheme="gray", high_contrast=True),
            )
        ),
        rx.table.cell(rx.cond(user["two_factor"], t("On"), t("Off"))),
        rx.table.cell(
            rx.cond(
                user["active"],
                row_button(
                    t("Deactivate"),
                    t("Deactivate {name}", name=user["name"]),
                    AdminUsersState.ask_deactivate(user["id"], user["name"]),
                    danger=True,
                    disabled=user["is_me"],
                ),
                row_button(
                    t("Reactivate"),
                    t("Reactivate {name}", name=user["name"]),
                    AdminUsersState.set_active(user["id"], True),
                ),
            )
        ),
    )


def _security_bar() -> rx.Component:
    """The staff two-factor switch, and the ways to the organisations and the audit log (kept
    out of the crowded top bar)."""
    return rx.hstack(
        _require_2fa_switch(),
        rx.spacer(),
        rx.link(  # ORGS:
            rx.icon("building-2", size=16), t("Organisations"), href="/admin/organisations"
        ),
        rx.link(rx.icon("scroll-text", size=16), t("Audit log"), href="/admin/audit"),
        width="100%",
        align="center",
    )


def _require_2fa_switch() -> rx.Component:
    return rx.hstack(
        rx.switch(
            checked=AdminUsersState.require_2fa,
            on_change=AdminUsersState.set_require_2fa,
            id="require-2fa",
            aria_labelledby="require-2fa-label",
        ),
        rx.el.label(
            t("Require two-factor sign-in for all staff"),
            id="require-2fa-label",
            html_for="require-2fa",
            style={"font-size": "14px"},
        ),
        align="center",
        spacing="2",
    )


def admin_users_page() -> rx.Component:
    return page_frame(
        email_notice(),
        _security_bar(),
        rx.hstack(
            rx.input(
                placeholder=t("Search by name or email"),
                aria_label=t("Search users"),
                value=AdminUsersState.query,
                on_change=AdminUsersState.search.debounce(300),
                width="20em",
            ),
            rx.spacer(),
            _create_dialog(),
            width="100%",
        ),
        rx.cond(
            AdminUsersState.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.cond(
                AdminUsersState.users.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in (
                                    t("Name"),
                                    t("Email"),
                                    t("Role"),
                                    t("Status"),
                                    t("Two-factor"),
                                    t("Actions"),
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(AdminUsersState.users, _user_row)),
                    width="100%",
                    aria_label=t("Users"),
                ),
                rx.text(t("No users match your search.")),
            ),
        ),
        _confirm_dialog(),
        title=t("Users"),
        roles=MANAGERS,
    )
