"""Escalation rules admin, for managers: list (with a one-line summary), check, save, delete."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import (
    EscalationRule,
    Role,
    SlaPolicy,
    SlaTarget,
    Team,
    User,
)
from ticketapp.services import security_log
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import NotFound, ValidationError


@dataclass(frozen=True)
class RuleRow:
    id: int
    name: str
    target: str
    threshold_percent: int
    notify_assignee: bool
    notify_team_managers: bool
    raise_priority: bool
    reassign_team_id: int | None
    reassign_team_name: str
    reassign_user_id: int | None
    reassign_user_name: str
    is_active: bool
    summary: str
    policy_id: int | None = None
    policy_name: str = ""


def _when(r: EscalationRule) -> str:
    percent = r.threshold_percent
    if r.target == SlaTarget.FIRST_RESPONSE:
        if percent >= 100:
            return i18n._("When the first response target is breached")
        return i18n._("When {percent} % of the first response target is used", percent=percent)
    if percent >= 100:
        return i18n._("When the resolution target is breached")
    return i18n._("When {percent} % of the resolution target is used", percent=percent)


def _summary(r: EscalationRule, teams: dict, users: dict, policies: dict | None = None) -> str:
    """The rule in words, in the reader's language (the admin page computes it per viewer)."""
    parts = []
    if r.notify_assignee:
        parts.append(i18n._("notify the assignee"))
    if r.notify_team_managers:
        parts.append(i18n._("notify the team's managers"))
    if r.raise_priority:
        parts.append(i18n._("raise priority"))
    if r.reassign_team_id:
        parts.append(i18n._("reassign to team {team}", team=teams.get(r.reassign_team_id, "?")))
    if r.reassign_user_id:
        parts.append(i18n._("reassign to {name}", name=users.get(r.reassign_user_id, "?")))
    actions = i18n.listing(parts) or i18n._("record it in the history")
    if r.policy_id:
        policy = (policies or {}).get(r.policy_id, "?")
        return i18n._(
            "{when} (tickets of {policy}): {actions}", when=_when(r), policy=policy, actions=actions
        )
    return i18n._("{when}: {actions}", when=_when(r), actions=actions)


def list_rules(session: Session, actor: Actor) -> list[RuleRow]:
    require_manager(actor)
    teams = {t.id: t.name for t in session.exec(select(Team))}
    users = {u.id: u.name for u in session.exec(select(User).where(User.role != Role.REQUESTER))}
    policies = {p.id: p.name for p in session.exec(select(SlaPolicy))}
    rows = session.exec(select(EscalationRule).order_by(col(EscalationRule.id))).all()
    return [
        RuleRow(
            id=r.id,  # type: ignore[arg-type]
            name=r.name,
            target=r.target,
            threshold_percent=r.threshold_percent,
            notify_assignee=r.notify_assignee,
            notify_team_managers=r.notify_team_managers,
            raise_priority=r.raise_priority,
            reassign_team_id=r.reassign_team_id,
            reassign_team_name=teams.get(r.reassign_team_id, "") if r.reassign_team_id else "",
            reassign_user_id=r.reassign_user_id,
            reassign_user_name=users.get(r.reassign_user_id, "") if r.reassign_user_id else "",
            is_active=r.is_active,
            summary=_summary(r, teams, users, policies),
            policy_id=r.policy_id,
            policy_name=policies.get(r.policy_id, "") if r.policy_id else "",
        )
        for r in rows
    ]


def _flag(value: object) -> bool:
    return value in (True, "true", "on", "1", 1)


def _opt(value: object) -> int | None:
    if value in (None, "", "none", 0, "0"):
        return None
    try:
        return int(str(value))
    except ValueError:
        return -1


def rule_errors(session: Session, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = i18n._("Give the rule a name.")
    elif len(name) > 120:
        errors["name"] = i18n._("Keep the name under 120 characters.")
    if str(data.get("target")) not in {t.value for t in SlaTarget}:
        errors["target"] = i18n._("Choose first response or resolution.")
    try:
        pct = int(str(data.get("threshold_percent")).strip())
        if not 1 <= pct <= 100:
            raise ValueError
    except ValueError:
        errors["threshold_percent"] = i18n._("Enter a percentage from 1 to 100 (100 = on breach).")
    policy = _opt(data.get("policy_id"))
    if policy is not None and (policy < 1 or session.get(SlaPolicy, policy) is None):
        errors["policy_id"] = i18n._("That SLA policy does not exist.")
    team = _opt(data.get("reassign_team_id"))
    if team is not None and (team < 1 or session.get(Team, team) is None):
        errors["reassign_team_id"] = i18n._("That team does not exist.")
    user = _opt(data.get("reassign_user_id"))
    if user is not None:
        u = session.get(User, user) if user > 0 else None
        if u is None or u.role == Role.REQUESTER or not u.is_active:
            errors["reassign_user_id"] = i18n._("Choose an active agent or manager.")
    if not any(
        [
            _flag(data.get("notify_assignee")),
            _flag(data.get("notify_team_managers")),
            _flag(data.get("raise_priority")),
            team,
            user,
        ]
    ):
        errors["actions"] = i18n._("Pick at least one action.")
    return errors


@security_log.audited("escalation_changed", i18n.N_("Escalation rule"))
def save_rule(session: Session, actor: Actor, rule_id: object, data: dict) -> int:
    require_manager(actor)
    errors = rule_errors(session, data)
    if errors:
        name, message = next(iter(errors.items()))
        raise ValidationError(message, name)
    values = {
        "name": str(data["name"]).strip(),
        "target": str(data["target"]),
        "threshold_percent": int(str(data["threshold_percent"]).strip()),
        "notify_assignee": _flag(data.get("notify_assignee")),
        "notify_team_managers": _flag(data.get("notify_team_managers")),
        "raise_priority": _flag(data.get("raise_priority")),
        "policy_id": _opt(data.get("policy_id")),
        "reassign_team_id": _opt(data.get("reassign_team_id")),
        "reassign_user_id": _opt(data.get("reassign_user_id")),
        "is_active": data.get("is_active", True) not in (False, "false", "off", "0", 0),
    }
    if rule_id in (None, "", 0):
        rule = EscalationRule(**values)
    else:
        rule = session.get(EscalationRule, _opt(rule_id) or 0)
        if rule is None:
            raise NotFound("That rule no longer exists.")
        for k, v in values.items():
            setattr(rule, k, v)
    session.add(rule)
    session.flush()
    assert rule.id is not None
    return rule.id


@security_log.audited("escalation_changed", i18n.N_("Escalation rule"))
def delete_rule(session: Session, actor: Actor, rule_id: object) -> None:
    require_manager(actor)
    rule = session.get(EscalationRule, _opt(rule_id) or 0)
    if rule is None:
        raise NotFound("That rule no longer exists.")
    session.delete(rule)
    session.flush()
