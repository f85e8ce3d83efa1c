"""The per-ticket SLA clock: its log (SlaClockEvent), the matching policy, the due dates, and the
hooks tickets/ calls on creation, status changes, the first response and re-targeting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp import clock, i18n
from ticketapp.i18n import N_
from ticketapp.models import (
    STATUS_LABELS,
    BusinessCalendar,
    SlaClockEvent,
    SlaPolicy,
    SlaTarget,
    Ticket,
    TicketStatus,
)
from ticketapp.services.sla.calendars import Calendar, add_working, working_seconds
from ticketapp.services.sla.common import PAUSED_STATUSES, STOPPED_STATUSES, utc

MAX_DETAIL = 300  # SlaClockEvent.detail
# Why targets were recomputed (stored in the clock log, translated when read).
PRIORITY_CHANGED = N_("Priority changed")
CATEGORY_OR_TEAM_CHANGED = N_("Category or team changed")
POLICY_CHANGED = N_("Policy changed")

# --- the clock log ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    first_response_minutes: int
    resolution_minutes: int
    calendar: Calendar | None


def _pauses(
    events: Sequence[SlaClockEvent],
) -> tuple[datetime | None, list[tuple[datetime, datetime | None]]]:
    """(start, stop intervals) from a ticket's log; an open interval has end None."""
    start: datetime | None = None
    pauses: list[tuple[datetime, datetime | None]] = []
    open_at: datetime | None = None
    for e in events:
        at = utc(e.at)
        if e.kind == "start" and start is None:
            start = at
        elif e.kind in ("pause", "resolved") and open_at is None:
            open_at = at
        elif e.kind == "resume" and open_at is not None:
            pauses.append((open_at, at))
            open_at = None
    if open_at is not None:
        pauses.append((open_at, None))
    return start, pauses


def due_after(
    cal: Calendar | None,
    start: datetime,
    minutes: int,
    pauses: Sequence[tuple[datetime, datetime | None]],
    paused_at: datetime | None = None,
) -> datetime:
    """When `minutes` of (working) clock time have run after `start`, skipping the pauses.

    An open pause (end None) is treated as ending at `paused_at`'s resume = now-independent: the
    due date is computed as if the clock resumed right at the pause (remaining time frozen).
    """
    cursor = utc(start)
    left = minutes * 60.0
    for p_start, p_end in sorted(pauses, key=lambda p: p[0]):
        ran = working_seconds(cal, cursor, p_start)
        if ran >= left:
            return add_working(cal, cursor, left)
        left -= ran
        if p_end is None:
            return add_working(cal, utc(p_start), left)
        cursor = max(cursor, utc(p_end))
    return add_working(cal, cursor, left)


def calendars_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, Calendar]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(BusinessCalendar).where(col(BusinessCalendar.id).in_(wanted))).all()
    return {r.id: Calendar.of(r) for r in rows if r.id is not None}


def policy_calendar(session: Session, policy: SlaPolicy) -> Calendar | None:
    if not policy.business_hours:
        return None
    if policy.calendar_id is None:
        return Calendar()
    return calendars_by_id(session, [policy.calendar_id]).get(policy.calendar_id, Calendar())


def calendar_for(policy: SlaPolicy, calendars: dict[int, Calendar]) -> Calendar | None:
    if not policy.business_hours:
        return None
    if policy.calendar_id is None:
        return Calendar()
    return calendars.get(policy.calendar_id, Calendar())


def match_policy(session: Session, ticket: Ticket) -> SlaPolicy | None:
    """The most specific policy for the priority (category+team > category > team > any);
    among equally specific ones the newest."""
    rows = session.exec(select(SlaPolicy).where(SlaPolicy.priority == ticket.priority)).all()
    fits = [
        p
        for p in rows
        if p.category_id in (None, ticket.category_id) and p.team_id in (None, ticket.team_id)
    ]
    if not fits:
        return None
    return max(
        fits,
        # Equally specific: the newest policy wins.
        key=lambda p: (p.category_id is not None, p.team_id is not None, p.id or 0),
    )


def _log(session: Session, ticket_id: int, kind: str, at: datetime, target=None, detail="") -> None:
    """`detail` is an `i18n.later()` text, translated for whoever reads the log."""
    if len(detail) > MAX_DETAIL:  # a very long policy name: keep the English, shortened
        with i18n.using("en"):
            detail = i18n.shown(detail)[:MAX_DETAIL]
    session.add(SlaClockEvent(ticket_id=ticket_id, kind=kind, target=target, at=at, detail=detail))


def clock_events(session: Session, ticket_id: int) -> list[SlaClockEvent]:
    return list(
        session.exec(
            select(SlaClockEvent)
            .where(SlaClockEvent.ticket_id == ticket_id)
            .order_by(col(SlaClockEvent.at), col(SlaClockEvent.id))
        ).all()
    )


def _targets_text(policy: SlaPolicy) -> str:
    b = policy.business_hours
    first = i18n.later_duration(policy.first_response_minutes, b)
    resolution = i18n.later_duration(policy.resolution_minutes, b)
    if b:
        return i18n.later(
            "{policy}: first response {first}, resolution {resolution} (business hours)",
            policy=policy.name[:80],
            first=first,
            resolution=resolution,
        )
    return i18n.later(
        "{policy}: first response {first}, resolution {resolution} (calendar hours)",
        policy=policy.name[:80],
        first=first,
        resolution=resolution,
    )


def _apply_dues(session: Session, ticket: Ticket, policy: SlaPolicy | None) -> None:
    """Set the due dates from the policy and the log (start + pauses)."""
    assert ticket.id is not None
    session.flush()
    start, pauses = _pauses(clock_events(session, ticket.id))
    ticket.sla_policy_id = policy.id if policy else None
    if policy is None or start is None:
        ticket.first_response_due_at = None
        ticket.due_at = None
        return
    cal = policy_calendar(session, policy)
    ticket.first_response_due_at = due_after(cal, start, policy.first_response_minutes, pauses)
    ticket.due_at = due_after(cal, start, policy.resolution_minutes, pauses)


def on_created(session: Session, ticket: Ticket) -> None:
    """Start the clock (hook from tickets.create_ticket). A new ticket's log is just this start,
    so its dues follow without reading the log back."""
    assert ticket.id is not None
    now = clock.now()
    policy = match_policy(session, ticket)
    cal = policy_calendar(session, policy) if policy else None
    _log(
        session,
        ticket.id,
        "start",
        now,
        detail=_targets_text(policy) if policy else i18n.later("No SLA policy"),
    )
    ticket.sla_policy_id = policy.id if policy else None
    if policy is None:
        ticket.first_response_due_at = ticket.due_at = None
    else:
        start = utc(now)
        ticket.first_response_due_at = due_after(cal, start, policy.first_response_minutes, [])
        ticket.due_at = due_after(cal, start, policy.resolution_minutes, [])
    session.add(ticket)


def on_status_change(
    session: Session, ticket: Ticket, old: str, new: str, at: datetime | None = None
) -> None:
    """Pause, stop or resume the clock (hook from tickets.apply_status)."""
    assert ticket.id is not None
    was_running = old not in PAUSED_STATUSES and old not in STOPPED_STATUSES
    runs = new not in PAUSED_STATUSES and new not in STOPPED_STATUSES
    now = at or clock.now()
    if was_running and not runs:
        if new in STOPPED_STATUSES:
            _log(session, ticket.id, "resolved", now, detail=_status_text(new))
        else:
            _log(session, ticket.id, "pause", now, detail=i18n.later("Waiting on requester"))
        ticket.sla_paused_at = now
    elif runs and not was_running:
        _log(session, ticket.id, "resume", now, detail=_status_text(new))
        ticket.sla_paused_at = None
        policy = session.get(SlaPolicy, ticket.sla_policy_id) if ticket.sla_policy_id else None
        _apply_dues(session, ticket, policy)
    elif old in PAUSED_STATUSES and new in STOPPED_STATUSES:
        _log(session, ticket.id, "resolved", now, detail=_status_text(new))
    session.add(ticket)


def _status_text(status: str) -> str:
    try:
        label = STATUS_LABELS[TicketStatus(status)]
    except ValueError:
        label = status
    return i18n.later("Status: {status}", status=i18n.later(label))


def on_first_response(session: Session, ticket_id: int, at: datetime | None = None) -> None:
    """The first public agent reply (hook from tickets.add_comment)."""
    _log(session, ticket_id, "first_response_met", at or clock.now(), SlaTarget.FIRST_RESPONSE)


def backfill(session: Session) -> int:
    """Start clocks for tickets that have none (demo data, tickets from before SLA existed) by
    replaying their status history. Returns the number of tickets done."""
    from ticketapp.models import TicketEvent

    started = select(SlaClockEvent.ticket_id).where(SlaClockEvent.kind == "start")
    rows = session.exec(
        select(Ticket).where(col(Ticket.id).not_in(started)).order_by(col(Ticket.id))
    ).all()
    if not rows:
        return 0
    ids = [t.id for t in rows]
    changes: dict[int, list[TicketEvent]] = {}
    for e in session.exec(
        select(TicketEvent)
        .where(col(TicketEvent.ticket_id).in_(ids), TicketEvent.kind == "status_changed")
        .order_by(col(TicketEvent.created_at), col(TicketEvent.id))
    ):
        changes.setdefault(e.ticket_id, []).append(e)
    for t in rows:
        assert t.id is not None
        policy = match_policy(session, t)
        created = utc(t.created_at)
        detail = _targets_text(policy) if policy else i18n.later("No SLA policy")
        _log(session, t.id, "start", created, detail=detail)
        if t.first_response_at is not None:
            on_first_response(session, t.id, utc(t.first_response_at))
        for e in changes.get(t.id, []):
            on_status_change(session, t, e.old_value or "", e.new_value or "", utc(e.created_at))
        _apply_dues(session, t, policy)
        session.add(t)
    session.flush()
    return len(rows)


def recompute(session: Session, ticket: Ticket, reason: str = PRIORITY_CHANGED) -> None:
    """Targets from the ticket's start with the pauses kept (priority/category/team change).
    `reason`: an `i18n.later()` text (or a msgid without parameters)."""
    assert ticket.id is not None
    policy = match_policy(session, ticket)
    if policy is None and ticket.sla_policy_id is None:
        return
    if not isinstance(reason, i18n.Later):
        reason = i18n.later(reason)
    if policy:
        detail = i18n.later("{reason}: {targets}", reason=reason, targets=_targets_text(policy))
    else:
        detail = i18n.later("{reason}: no SLA policy", reason=reason)
    _log(session, ticket.id, "recomputed", clock.now(), detail=detail)
    if not any(e.kind == "start" for e in clock_events(session, ticket.id)):
        started = i18n.later("Started at creation")
        _log(session, ticket.id, "start", utc(ticket.created_at), detail=started)
    _apply_dues(session, ticket, policy)
    session.add(ticket)
