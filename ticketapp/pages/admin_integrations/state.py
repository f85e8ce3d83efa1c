"""The integrations page's State: the list, the form, the token shown once, the revoke question."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx
from sqlmodel import Session

from ticketapp.clock import local_label
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import PRIORITY_LABELS
from ticketapp.services import alerts
from ticketapp.services.actor import Actor
from ticketapp.services.alerts import label_rules
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import MANAGERS, SessionState

NONE = "none"  # the select value for "no team" / "no category"


class IntegrationItem(TypedDict):
    id: int
    name: str
    prefix: str
    mapping: str
    team: str
    category: str
    team_id: str
    category_id: str
    critical: str
    warning: str
    info: str
    rules: str  # the label rules as written (services/alerts/label_rules.py)
    last_used: str
    active: bool
    state_label: str


def _item(
    v: alerts.IntegrationView, teams: dict[int, str], cats: dict[int, str]
) -> IntegrationItem:
    m = v.severity_map
    mapping = ", ".join(f"{s} → {_(PRIORITY_LABELS[m[s]])}" for s in alerts.SEVERITIES)
    return IntegrationItem(
        id=v.id,
        name=v.name,
        prefix=v.prefix + "…",
        mapping=mapping,
        team=teams.get(v.team_id or 0, "—"),
        category=cats.get(v.category_id or 0, "—"),
        team_id=str(v.team_id or NONE),
        category_id=str(v.category_id or NONE),
        critical=m["critical"],
        warning=m["warning"],
        info=m["info"],
        rules=label_rules.as_text(v.label_rules, teams, cats),
        last_used=local_label(v.last_used_at) or _("Never"),
        active=v.active,
        state_label=_("Active")
        if v.active
        else _("Revoked {when}", when=local_label(v.revoked_at)),
    )


def load(session: Session, actor: Actor) -> dict:
    teams, cats = alerts.choices(session, actor)
    team_names, cat_names = dict(teams), dict(cats)
    return {
        "items": [
            _item(v, team_names, cat_names) for v in alerts.list_integrations(session, actor)
        ],
        "teams": [[NONE, _("No team")]] + [[str(i), n] for i, n in teams],
        "categories": [[NONE, _("No category")]] + [[str(i), n] for i, n in cats],
    }


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _ref(value: str) -> str | None:
    return None if value in ("", NONE) else value


class AdminIntegrationsState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    items: list[IntegrationItem] = []
    team_options: list[list[str]] = []
    category_options: list[list[str]] = []
    loading: bool = True

    open: bool = False
    edit_id: int = 0
    f_name: str = ""
    f_critical: str = "urgent"
    f_warning: str = "high"
    f_info: str = "normal"
    f_team: str = NONE
    f_category: str = NONE
    f_rules: str = ""
    form_key: int = 0  # remounts the form's uncontrolled fields with each opening
    errors: dict[str, str] = {}

    secret: str = ""  # the new token, shown once
    secret_name: str = ""

    confirm_id: int = 0
    confirm_name: str = ""

    async def _reload(self):
        actor = await self.current_actor()
        data = await run_in_session(load, actor, readonly=True)
        self.items = data["items"]
        self.team_options, self.category_options = data["teams"], data["categories"]
        self.loading = False

    @rx.event
    async def on_load(self):
        self.loading = True
        self.secret = ""
        yield
        await self._reload()

    @rx.event
    def new_integration(self):
        self.edit_id, self.f_name, self.errors = 0, "", {}
        self.f_critical, self.f_warning, self.f_info = "urgent", "high", "normal"
        self.f_team = self.f_category = NONE
        self.f_rules = ""
        self.form_key += 1
        self.open = True

    @rx.event
    def edit_integration(self, integration_id: int):
        for item in self.items:
            if item["id"] == integration_id:
                self.edit_id, self.f_name, self.errors = item["id"], item["name"], {}
                self.f_critical, self.f_warning = item["critical"], item["warning"]
                self.f_info = item["info"]
                self.f_team, self.f_category = item["team_id"], item["category_id"]
                self.f_rules = item["rules"]
                self.form_key += 1
                self.open = True
                return

    @rx.event
    def set_open(self, value: bool):
        self.open = bool(value)

    @rx.event
    def set_choice(self, name: str, value: str):
        if name in ("f_critical", "f_warning", "f_info", "f_team", "f_category"):
            setattr(self, name, str(value))

    @rx.event
    async def save(self, form: dict):
        actor = await self.current_actor()
        self.f_name = str((form or {}).get("name", "")).strip()
        self.f_rules = str((form or {}).get("label_rules", ""))[:20_000]
        mapping = {"critical": self.f_critical, "warning": self.f_warning, "info": self.f_info}
        refs = (_ref(self.f_team), _ref(self.f_category))
        try:
            if self.edit_id:
                await run_in_session(
                    alerts.update_integration,
                    actor,
                    self.edit_id,
                    self.f_name,
                    mapping,
                    *refs,
                    self.f_rules,
                )
            else:
                _view, secret = await run_in_session(
                    alerts.create_integration, actor, self.f_name, mapping, *refs, self.f_rules
                )
                self.secret, self.secret_name = secret, self.f_name
        except ValidationError as exc:
            self.errors = {exc.field or "name": exc.message}
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        created = self.edit_id == 0
        self.errors, self.open = {}, False
        await self._reload()
        if created:
            return rx.toast.success(_("Integration created. Copy its token now."))
        return rx.toast.success(_("Integration saved."))

    @rx.event
    def close_secret(self, value: bool = False):
        if not value:
            self.secret = self.secret_name = ""

    @rx.event
    def ask_revoke(self, integration_id: int, name: str):
        self.confirm_id, self.confirm_name = _int(integration_id), str(name)

    @rx.event
    def cancel_revoke(self):
        self.confirm_id = 0

    @rx.event
    async def confirm_revoke(self):
        actor = await self.current_actor()
        integration_id, self.confirm_id = self.confirm_id, 0
        try:
            view = await run_in_session(alerts.revoke_integration, actor, integration_id)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload()
        return rx.toast.success(_("Revoked {name}: its token no longer works.", name=view.name))
