"""What a firing rule does to a ticket: notify the assignee or the team's managers, raise the
priority, reassign to a team or a person; each action is an "escalated" event with the rule's
name (and a field change event where a field changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.models import (
    PRIORITY_LABELS,
    EscalationRule,
    Priority,
    Role,
    SlaTarget,
    Team,
    TeamMember,
    Ticket,
    TicketEvent,
    User,
)
from ticketapp.services import notifications, sla, webhooks

PRIORITY_UP = {
    Priority.LOW: Priority.NORMAL,
    Priority.NORMAL: Priority.HIGH,
    Priority.HIGH: Priority.URGENT,
}
TARGET_WORDS = {
    SlaTarget.FIRST_RESPONSE: N_("first response"),
    SlaTarget.RESOLUTION: N_("resolution"),
}


def condition(target: str, percent: int) -> str:
    """What a firing reached, as a stored text (i18n.later): "first response target breached",
    "resolution target 80 % used". Whole phrases, one per case, for the translators."""
    if target == SlaTarget.FIRST_RESPONSE:
        if percent >= 100:
            return i18n.later("first response target breached")
        return i18n.later("first response target {percent} % used", percent=percent)
    if percent >= 100:
        return i18n.later("resolution target breached")
    return i18n.later("resolution target {percent} % used", percent=percent)


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


@dataclass(frozen=True)
class _Alert:
    """How one firing is worded in the history and in notifications: stored texts
    (i18n.later), read in each reader's language (an e-mail: its recipient's)."""

    condition: str  # "first response target breached", ...
    kind: str  # the notification kind (settings' kinds)
    subject: str
    body: str

    @classmethod
    def of(cls, rule: EscalationRule, ticket: Ticket, target: str) -> _Alert:
        reached = condition(target, rule.threshold_percent)
        return cls(
            condition=reached,
            kind="sla_breach" if rule.threshold_percent >= 100 else "sla_warning",
            subject=i18n.later(
                "Ticket #{number}: {condition}", number=ticket.number, condition=reached
            ),
            body=i18n.later(
                "Escalation rule \u201c{name}\u201d: {title}", name=rule.name, title=ticket.title
            ),
        )


def fire(session: Session, rule: EscalationRule, ticket: Ticket, target: str, now: datetime) -> int:
    """Run the rule's actions on the ticket; returns the number of actions done."""
    assert ticket.id is not None
    alert = _Alert.of(rule, ticket, target)
    actions = 0
    if rule.notify_assignee and ticket.assignee_id:
        _notify_assignee(session, rule, ticket, alert, now)
        actions += 1
    if rule.notify_team_managers:
        _notify_managers(session, rule, ticket, alert, now)
        actions += 1
    changed_key = changed_fields = False
    if rule.raise_priority and ticket.priority in PRIORITY_UP:
        _raise_priority(session, rule, ticket, now)
        changed_key = True
        actions += 1
    old_assignee, old_team = ticket.assignee_id, ticket.team_id
    moves_team = rule.reassign_team_id and rule.reassign_team_id != ticket.team_id
    if moves_team and _reassign_team(session, rule, ticket, now):
        changed_key = True
        actions += 1
    moves_user = rule.reassign_user_id and rule.reassign_user_id != ticket.assignee_id
    if moves_user and _reassign_user(session, rule, ticket, now):
        changed_fields = True
        actions += 1
    if actions == 0:
        what = i18n.later("Escalated ({condition})", condition=alert.condition)
        _event(session, ticket.id, rule.name, what, now)
    if changed_key or changed_fields:
        # Only a real field change touches the row (and its version): a notification alone
        # must not turn an agent's open edit into a conflict.
        ticket.updated_at = now
        session.add(ticket)
    if changed_key:
        sla.recompute(session, ticket, i18n.later("Escalation rule {name}", name=rule.name[:60]))
    webhooks.emit_assignment(session, ticket, None, old_assignee, old_team)  # WEBHOOKS:
    return actions


def _notify(session: Session, user_id: int, ticket: Ticket, alert: _Alert) -> None:
    notifications.notify(
        session,
        user_id=user_id,
        kind=alert.kind,
        ticket_id=ticket.id,
        subject=alert.subject,
        body=alert.body,
    )


def _notify_assignee(
    session: Session, rule: EscalationRule, ticket: Ticket, alert: _Alert, now: datetime
) -> None:
    assert ticket.id is not None and ticket.assignee_id is not None
    _notify(session, ticket.assignee_id, ticket, alert)
    what = i18n.later("Notified the assignee ({condition})", condition=alert.condition)
    _event(session, ticket.id, rule.name, what, now)


def _notify_managers(
    session: Session, rule: EscalationRule, ticket: Ticket, alert: _Alert, now: datetime
) -> None:
    assert ticket.id is not None
    ids = _managers_of(session, ticket.team_id)
    for uid in ids:
        _notify(session, uid, ticket, alert)
    what = i18n.later_n(
        "Notified {n} manager ({condition})",
        "Notified {n} managers ({condition})",
        len(ids),
        condition=alert.condition,
    )
    _event(session, ticket.id, rule.name, what, now)


def _field_event(
    session: Session, ticket_id: int, kind: str, field: str, old: object, new: object, now: datetime
) -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket_id,
            created_at=now,
            kind=kind,
            field=field,
            old_value=None if old is None else str(old),
            new_value=str(new),
        )
    )


def _raise_priority(session: Session, rule: EscalationRule, ticket: Ticket, now: datetime) -> None:
    assert ticket.id is not None
    old = ticket.priority
    ticket.priority = PRIORITY_UP[Priority(old)].value
    what = i18n.later(
        "Raised priority from {old} to {new}",
        old=i18n.later(PRIORITY_LABELS[Priority(old)]),
        new=i18n.later(PRIORITY_LABELS[Priority(ticket.priority)]),
    )
    _event(session, ticket.id, rule.name, what, now)
    _field_event(session, ticket.id, "field_changed", "priority", old, ticket.priority, now)


def _reassign_team(session: Session, rule: EscalationRule, ticket: Ticket, now: datetime) -> bool:
    """Move the ticket to the rule's team; False if that team no longer exists."""
    assert ticket.id is not None
    team = session.get(Team, rule.reassign_team_id)
    if team is None:
        return False
    old_team = ticket.team_id
    ticket.team_id = team.id
    what = i18n.later("Reassigned to team {team}", team=team.name)
    _event(session, ticket.id, rule.name, what, now)
    _field_event(session, ticket.id, "assigned", "team_id", old_team, team.id, now)
    return True


def _reassign_user(session: Session, rule: EscalationRule, ticket: Ticket, now: datetime) -> bool:
    """Give the ticket to the rule's person; False unless they are an active agent or manager."""
    assert ticket.id is not None
    user = session.get(User, rule.reassign_user_id)
    if user is None or not user.is_active or user.role == Role.REQUESTER:
        return False
    old_user = ticket.assignee_id
    ticket.assignee_id = user.id
    _event(session, ticket.id, rule.name, i18n.later("Reassigned to {name}", name=user.name), now)
    _field_event(session, ticket.id, "assigned", "assignee_id", old_user, user.id, now)
    return True
