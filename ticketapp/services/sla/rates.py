"""SLA met/breached counts per target, for staff and for the managers' analytics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp import clock
from ticketapp.models import (
    Ticket,
)
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.sla.common import STOPPED_STATUSES

# --- rates (for analytics) -------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRate:
    met: int
    breached: int

    @property
    def rate(self) -> float | None:
        """Share met among decided tickets (None when nothing is decided yet)."""
        total = self.met + self.breached
        return self.met / total if total else None


@dataclass(frozen=True)
class SlaRates:
    first_response: TargetRate
    resolution: TargetRate


def sla_rates(
    session: Session, actor: Actor, since: datetime | None = None, now: datetime | None = None
) -> SlaRates:
    """Met/breached counts per target for tickets with an SLA filed since `since` (staff)."""
    require_staff(actor)
    conditions = [] if since is None else [col(Ticket.created_at) >= since]
    return rate_counts(session, now or clock.now(), conditions)


def rate_counts(session: Session, now: datetime, conditions: list) -> SlaRates:
    """Met/breached counts per target over the tickets with an SLA matching `conditions`
    (no permission check: for sla_rates and the managers' analytics).

    First response: met when answered by its due date; breached when answered late or still
    unanswered past it. Resolution: met when resolved by its due date; breached when resolved
    late or still open past it (a paused ticket counts by where its clock stopped).
    """
    from sqlalchemy import and_, case, func, or_

    stopped = [s.value for s in STOPPED_STATUSES]
    fr_due, fr_at = col(Ticket.first_response_due_at), col(Ticket.first_response_at)
    due, paused = col(Ticket.due_at), col(Ticket.sla_paused_at)
    is_stopped = col(Ticket.status).in_(stopped)
    stop_at = func.coalesce(paused, col(Ticket.resolved_at))

    def count(cond):
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    stmt = select(
        count(and_(fr_due.is_not(None), fr_at.is_not(None), fr_at <= fr_due)),
        count(
            and_(
                fr_due.is_not(None),
                or_(and_(fr_at.is_not(None), fr_at > fr_due), and_(fr_at.is_(None), fr_due < now)),
            )
        ),
        count(and_(due.is_not(None), is_stopped, stop_at <= due)),
        count(
            and_(
                due.is_not(None),
                or_(
                    and_(is_stopped, stop_at > due),
                    and_(~is_stopped, func.coalesce(paused, now) > due),
                ),
            )
        ),
    ).where(col(Ticket.sla_policy_id).is_not(None), col(Ticket.merged_into_id).is_(None))
    stmt = stmt.where(*conditions)
    fm, fb, rm, rb = session.exec(stmt).one()
    return SlaRates(TargetRate(int(fm), int(fb)), TargetRate(int(rm), int(rb)))
