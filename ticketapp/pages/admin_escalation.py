"""/admin/escalation: managers define what happens when a ticket nears or breaches a target."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.admin import (
    admin_table,
    delete_dialog,
    item_row,
    row_actions,
    select_field,
)
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error, labelled_input, page_frame
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.services import choices, escalation, sla
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

TARGET_OPTIONS = [("first_response", t("First response")), ("resolution", t("Resolution"))]


class RuleItem(TypedDict):
    id: int
    name: str
    target: str
    threshold: str
    summary: str
    active: bool
    notify_assignee: bool
    notify_team_managers: bool
    raise_priority: bool
    team: str
    user: str
    policy: str


def _load(session, actor: Actor) -> dict:
    rules = escalation.list_rules(session, actor)
    opts = choices.edit_choices(session, actor)
    return {
        "rules": [
            RuleItem(
                id=r.id,
                name=r.name,
                target=r.target,
                threshold=str(r.threshold_percent),
                summary=r.summary,
                active=r.is_active,
                notify_assignee=r.notify_assignee,
                notify_team_managers=r.notify_team_managers,
                raise_priority=r.raise_priority,
                team=str(r.reassign_team_id or "none"),
                user=str(r.reassign_user_id or "none"),
                policy=str(r.policy_id or "none"),
            )
            for r in rules
        ],
        "teams": [["none", _("Don't reassign")]] + [[str(t.id), t.name] for t in opts.teams],
        "users": [["none", _("Don't reassign")]] + [[str(u.id), u.name] for u in opts.assignees],
        "policies": [["none", _("Every SLA policy")]]
        + [[str(p.id), p.name] for p in sla.list_policies(session, actor)],
    }


class AdminEscalationState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    rules: list[RuleItem] = []
    teams: list[list[str]] = []
    users: list[list[str]] = []
    policies: list[list[str]] = []
    loading: bool = True

    open: bool = False
    edit_id: int = 0
    r_name: str = ""
    r_target: str = "resolution"
    r_threshold: str = "100"
    r_notify_assignee: bool = True
    r_notify_managers: bool = False
    r_raise: bool = False
    r_team: str = "none"
    r_user: str = "none"
    r_policy: str = "none"
    errors: dict[str, str] = {}

    confirm_id: int = 0
    confirm_name: str = ""

    async def _reload(self):
        actor = await self.current_actor()
        data = await run_in_session(_load, actor, readonly=True)
        self.rules, self.teams, self.users = data["rules"], data["teams"], data["users"]
        self.policies = data["policies"]
        self.loading = False

    @rx.event
    async def on_load(self):
        self.loading = True
        yield
        await self._reload()

    @rx.event
    def new_rule(self):
        self.edit_id = 0
        self.r_name, self.r_target, self.r_threshold = "", "resolution", "100"
        self.r_notify_assignee, self.r_notify_managers, self.r_raise = True, False, False
        self.r_team = self.r_user = self.r_policy = "none"
        self.errors = {}
        self.open = True

    @rx.event
    def edit_rule(self, rule_id: int):
        for r in self.rules:
            if r["id"] == rule_id:
                self.edit_id = r["id"]
                self.r_name, self.r_target, self.r_threshold = (
                    r["name"],
                    r["target"],
                    r["threshold"],
                )
                self.r_notify_assignee = r["notify_assignee"]
                self.r_notify_managers = r["notify_team_managers"]
                self.r_raise = r["raise_priority"]
                self.r_team, self.r_user = r["team"], r["user"]
                self.r_policy = r["policy"]
                self.errors = {}
                self.open = True
                return

    @rx.event
    def set_open(self, value: bool):
        self.open = bool(value)

    @rx.event
    def set_r_target(self, value: str):
        self.r_target = str(value)

    @rx.event
    def set_r_team(self, value: str):
        self.r_team = str(value)

    @rx.event
    def set_r_user(self, value: str):
        self.r_user = str(value)

    @rx.event
    def set_r_policy(self, value: str):
        self.r_policy = str(value)

    @rx.event
    async def save(self, form: dict):
        actor = await self.current_actor()
        data = {
            "name": str(form.get("name", "")),
            "threshold_percent": str(form.get("threshold_percent", "")),
            "target": self.r_target,
            "notify_assignee": bool(form.get("notify_assignee")),
            "notify_team_managers": bool(form.get("notify_team_managers")),
            "raise_priority": bool(form.get("raise_priority")),
            "reassign_team_id": self.r_team,
            "reassign_user_id": self.r_user,
            "policy_id": self.r_policy,
        }
        self.r_name, self.r_threshold = data["name"], data["threshold_percent"]
        self.r_notify_assignee = data["notify_assignee"]
        self.r_notify_managers = data["notify_team_managers"]
        self.r_raise = data["raise_priority"]
        errors = await run_in_session(escalation.rule_errors, data, readonly=True)
        if errors:
            self.errors = errors
            return
        try:
            await run_in_session(escalation.save_rule, actor, self.edit_id or None, data)
        except ValidationError as exc:
            self.errors = {exc.field or "name": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.open = False
        await self._reload()
        return rx.toast.success(_("Rule \u201c{name}\u201d saved.", name=data["name"].strip()))

    @rx.event
    def ask_delete(self, rule_id: int, name: str):
        self.confirm_id, self.confirm_name = int(rule_id), str(name)

    @rx.event
    def cancel_delete(self):
        self.confirm_id = 0

    @rx.event
    async def confirm_delete(self):
        actor = await self.current_actor()
        rule_id, name = self.confirm_id, self.confirm_name
        self.confirm_id = 0
        try:
            await run_in_session(escalation.delete_rule, actor, rule_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Deleted \u201c{name}\u201d.", name=name))


def _err(field: str) -> rx.Var[str]:
    return AdminEscalationState.errors.get(field, "")


def _check(name: str, label: str | rx.Var[str], checked: rx.Var[bool]) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox", name=name, default_checked=checked, style={"margin-right": "0.4em"}
        ),
        label,
        style={"font-size": "14px", "display": "flex", "align-items": "center"},
    )


def _when_row() -> rx.Component:
    s = AdminEscalationState
    return rx.hstack(
        select_field(
            t("Target"), "rule-target", TARGET_OPTIONS, s.r_target, s.set_r_target, _err("target")
        ),
        labelled_input(
            t("When this % of the target is used"),
            "rule-threshold",
            _err("threshold_percent"),
            hint=t("100 = when the target is breached."),
            name="threshold_percent",
            type="number",
            min=1,
            max=100,
            default_value=s.r_threshold,
        ),
        width="100%",
        align="start",
    )


def _actions() -> rx.Component:
    s = AdminEscalationState
    return rx.el.fieldset(
        rx.el.legend(t("Actions"), style={"font-weight": "500", "font-size": "14px"}),
        rx.vstack(
            _check("notify_assignee", t("Notify the assignee"), s.r_notify_assignee),
            _check(
                "notify_team_managers",
                t("Notify the team's managers"),
                s.r_notify_managers,
            ),
            _check("raise_priority", t("Raise the priority one step"), s.r_raise),
            spacing="1",
        ),
        field_error(_err("actions"), "rule-actions"),
        style={"border": "none", "padding": "0", "margin": "0"},
    )


def _reassign_row() -> rx.Component:
    s = AdminEscalationState
    return rx.hstack(
        select_field(
            t("Reassign to team"),
            "rule-team",
            s.teams,
            s.r_team,
            s.set_r_team,
            _err("reassign_team_id"),
        ),
        select_field(
            t("Reassign to person"),
            "rule-user",
            s.users,
            s.r_user,
            s.set_r_user,
            _err("reassign_user_id"),
        ),
        width="100%",
    )


def _dialog() -> rx.Component:
    s = AdminEscalationState
    return form_dialog(
        rx.cond(s.edit_id == 0, t("New escalation rule"), t("Edit rule")),
        t("Fires once per ticket and target when the share of the target is used up."),
        labelled_input(t("Name"), "rule-name", _err("name"), name="name", default_value=s.r_name),
        _when_row(),
        select_field(
            t("Applies to tickets under"),
            "rule-policy",
            s.policies,
            s.r_policy,
            s.set_r_policy,
            _err("policy_id"),
        ),
        _actions(),
        _reassign_row(),
        submit=t("Save rule"),
        on_submit=s.save,
        open=s.open,
        on_open_change=s.set_open,
        max_width="600px",
    )


def _confirm() -> rx.Component:
    s = AdminEscalationState
    return delete_dialog(
        t("Delete rule?"),
        t(
            "\u201c{name}\u201d will no longer fire. "
            "Its past actions stay in the ticket histories.",
            name=s.confirm_name,
        ),
        on_confirm=s.confirm_delete,
        on_cancel=s.cancel_delete,
        open=s.confirm_id != 0,
        high_contrast=True,
    )


def _row(r: rx.Var[RuleItem]) -> rx.Component:
    s = AdminEscalationState
    actions = row_actions(r["name"], s.edit_rule(r["id"]), s.ask_delete(r["id"], r["name"]))
    return item_row(r, ["summary"], actions)


def admin_escalation_page() -> rx.Component:
    s = AdminEscalationState
    return page_frame(
        rx.hstack(
            rx.text(
                t(
                    "Checked every minute for open tickets with an SLA. Each action is "
                    "written in the ticket's history with the rule's name."
                ),
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.button(rx.icon("plus", size=16), t("New rule"), on_click=s.new_rule),
            width="100%",
        ),
        rx.cond(
            s.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.cond(
                s.rules.length() > 0,
                admin_table(
                    t("Escalation rules"), [t("Name"), t("Does"), t("Actions")], s.rules, _row
                ),
                rx.text(t("No escalation rules yet. Create one to act before targets slip.")),
            ),
        ),
        rx.link(t("← SLA policies and calendars"), href="/admin/sla"),
        _dialog(),
        _confirm(),
        title=t("Escalation rules"),
        roles=MANAGERS,
    )
