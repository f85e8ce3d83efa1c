"""Remaining time and state per ticket (the badges of lists and the board, computed in bulk from
the due dates on the tickets) and the SLA clock panel of the ticket page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp import clock, i18n
from ticketapp.models import (
    SlaPolicy,
    SlaTarget,
    Ticket,
)
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.errors import NotFound
from ticketapp.services.sla.calendars import Calendar, working_seconds
from ticketapp.services.sla.clock import calendar_for, calendars_by_id, clock_events
from ticketapp.services.sla.common import (
    CLOCK_LABELS,
    STOPPED_STATUSES,
    TARGET_LABELS,
    WARNING_SHARE,
    format_minutes,
    utc,
)

# --- remaining time and state (bulk) ---------------------------------------------------------


@dataclass(frozen=True)
class SlaState:
    ticket_id: int
    target: str  # which target the badge is about
    state: str  # "ok" | "warning" | "breached" | "paused" | "met" | "none"
    due_at: datetime | None
    remaining_seconds: float  # working seconds; negative when breached
    elapsed_share: float  # 0..1+ of the target used
    label: str  # e.g. "2h 10m left", "Breached 15m ago", "Paused · 3h left": in the
    # language of the event that computed it (a page's own reload: its viewer's)


def _current_target(ticket: Ticket, policy: SlaPolicy) -> tuple[str, datetime | None, int]:
    """(target, due, minutes) of the target the badge is about: the first response while it
    is open and the clock runs, else the resolution."""
    stopped = ticket.status in STOPPED_STATUSES
    fr_open = ticket.first_response_at is None and ticket.first_response_due_at is not None
    if fr_open and not stopped:
        return (
            SlaTarget.FIRST_RESPONSE,
            ticket.first_response_due_at,
            policy.first_response_minutes,
        )
    return SlaTarget.RESOLUTION, ticket.due_at, policy.resolution_minutes


def _state_for(ticket: Ticket, policy: SlaPolicy, cal: Calendar | None, now: datetime) -> SlaState:
    assert ticket.id is not None
    target, due, minutes = _current_target(ticket, policy)
    if due is None:
        return SlaState(ticket.id, target, "none", None, 0.0, 0.0, "")
    due = utc(due)
    total = max(minutes * 60.0, 1.0)
    if ticket.status in STOPPED_STATUSES:
        at = utc(ticket.sla_paused_at or ticket.resolved_at or now)
        met = at <= due
        return SlaState(
            ticket.id,
            target,
            "met" if met else "breached",
            due,
            0.0,
            0.0,
            i18n._("Met") if met else i18n._("Missed"),
        )
    ref = utc(ticket.sla_paused_at) if ticket.sla_paused_at else now
    if ref >= due:
        return _breached(ticket, target, due, ref, total, cal)
    return _running(ticket, target, due, ref, total, cal)


def _breached(
    ticket: Ticket, target: str, due: datetime, ref: datetime, total: float, cal: Calendar | None
) -> SlaState:
    assert ticket.id is not None
    late = working_seconds(cal, due, ref)
    share = 1.0 + late / total
    return SlaState(
        ticket.id,
        target,
        "breached",
        due,
        -late,
        share,
        # "ago" in wall-clock time: a breach at 17:00 is "7h ago" at midnight.
        i18n._("Breached {time} ago", time=format_minutes((ref - due).total_seconds() / 60))
        if not ticket.sla_paused_at
        else i18n._("Breached · paused"),
    )


def _running(
    ticket: Ticket, target: str, due: datetime, ref: datetime, total: float, cal: Calendar | None
) -> SlaState:
    """Before the due date: ok, warning (the last WARNING_SHARE of the target) or paused."""
    assert ticket.id is not None
    left = working_seconds(cal, ref, due)
    share = 1.0 - left / total
    time = format_minutes(left / 60, cal is not None)
    respond = target == SlaTarget.FIRST_RESPONSE
    if ticket.sla_paused_at:
        return SlaState(
            ticket.id,
            target,
            "paused",
            due,
            left,
            share,
            i18n._("Paused · {time} to respond", time=time)
            if respond
            else i18n._("Paused · {time} left", time=time),
        )
    state = "warning" if left <= WARNING_SHARE * total else "ok"
    return SlaState(
        ticket.id,
        target,
        state,
        due,
        left,
        share,
        i18n._("{time} to respond", time=time) if respond else i18n._("{time} left", time=time),
    )


def sla_states(
    session: Session, tickets: Sequence[Ticket], now: datetime | None = None
) -> dict[int, SlaState]:
    """Remaining time and state for many tickets: two queries in all (policies, calendars)."""
    now = now or clock.now()
    policy_ids = {t.sla_policy_id for t in tickets if t.sla_policy_id is not None}
    if not policy_ids:
        return {}
    policies = {
        p.id: p for p in session.exec(select(SlaPolicy).where(col(SlaPolicy.id).in_(policy_ids)))
    }
    calendars = calendars_by_id(session, [p.calendar_id for p in policies.values()])
    out: dict[int, SlaState] = {}
    for t in tickets:
        policy = policies.get(t.sla_policy_id) if t.sla_policy_id else None
        if policy is None or t.id is None:
            continue
        out[t.id] = _state_for(t, policy, calendar_for(policy, calendars), now)
    return out


def sla_states_for_ids(
    session: Session, ticket_ids: Iterable[int], now: datetime | None = None
) -> dict[int, SlaState]:
    ids = list({int(i) for i in ticket_ids})
    if not ids:
        return {}
    rows = session.exec(select(Ticket).where(col(Ticket.id).in_(ids))).all()
    return sla_states(session, rows, now)


def target_progress(
    ticket: Ticket, policy: SlaPolicy, cal: Calendar | None, target: str, now: datetime
) -> tuple[float, datetime | None]:
    """(share of the target used, due) for one target; share -1 when met/not applicable."""
    if target == SlaTarget.FIRST_RESPONSE:
        if ticket.first_response_at is not None or ticket.first_response_due_at is None:
            return -1.0, None
        due, minutes = utc(ticket.first_response_due_at), policy.first_response_minutes
    else:
        if ticket.due_at is None or ticket.status in STOPPED_STATUSES:
            return -1.0, None
        due, minutes = utc(ticket.due_at), policy.resolution_minutes
    ref = utc(ticket.sla_paused_at) if ticket.sla_paused_at else now
    total = max(minutes * 60.0, 1.0)
    if ref >= due:
        return 1.0 + working_seconds(cal, due, ref) / total, due
    return 1.0 - working_seconds(cal, ref, due) / total, due


# --- the ticket page -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockEventView:
    at: datetime
    label: str
    target: str
    detail: str


@dataclass(frozen=True)
class ClockView:
    policy_name: str
    state: SlaState | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    events: list[ClockEventView]


def clock_view(session: Session, actor: Actor, ticket_id: int) -> ClockView:
    """The SLA clock and its log for the ticket page (staff only)."""
    require_staff(actor)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound("That ticket does not exist.")
    policy = session.get(SlaPolicy, ticket.sla_policy_id) if ticket.sla_policy_id else None
    state = sla_states(session, [ticket]).get(ticket_id)
    events = [
        ClockEventView(
            at=utc(e.at),
            label=i18n._(CLOCK_LABELS.get(e.kind, e.kind)),
            target=i18n._(TARGET_LABELS[e.target]) if e.target in TARGET_LABELS else "",
            detail=i18n.shown(e.detail),  # stored language-neutral (sla.clock._log)
        )
        for e in clock_events(session, ticket_id)
    ]
    return ClockView(
        policy_name=policy.name if policy else "",
        state=state,
        first_response_due_at=ticket.first_response_due_at,
        resolution_due_at=ticket.due_at,
        events=events,
    )
