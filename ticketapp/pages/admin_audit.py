"""/admin/audit: the security audit log for managers, newest first, with filters (actor,
action, date range) and a CSV export of what the filters select."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp import i18n
from ticketapp.components.admin import select_field
from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t, t_choice
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.db import run_in_session
from ticketapp.i18n import N_, _
from ticketapp.services import security_log
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

ALL = "all"
ACTION_OPTIONS = [(ALL, N_("All actions")), *security_log.ACTIONS.items()]


class AuditRow(TypedDict):
    id: int
    when: str
    actor: str
    action: str
    target: str
    detail: str
    ip: str


def _rows(session, actor: Actor, filters: security_log.Filters) -> list[AuditRow]:
    return [
        AuditRow(
            id=r.id,
            when=r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            actor=r.actor_email,
            action=r.action,
            target=i18n.shown(r.target),
            detail=i18n.shown(r.detail),
            ip=r.ip,
        )
        for r in security_log.list_events(session, actor, filters)
    ]


class AdminAuditState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    rows: list[AuditRow] = []
    loading: bool = True
    f_actor: str = ""
    f_action: str = ALL
    f_start: str = ""
    f_end: str = ""
    errors: dict[str, str] = {}

    def _params(self) -> dict[str, str]:
        action = "" if self.f_action == ALL else self.f_action
        return {"actor": self.f_actor, "action": action, "start": self.f_start, "end": self.f_end}

    async def _reload(self):
        actor = await self.current_actor()
        if actor is None:
            return
        try:
            filters = security_log.parse_filters(self._params())
        except ValidationError as exc:
            self.errors = {exc.field or "start": exc.message}
            return
        self.errors = {}
        self.rows = await run_in_session(_rows, actor, filters, readonly=True)
        self.loading = False

    @rx.event
    async def on_load(self):
        self.loading = True
        yield
        await self._reload()

    @rx.event
    def set_action(self, value: str):
        self.f_action = value if value == ALL or value in security_log.ACTIONS else ALL

    @rx.event
    async def apply(self, form: dict):
        self.f_actor = str(form.get("actor", ""))[:254]
        self.f_start = str(form.get("start", ""))[:10]
        self.f_end = str(form.get("end", ""))[:10]
        await self._reload()

    @rx.event
    async def clear(self):
        self.f_actor = self.f_start = self.f_end = ""
        self.f_action = ALL
        await self._reload()
        return [rx.set_value(i, "") for i in ("audit-actor", "audit-start", "audit-end")]

    @rx.event
    async def export_csv(self):
        actor = await self.current_actor()
        if actor is None:
            return None
        try:
            filters = security_log.parse_filters(self._params())
            text = await run_in_session(security_log.export_csv, actor, filters)
        except ValidationError as exc:
            self.errors = {exc.field or "start": exc.message}
            return None
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return [
            rx.download(data=text, filename="audit-log.csv", mime_type="text/csv"),
            rx.toast.success(_("Audit log exported.")),
        ]


S = AdminAuditState


def _error(field: str) -> rx.Var[str]:
    return S.errors.get(field, "")


def _filters() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(
                labelled_input(t("Actor"), "audit-actor", _error("actor"), name="actor"),
                min_width="14em",
            ),
            rx.box(
                select_field(t("Action"), "audit-action", ACTION_OPTIONS, S.f_action, S.set_action),
                min_width="14em",
            ),
            rx.box(
                labelled_input(t("From"), "audit-start", _error("start"), name="start", type="date")
            ),
            rx.box(labelled_input(t("To"), "audit-end", _error("end"), name="end", type="date")),
            rx.hstack(
                rx.button(t("Apply filters"), type="submit"),
                rx.button(t("Clear"), type="button", variant="soft", on_click=S.clear),
                rx.button(
                    rx.icon("download", size=16),
                    t("Export CSV"),
                    type="button",
                    variant="outline",
                    on_click=S.export_csv,
                ),
                align="end",
            ),
            gap="3",
            wrap="wrap",
            align="end",
        ),
        on_submit=S.apply,
        reset_on_submit=False,
    )


def _row(r: rx.Var[AuditRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(r["when"], white_space="nowrap")),
        rx.table.cell(rx.cond(r["actor"] != "", r["actor"], t("system"))),
        rx.table.row_header_cell(t_choice(r["action"], security_log.ACTIONS)),
        rx.table.cell(r["target"]),
        rx.table.cell(r["detail"]),
        rx.table.cell(rx.code(r["ip"], variant="ghost")),
    )


def _table() -> rx.Component:
    headers = (t("Time (UTC)"), t("Actor"), t("Action"), t("Target"), t("Detail"), t("IP"))
    return rx.table.root(
        table_caption(t("Security audit log")),
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(S.rows, _row)),
        width="100%",
    )


def admin_audit_page() -> rx.Component:
    return page_frame(
        rx.text(
            t(
                "Sign-ins, lockouts, password and two-factor changes, roles, API tokens, admin "
                "edits and exports. Entries cannot be changed; old ones are removed after the "
                "retention period."
            )
        ),
        _filters(),
        rx.cond(
            S.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.cond(
                S.rows.length() > 0,
                _table(),
                rx.text(t("No entries match these filters."), color_scheme="gray"),
            ),
        ),
        title=t("Audit log"),
        roles=MANAGERS,
        wide=True,
    )
