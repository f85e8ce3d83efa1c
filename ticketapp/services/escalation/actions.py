"""What a firing rule does to a ticket: notify the assignee or the team's managers, raise the
priority, reassign to a team or a person; each action is an "escalated" event with the rule's
name (and a field change event where a field changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import (
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
from ticketapp.services import notifications, sla

PRIORITY_UP = {
    Priority.LOW: Priority.NORMAL,
    Priority.NORMAL: Priority.HIGH,
    Priority.HIGH: Priority.URGENT,
}
TARGET_WORDS = {SlaTarget.FIRST_RESPONSE: "first response", SlaTarget.RESOLUTION: "resolution"}


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
    """How one firing is worded in the history and in notifications."""

    what: str  # "first response" | "resolution"
    reached: str  # "breached" | "80 % used"
    kind: str  # the notification kind (settings' kinds)
    subject: str
    body: str

    @classmethod
    def of(cls, rule: EscalationRule, ticket: Ticket, target: str) -> _Alert:
        what = TARGET_WORDS.get(target, target)  # type: ignore[call-overload]
        breached = rule.threshold_percent >= 100
        reached = "breached" if breached else f"{rule.threshold_percent} % used"
        return cls(
            what=what,
            reached=reached,
            kind="sla_breach" if breached else "sla_warning",
            subject=f"Ticket #{ticket.number}: {what} target {reached}",
            body=f"Escalation rule \u201c{rule.name}\u201d: {ticket.title}",
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
    moves_team = rule.reassign_team_id and rule.reassign_team_id != ticket.team_id
    if moves_team and _reassign_team(session, rule, ticket, now):
        changed_key = True
        actions += 1
    moves_user = rule.reassign_user_id and rule.reassign_user_id != ticket.assignee_id
    if moves_user and _reassign_user(session, rule, ticket, now):
        changed_fields = True
        actions += 1
    if actions == 0:
        _event(session, ticket.id, rule.name, f"Escalated ({alert.what} {alert.reached})", now)
    if changed_key or changed_fields:
        # Only a real field change touches the row (and its version): a notification alone
        # must not turn an agent's open edit into a conflict.
        ticket.updated_at = now
        session.add(ticket)
    if changed_key:
        sla.recompute(session, ticket, i18n.later("Escalation rule {name}", name=rule.name[:60]))
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
    what = f"Notified the assignee ({alert.what} {alert.reached})"
    _event(session, ticket.id, rule.name, what, now)


def _notify_managers(
    session: Session, rule: EscalationRule, ticket: Ticket, alert: _Alert, now: datetime
) -> None:
    assert ticket.id is not None
    ids = _managers_of(session, ticket.team_id)
    for uid in ids:
        _notify(session, uid, ticket, alert)
    what = f"Notified {len(ids)} manager(s) ({alert.what} {alert.reached})"
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
    what = f"Raised priority from {old} to {ticket.priority}"
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
    _event(session, ticket.id, rule.name, f"Reassigned to team {team.name}", now)
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
    _event(session, ticket.id, rule.name, f"Reassigned to {user.name}", now)
    _field_event(session, ticket.id, "assigned", "assignee_id", old_user, user.id, now)
    return True
