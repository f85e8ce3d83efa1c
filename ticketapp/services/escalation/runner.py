"""The escalation pass the scheduler runs: log SLA breaches once per ticket and target, then fire
every active rule whose threshold a ticket has reached, once per rule, ticket and target, ever
(an EscalationFiring row with a unique key, in a savepoint with the actions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ticketapp import clock, i18n
from ticketapp.models import (
    EscalationFiring,
    EscalationRule,
    SlaClockEvent,
    SlaPolicy,
    SlaTarget,
    Ticket,
)
from ticketapp.services import sla, webhooks
from ticketapp.services.escalation.actions import fire


@dataclass(frozen=True)
class RunResult:
    breaches: int = 0
    firings: int = 0
    actions: int = 0
    ticket_ids: tuple[int, ...] = ()  # tickets changed (for the live feed)


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
                        detail=_missed(target),
                    )
                )
                breach = {"sla": {"target": target.value, "due_at": webhooks.iso(due)}}
                webhooks.emit(session, webhooks.SLA_BREACHED, t, None, **breach)  # WEBHOOKS:
                touched.add(t.id)
                count += 1
    return count


def _missed(target: str) -> str:
    """The clock log's detail (stored language-neutral, read in the reader's language)."""
    if target == SlaTarget.FIRST_RESPONSE:
        return i18n.later("First response target missed")
    return i18n.later("Resolution target missed")


def run(session: Session, now: datetime | None = None) -> RunResult:
    """Evaluate every active rule against the open tickets with an SLA; returns what happened.

    The caller commits (or the scheduler does). Each firing runs in a savepoint: if another
    worker fired the same rule for the same ticket and target first, it is skipped.
    """
    now = now or clock.now()
    rows = _open_tickets_with_sla(session)
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
    fired = _fired_keys(session, rows)
    firings = actions = 0
    for ticket in rows:
        for rule in rules:
            if not _reached(rule, ticket, policies, calendars, now):
                continue
            key = (rule.id, ticket.id, rule.target)
            if key in fired:
                continue
            done = _fire_once(session, rule, ticket, now)
            fired.add(key)
            if done is None:
                continue
            actions += done
            firings += 1
            touched.add(ticket.id)  # type: ignore[arg-type]
    return RunResult(breaches, firings, actions, tuple(sorted(touched)))


def _open_tickets_with_sla(session: Session) -> list[Ticket]:
    return list(
        session.exec(
            select(Ticket).where(
                col(Ticket.sla_policy_id).is_not(None),
                col(Ticket.status).not_in([s.value for s in sla.STOPPED_STATUSES]),
                col(Ticket.merged_into_id).is_(None),
            )
        ).all()
    )


def _fired_keys(session: Session, rows: list[Ticket]) -> set[tuple]:
    """(rule, ticket, target) of the firings already recorded for these tickets."""
    return {
        (r, t, g)
        for r, t, g in session.exec(
            select(
                EscalationFiring.rule_id, EscalationFiring.ticket_id, EscalationFiring.target
            ).where(col(EscalationFiring.ticket_id).in_([t.id for t in rows]))
        ).all()
    }


def _reached(rule: EscalationRule, ticket: Ticket, policies, calendars, now: datetime) -> bool:
    """Whether the rule applies to the ticket's policy and its threshold is reached."""
    policy = policies.get(ticket.sla_policy_id)
    if policy is None or rule.policy_id not in (None, policy.id):
        return False
    cal = sla.calendar_for(policy, calendars)
    share, _due = sla.target_progress(ticket, policy, cal, rule.target, now)
    return share >= rule.threshold_percent / 100.0


def _fire_once(session: Session, rule: EscalationRule, ticket: Ticket, now: datetime) -> int | None:
    """Record the firing and run its actions in a savepoint; returns the number of actions, or
    None when another worker fired the same rule for this ticket and target first."""
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
            actions = fire(session, rule, ticket, rule.target, now)
            session.flush()
    except IntegrityError:
        session.refresh(ticket)
        return None
    return actions
