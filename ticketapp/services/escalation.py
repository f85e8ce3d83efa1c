"""Escalation rules: when a ticket has used X % of an SLA target (100 = breached), do one or more
of: notify the assignee, notify the team's managers, raise the priority, reassign to a team or a
person. Each action is written in the ticket history with the rule's name.

A rule fires once per ticket and target, ever: an EscalationFiring row with a unique
(rule, ticket, target) key is inserted in the same transaction as the actions, so two workers or
a restart can never fire it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ticketapp import clock
from ticketapp.models import (
    EscalationFiring,
    EscalationRule,
    Priority,
    Role,
    SlaClockEvent,
    SlaPolicy,
    SlaTarget,
    Team,
    TeamMember,
    Ticket,
    TicketEvent,
    User,
)
from ticketapp.services import notifications, sla
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import NotFound, ValidationError

PRIORITY_UP = {
    Priority.LOW: Priority.NORMAL,
    Priority.NORMAL: Priority.HIGH,
    Priority.HIGH: Priority.URGENT,
}
TARGET_WORDS = {SlaTarget.FIRST_RESPONSE: "first response", SlaTarget.RESOLUTION: "resolution"}


@dataclass(frozen=True)
class RunResult:
    breaches: int = 0
    firings: int = 0
    actions: int = 0
    ticket_ids: tuple[int, ...] = ()  # tickets changed (for the live feed)


def _event(session: Session, ticket_id: int, rule: str, what: str, now: datetime) -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket_id,
            actor_id=None,
            created_at=now,
            kind="escalated",
            field="rule",
            old_value=rule,
            new_value=what,
        )
    )


def _managers_of(session: Session, team_id: int | None) -> list[int]:
    stmt = select(User.id).where(User.role == Role.MANAGER, col(User.is_active).is_(True))
    if team_id is not None:
        in_team = stmt.join(TeamMember, col(TeamMember.user_id) == User.id).where(
            TeamMember.team_id == team_id
        )
        ids = [i for i in session.exec(in_team).all() if i is not None]
        if ids:
            return ids
    return [i for i in session.exec(stmt).all() if i is not None]


def _fire(
    session: Session, rule: EscalationRule, ticket: Ticket, target: str, now: datetime
) -> int:
    """Run the rule's actions on the ticket; returns the number of actions done."""
    assert ticket.id is not None
    what = TARGET_WORDS.get(target, target)  # type: ignore[call-overload]
    reached = "breached" if rule.threshold_percent >= 100 else f"{rule.threshold_percent} % used"
    subject = f"Ticket #{ticket.number}: {what} target {reached}"
    kind = "sla_breach" if rule.threshold_percent >= 100 else "sla_warning"  # settings' kinds
    body = f"Escalation rule \u201c{rule.name}\u201d: {ticket.title}"
    actions = 0
    if rule.notify_assignee and ticket.assignee_id:
        notifications.notify(
            session,
            user_id=ticket.assignee_id,
            kind=kind,
            ticket_id=ticket.id,
            subject=subject,
            body=body,
        )
        _event(session, ticket.id, rule.name, f"Notified the assignee ({what} {reached})", now)
        actions += 1
    if rule.notify_team_managers:
        ids = _managers_of(session, ticket.team_id)
        for uid in ids:
            notifications.notify(
                session,
                user_id=uid,
                kind=kind,
                ticket_id=ticket.id,
                subject=subject,
                body=body,
            )
        _event(
            session, ticket.id, rule.name, f"Notified {len(ids)} manager(s) ({what} {reached})", now
        )
        actions += 1
    changed_key = changed_fields = False
    if rule.raise_priority and ticket.priority in PRIORITY_UP:
        old = ticket.priority
        ticket.priority = PRIORITY_UP[Priority(old)].value
        _event(
            session, ticket.id, rule.name, f"Raised priority from {old} to {ticket.priority}", now
        )
        session.add(
            TicketEvent(
                ticket_id=ticket.id,
                created_at=now,
                kind="field_changed",
                field="priority",
                old_value=old,
                new_value=ticket.priority,
            )
        )
        changed_key = True
        actions += 1
    if rule.reassign_team_id and rule.reassign_team_id != ticket.team_id:
        team = session.get(Team, rule.reassign_team_id)
        if team is not None:
            old_team = ticket.team_id
            ticket.team_id = team.id
            _event(session, ticket.id, rule.name, f"Reassigned to team {team.name}", now)
            session.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    created_at=now,
                    kind="assigned",
                    field="team_id",
                    old_value=None if old_team is None else str(old_team),
                    new_value=str(team.id),
                )
            )
            changed_key = True
            actions += 1
    if rule.reassign_user_id and rule.reassign_user_id != ticket.assignee_id:
        user = session.get(User, rule.reassign_user_id)
        if user is not None and user.is_active and user.role != Role.REQUESTER:
            old_user = ticket.assignee_id
            ticket.assignee_id = user.id
            _event(session, ticket.id, rule.name, f"Reassigned to {user.name}", now)
            session.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    created_at=now,
                    kind="assigned",
                    field="assignee_id",
                    old_value=None if old_user is None else str(old_user),
                    new_value=str(user.id),
                )
            )
            changed_fields = True
            actions += 1
    if actions == 0:
        _event(session, ticket.id, rule.name, f"Escalated ({what} {reached})", now)
    if changed_key or changed_fields:
        # Only a real field change touches the row (and its version): a notification alone
        # must not turn an agent's open edit into a conflict.
        ticket.updated_at = now
        session.add(ticket)
    if changed_key:
        sla.recompute(session, ticket, f"Escalation rule {rule.name}")
    return actions


def _log_breaches(
    session: Session, rows: list[Ticket], policies, calendars, now, touched: set[int]
) -> int:
    """Write a `breached` clock event once per ticket and target."""
    ids = [t.id for t in rows]
    done = {
        (tid, target)
        for tid, target in session.exec(
            select(SlaClockEvent.ticket_id, SlaClockEvent.target).where(
                col(SlaClockEvent.ticket_id).in_(ids), SlaClockEvent.kind == "breached"
            )
        ).all()
    }
    count = 0
    for t in rows:
        policy = policies.get(t.sla_policy_id)
        if policy is None or t.id is None:
            continue
        cal = sla.calendar_for(policy, calendars)
        for target in (SlaTarget.FIRST_RESPONSE, SlaTarget.RESOLUTION):
            share, due = sla.target_progress(t, policy, cal, target, now)
            if share >= 1.0 and due is not None and (t.id, target.value) not in done:
                session.add(
                    SlaClockEvent(
                        ticket_id=t.id,
                        kind="breached",
                        target=target.value,
                        at=due,
                        detail=f"{TARGET_WORDS[target].capitalize()} target missed",
                    )
                )
                touched.add(t.id)
                count += 1
    return count


def run(session: Session, now: datetime | None = None) -> RunResult:
    """Evaluate every active rule against the open tickets with an SLA; returns what happened.

    The caller commits (or the scheduler does). Each firing runs in a savepoint: if another
    worker fired the same rule for the same ticket and target first, it is skipped.
    """
    now = now or clock.now()
    rows = list(
        session.exec(
            select(Ticket).where(
                col(Ticket.sla_policy_id).is_not(None),
                col(Ticket.status).not_in([s.value for s in sla.STOPPED_STATUSES]),
                col(Ticket.merged_into_id).is_(None),
            )
        ).all()
    )
    if not rows:
        return RunResult()
    policies = {
        p.id: p
        for p in session.exec(
            select(SlaPolicy).where(col(SlaPolicy.id).in_({t.sla_policy_id for t in rows}))
        )
    }
    calendars = sla.calendars_by_id(session, [p.calendar_id for p in policies.values()])
    touched: set[int] = set()
    breaches = _log_breaches(session, rows, policies, calendars, now, touched)
    rules = session.exec(
        select(EscalationRule)
        .where(col(EscalationRule.is_active).is_(True))
        .order_by(col(EscalationRule.threshold_percent), col(EscalationRule.id))
    ).all()
    if not rules:
        return RunResult(breaches=breaches, ticket_ids=tuple(sorted(touched)))
    fired = {
        (r, t, g)
        for r, t, g in session.exec(
            select(
                EscalationFiring.rule_id, EscalationFiring.ticket_id, EscalationFiring.target
            ).where(col(EscalationFiring.ticket_id).in_([t.id for t in rows]))
        ).all()
    }
    firings = actions = 0
    for ticket in rows:
        for rule in rules:
            policy = policies.get(ticket.sla_policy_id)
            if policy is None or rule.policy_id not in (None, policy.id):
                continue
            cal = sla.calendar_for(policy, calendars)
            share, _due = sla.target_progress(ticket, policy, cal, rule.target, now)
            if share < rule.threshold_percent / 100.0:
                continue
            key = (rule.id, ticket.id, rule.target)
            if key in fired:
                continue
            try:
                with session.begin_nested():
                    session.add(
                        EscalationFiring(
                            rule_id=rule.id,  # type: ignore[arg-type]
                            ticket_id=ticket.id,  # type: ignore[arg-type]
                            target=rule.target,
                            fired_at=now,
                        )
                    )
                    session.flush()
                    actions += _fire(session, rule, ticket, rule.target, now)
                    session.flush()
            except IntegrityError:
                fired.add(key)
                session.refresh(ticket)
                continue
            fired.add(key)
            firings += 1
            touched.add(ticket.id)  # type: ignore[arg-type]
    return RunResult(breaches, firings, actions, tuple(sorted(touched)))


# --- rules admin (managers) ------------------------------------------------------------------


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


def _summary(r: EscalationRule, teams: dict, users: dict, policies: dict | None = None) -> str:
    parts = []
    if r.notify_assignee:
        parts.append("notify the assignee")
    if r.notify_team_managers:
        parts.append("notify the team's managers")
    if r.raise_priority:
        parts.append("raise priority")
    if r.reassign_team_id:
        parts.append(f"reassign to team {teams.get(r.reassign_team_id, '?')}")
    if r.reassign_user_id:
        parts.append(f"reassign to {users.get(r.reassign_user_id, '?')}")
    when = (
        "breached" if r.threshold_percent >= 100 else f"{r.threshold_percent} % of the target used"
    )
    what = TARGET_WORDS.get(r.target, r.target)  # type: ignore[call-overload]
    scope = f" ({(policies or {}).get(r.policy_id, '?')} tickets)" if r.policy_id else ""
    return f"When {what} is {when}{scope}: " + (", ".join(parts) or "record it in the history")


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
        errors["name"] = "Give the rule a name."
    elif len(name) > 120:
        errors["name"] = "Keep the name under 120 characters."
    if str(data.get("target")) not in {t.value for t in SlaTarget}:
        errors["target"] = "Choose first response or resolution."
    try:
        pct = int(str(data.get("threshold_percent")).strip())
        if not 1 <= pct <= 100:
            raise ValueError
    except ValueError:
        errors["threshold_percent"] = "Enter a percentage from 1 to 100 (100 = on breach)."
    policy = _opt(data.get("policy_id"))
    if policy is not None and (policy < 1 or session.get(SlaPolicy, policy) is None):
        errors["policy_id"] = "That SLA policy does not exist."
    team = _opt(data.get("reassign_team_id"))
    if team is not None and (team < 1 or session.get(Team, team) is None):
        errors["reassign_team_id"] = "That team does not exist."
    user = _opt(data.get("reassign_user_id"))
    if user is not None:
        u = session.get(User, user) if user > 0 else None
        if u is None or u.role == Role.REQUESTER or not u.is_active:
            errors["reassign_user_id"] = "Choose an active agent or manager."
    if not any(
        [
            _flag(data.get("notify_assignee")),
            _flag(data.get("notify_team_managers")),
            _flag(data.get("raise_priority")),
            team,
            user,
        ]
    ):
        errors["actions"] = "Pick at least one action."
    return errors


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


def delete_rule(session: Session, actor: Actor, rule_id: object) -> None:
    require_manager(actor)
    rule = session.get(EscalationRule, _opt(rule_id) or 0)
    if rule is None:
        raise NotFound("That rule no longer exists.")
    session.delete(rule)
    session.flush()
