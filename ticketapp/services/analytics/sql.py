"""SQL building blocks the KPIs share: durations in seconds per dialect, local days as UTC
ranges, the tickets counted, per-day counts in one statement, medians and bucket sums."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, func, literal, select, union_all
from sqlmodel import Session, col
from sqlmodel.sql.sqltypes import UTCDateTime

from ticketapp.models import SatisfactionRating, Ticket
from ticketapp.services import field_filters, organisations
from ticketapp.services.analytics.filters import Filters


def seconds_between(session: Session, later, earlier):
    """`later - earlier` in seconds, as a SQL expression."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


def midnight(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz).astimezone(UTC)


def days_table(f: Filters, tz: ZoneInfo):
    """A small CTE (d, lo, hi): local day index -> its UTC [lo, hi) range."""
    rows = []
    for i in range(f.days):
        day = f.start + timedelta(days=i)
        rows.append(
            select(
                literal(i, Integer).label("d"),
                literal(midnight(day, tz), UTCDateTime()).label("lo"),
                literal(midnight(day + timedelta(days=1), tz), UTCDateTime()).label("hi"),
            )
        )
    return union_all(*rows).cte("days")


def ticket_scope(f: Filters) -> list:
    """Tickets counted. Team/category are compared as `column + 0`: that keeps a planner
    without statistics (SQLite: nothing runs ANALYZE) from scanning all of a team's tickets
    through ix_ticket_team_id instead of seeking the time-range covering indexes, which carry
    both columns."""
    conds: list = [col(Ticket.merged_into_id).is_(None)]
    if f.team_id:
        conds.append(col(Ticket.team_id) + 0 == f.team_id)
    if f.category_id:
        conds.append(col(Ticket.category_id) + 0 == f.category_id)
    if f.organisation_id:  # ORGS:
        conds.append(organisations.tickets_of(f.organisation_id))
    if f.channel:
        conds.append(col(Ticket.channel) == f.channel)
    if f.tag:  # TAGS:
        conds.append(field_filters.has_tag(f.tag))
    return conds


def daily_counts(session: Session, days, scope: list, resolved_scope: list) -> dict[int, tuple]:
    """Per local day: (created, resolved, ratings, sum of scores), in ONE statement: for each
    row of the small days table, index-range counts (correlated scalar subqueries)."""

    def in_day(column) -> list:
        return [column >= days.c.lo, column < days.c.hi]

    def count(*conds):
        return select(func.count()).select_from(Ticket).where(*conds).scalar_subquery()

    def rated(agg):
        return (
            select(agg)
            .select_from(SatisfactionRating)
            .join(Ticket, col(Ticket.id) == SatisfactionRating.ticket_id)
            .where(*scope, *in_day(col(SatisfactionRating.created_at)))
            .scalar_subquery()
        )

    stmt = select(
        days.c.d,
        count(*scope, *in_day(col(Ticket.created_at))),
        count(*resolved_scope, *in_day(col(Ticket.resolved_at))),
        rated(func.count()),
        rated(func.coalesce(func.sum(SatisfactionRating.score), 0)),
    ).select_from(days)
    return {int(d): (int(c), int(r), int(n), int(t)) for d, c, r, n, t in session.execute(stmt)}


def median(session: Session, expr, conds: list, n: int) -> float | None:
    """Median of `expr` over the tickets matching `conds` (n of them): sort in SQL, read the
    middle one or two rows with OFFSET."""
    if not n:
        return None
    stmt = (
        select(expr.label("x"))
        .select_from(Ticket)
        .where(*conds)
        .order_by(expr)
        .offset((n - 1) // 2)
        .limit(2 - n % 2)
    )
    values = [float(v) for v in session.execute(stmt).scalars().all()]
    return sum(values) / len(values) if values else None


def bucket_sums(expr, buckets: list[tuple[str, int | None]]) -> list:
    out = []
    lower: int | None = None
    for _label, upper in buckets:
        conds = []
        if lower is not None:
            conds.append(expr >= lower)
        if upper is not None:
            conds.append(expr < upper)
        out.append(func.coalesce(func.sum(case((and_(*conds), 1), else_=0)), 0))
        lower = upper
    return out


def age_sums(now: datetime, buckets: list[tuple[str, int | None]]) -> list:
    """Backlog age buckets by comparing created_at with precomputed cutoffs (index-friendly,
    no date arithmetic in SQL)."""
    out = []
    newer_than: datetime | None = None  # created after this = younger than the lower bound
    for _label, upper in buckets:
        conds = []
        if newer_than is not None:
            conds.append(col(Ticket.created_at) <= newer_than)
        if upper is not None:
            conds.append(col(Ticket.created_at) > now - timedelta(seconds=upper))
        out.append(func.coalesce(func.sum(case((and_(*conds), 1), else_=0)), 0))
        newer_than = now - timedelta(seconds=upper) if upper is not None else None
    return out
