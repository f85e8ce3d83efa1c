"""Lifecycle moves: a ticket's status change with its side effects (rank on the board, SLA
clock, notifications, event), the board-column lock behind ranks and numbers, and the
scheduler's auto-close of long-resolved tickets."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from ticketapp.models import Ticket, TicketStatus, utcnow
from ticketapp.services import lifecycle, notifications, ranking, sla, webhooks
from ticketapp.services.actor import Actor
from ticketapp.services.audit import record_event

_COLUMN_LOCK = 80_001  # advisory lock class for board columns (PostgreSQL)


def lock_column(session: Session, status: str) -> None:
    """Serialize rank (and ticket number) computations on one board column until commit.

    Two concurrent transactions reading the same neighbours would write the same rank (and two
    filings the same number). SQLite writers are serialized already (BEGIN IMMEDIATE); on
    PostgreSQL this takes a transaction-scoped advisory lock per column. Found by the load test
    (tests/bench/load_test.py: 4 workers on PostgreSQL filed tickets with equal ranks, and
    filing ran out of number retries).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:k, hashtext(:s))"),
            {"k": _COLUMN_LOCK, "s": str(status)},
        )


def bottom_rank(session: Session, status: str) -> str:
    """A rank below every card in a board column (locks the column: see lock_column)."""
    lock_column(session, status)
    with session.no_autoflush:
        top = session.exec(
            select(func.max(Ticket.rank)).where(Ticket.status == status, Ticket.rank != "")
        ).one()
    if top and ranking.is_valid(top):
        return ranking.rank_between(top, None)
    return ranking.rank_between(None, None)


def apply_status(
    session: Session,
    ticket: Ticket,
    target: object,
    actor: Actor | None,
    now: datetime,
    rank: str | None = None,
) -> bool:
    """Move a ticket through the lifecycle (with its side effects and event). False if a no-op."""
    tgt = lifecycle.parse_status(target)
    if tgt == ticket.status:
        return False
    lifecycle.check_transition(ticket.status, tgt, actor)
    if rank is None:
        rank = bottom_rank(session, tgt)
    old = ticket.status
    ticket.status = tgt
    ticket.rank = rank
    ticket.updated_at = now
    if tgt == TicketStatus.RESOLVED:
        ticket.resolution_count += 1
        ticket.resolved_at = now
    if tgt == TicketStatus.CLOSED:
        ticket.closed_at = now
    elif old == TicketStatus.CLOSED:
        ticket.closed_at = None
    session.add(ticket)
    assert ticket.id is not None
    record_event(session, ticket.id, actor, "status_changed", "status", old, tgt, now)
    sla.on_status_change(session, ticket, old, tgt)  # SLA: pause / stop / resume the clock
    notifications.on_status_changed(
        session, ticket, old, tgt, actor.id if actor else None
    )  # NOTIFY:
    changes = webhooks.change_part("status", str(old), str(tgt))
    webhooks.emit(session, webhooks.STATUS_CHANGED, ticket, actor, **changes)  # WEBHOOKS:
    return True


def auto_close_resolved(
    session: Session, now: datetime | None = None, days: int = 7, limit: int | None = None
) -> list[int]:
    """Close tickets resolved more than `days` ago (the system acts), the longest resolved
    first, at most `limit` of them. Returns their ids."""
    now = now or utcnow()
    cutoff = now - timedelta(days=int(days))
    stmt = (
        select(Ticket)
        .where(Ticket.status == TicketStatus.RESOLVED, col(Ticket.resolved_at) <= cutoff)
        .order_by(col(Ticket.resolved_at), col(Ticket.id))
    )
    tickets = session.exec(stmt.limit(limit) if limit else stmt).all()
    for ticket in tickets:
        apply_status(session, ticket, TicketStatus.CLOSED, None, now)
    session.flush()
    return [t.id for t in tickets]
