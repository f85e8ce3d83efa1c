"""Help-desk analytics for managers: every number is a SQL aggregate (GROUP BY over indexed
columns); Python only reshapes a handful of grouped rows. Correct on SQLite and PostgreSQL.

Definitions (also written on the page, see DEFINITIONS):
- scope: tickets not merged into another ticket (a merged duplicate counts once, as its
  target), filtered by team and category when chosen;
- days are cut at midnight in the configured time zone (TICKETAPP_TIMEZONE, default UTC);
- backlog: tickets now New, Open, In progress or Waiting on requester;
- created: by the ticket's creation time;
- resolution: the LAST move to Resolved (Ticket.resolved_at) of a ticket that is still
  Resolved or Closed (a reopened ticket is not resolved); resolution time = that moment minus
  creation; a ticket resolved twice counts once, with its last resolution;
- first response: the first public reply by an agent or manager (Ticket.first_response_at,
  stamped by services.tickets.add_comment); tickets never answered have none and are left out
  of the median (and counted as unanswered);
- reopen rate: of the tickets moved to Resolved during the period, the share moved back from
  Resolved or Closed to an active status after that (by a requester's reply or by staff);
- overdue: backlog tickets whose due date has passed; overdue rate = overdue / backlog;
- satisfaction: ratings given during the period (1-5), averaged;
- KB deflections: "this solved my problem" clicks during the period (category filter: the
  article's category; a deflection has no team, so the team filter does not apply).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, func, literal, select, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, col
from sqlmodel.sql.sqltypes import UTCDateTime

from ticketapp import clock
from ticketapp.models import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    Category,
    KbArticle,
    KbDeflection,
    Priority,
    Role,
    SatisfactionRating,
    Ticket,
    TicketEvent,
    TicketStatus,
    TicketType,
    User,
    utcnow,
)
from ticketapp.services import lifecycle, sla
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import ValidationError

PERIODS = ("7", "30", "90")
DEFAULT_PERIOD = "30"
MAX_CUSTOM_DAYS = 366
ACTIVE = [s.value for s in lifecycle.ACTIVE_STATUSES]
DONE = [TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value]
ALL_STATUSES = [s.value for s in TicketStatus]  # lets "status, resolved_at" indexes seek
PRIORITY_ORDER = [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]

HOUR = 3600
DAY = 86400
# (label, upper bound in seconds; None = no bound)
RESOLUTION_BUCKETS: list[tuple[str, int | None]] = [
    ("Under 1 hour", HOUR),
    ("1-4 hours", 4 * HOUR),
    ("4-24 hours", DAY),
    ("1-3 days", 3 * DAY),
    ("3-7 days", 7 * DAY),
    ("Over 7 days", None),
]
AGE_BUCKETS: list[tuple[str, int | None]] = [
    ("Under 1 day", DAY),
    ("1-3 days", 3 * DAY),
    ("3-7 days", 7 * DAY),
    ("7-30 days", 30 * DAY),
    ("Over 30 days", None),
]

DEFINITIONS: list[tuple[str, str]] = [
    ("Time zone", "Days (today, per-day charts, custom dates) are cut at midnight in {tz}."),
    (
        "Tickets counted",
        "Every ticket except those merged into another ticket (a duplicate counts once, as "
        "the ticket it was merged into). Team and category filters apply to tickets.",
    ),
    ("Backlog", "Tickets now New, Open, In progress or Waiting on requester."),
    (
        "First response",
        "The first public reply by an agent or manager. Internal notes and the requester's own "
        "messages do not count. Median over tickets created in the period that were answered; "
        "tickets never answered are left out of the median and counted as unanswered.",
    ),
    (
        "Resolution",
        "The last move to Resolved, for tickets that are still Resolved or Closed (a reopened "
        "ticket is not resolved until it is resolved again). Resolution time is that moment "
        "minus the time the ticket was filed.",
    ),
    (
        "Reopen rate",
        "Of the tickets moved to Resolved during the period, the share that were later moved "
        "back from Resolved or Closed to an active status (a requester's reply or an agent).",
    ),
    ("Overdue", "Backlog tickets whose due date has passed. Rate: overdue / backlog."),
    ("Satisfaction", "Ratings (1 to 5 stars) given during the period, averaged."),
    (
        "KB deflections",
        "Times someone found the answer in the knowledge base while filing and left without "
        "filing a ticket, during the period. The category filter uses the article's category; "
        "the team filter does not apply.",
    ),
]


# --- filters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: date  # first local day, inclusive
    end: date  # last local day, inclusive
    period: str = DEFAULT_PERIOD  # "7" | "30" | "90" | "custom"
    team_id: int | None = None
    category_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def params(self) -> dict[str, str]:
        """The URL query string form (only non-defaults)."""
        out: dict[str, str] = {}
        if self.period == "custom":
            out.update(period="custom", start=self.start.isoformat(), end=self.end.isoformat())
        elif self.period != DEFAULT_PERIOD:
            out["period"] = self.period
        if self.team_id:
            out["team"] = str(self.team_id)
        if self.category_id:
            out["category"] = str(self.category_id)
        return out

    def key(self) -> str:
        """A short token-safe key naming this view (same filters -> same key)."""
        parts = [self.start.isoformat(), self.end.isoformat(), self.period]
        parts += [str(self.team_id or 0), str(self.category_id or 0)]
        return "-".join(p.replace("-", "") for p in parts)


zone = clock.team_zone


def local_today(tz: ZoneInfo, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(tz).date()


def _opt_id(value: object, name: str, message: str) -> int | None:
    if value in (None, "", "0", "any"):
        return None
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(message, name) from None
    if not 1 <= n <= 2**31 - 1:
        raise ValidationError(message, name)
    return n


def _day(value: object, name: str, label: str) -> date:
    try:
        return date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        raise ValidationError(f"Enter the {label} date as YYYY-MM-DD.", name) from None


def parse_filters(params: Mapping[str, object], today: date) -> Filters:
    """Filters from URL parameters: period (7/30/90/custom), start/end (custom), team,
    category. Bad values raise ValidationError naming the field."""
    period = str(params.get("period") or DEFAULT_PERIOD).strip()
    team = _opt_id(params.get("team"), "team", "Choose a team.")
    category = _opt_id(params.get("category"), "category", "Choose a category.")
    if period in PERIODS:
        days = int(period)
        return Filters(today - timedelta(days=days - 1), today, period, team, category)
    if period != "custom":
        raise ValidationError("Choose 7, 30 or 90 days, or a custom range.", "period")
    start = _day(params.get("start"), "start", "start")
    end = _day(params.get("end"), "end", "end")
    if end < start:
        raise ValidationError("The end date must be on or after the start date.", "end")
    if end > today:
        raise ValidationError("The end date cannot be in the future.", "end")
    if (end - start).days + 1 > MAX_CUSTOM_DAYS:
        raise ValidationError(f"Choose at most {MAX_CUSTOM_DAYS} days.", "start")
    return Filters(start, end, "custom", team, category)


def default_filters(today: date) -> Filters:
    return parse_filters({}, today)


# --- the result -----------------------------------------------------------------------------


@dataclass
class Dashboard:
    # Raw numbers (None = nothing to measure yet). Seconds for times, 0..1 for rates.
    metrics: dict[str, float | int | None]
    # KPI cards, in display order: {"key", "label", "value", "detail"} (text as shown).
    kpis: list[dict[str, str]]
    # Per local day: {"day", "label", "created", "resolved", "ratings", "avg_rating"}.
    daily: list[dict[str, Any]]
    # {"name", "value"} lists.
    by_status: list[dict[str, Any]]
    by_priority: list[dict[str, Any]]
    by_category: list[dict[str, Any]]
    by_type: list[dict[str, Any]]
    resolution_times: list[dict[str, Any]]
    backlog_age: list[dict[str, Any]]
    # {"name", "open", "resolved"}.
    workload: list[dict[str, Any]]
    timezone: str = "UTC"
    start: str = ""
    end: str = ""
    computed_at: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = max(0, int(round(seconds)))
    if s < HOUR:
        return f"{s // 60}m"
    if s < DAY:
        return f"{s // HOUR}h {s % HOUR // 60}m"
    return f"{s // DAY}d {s % DAY // HOUR}h"


def format_rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- SQL helpers ----------------------------------------------------------------------------


def _seconds(session: Session, later, earlier):
    """`later - earlier` in seconds, as a SQL expression."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


def _midnight(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz).astimezone(UTC)


def _days_table(f: Filters, tz: ZoneInfo):
    """A small CTE (d, lo, hi): local day index -> its UTC [lo, hi) range."""
    rows = []
    for i in range(f.days):
        day = f.start + timedelta(days=i)
        rows.append(
            select(
                literal(i, Integer).label("d"),
                literal(_midnight(day, tz), UTCDateTime()).label("lo"),
                literal(_midnight(day + timedelta(days=1), tz), UTCDateTime()).label("hi"),
            )
        )
    return union_all(*rows).cte("days")


def _scope(f: Filters) -> list:
    """Tickets counted. Team/category are compared as `column + 0`: that keeps a planner
    without statistics (SQLite: nothing runs ANALYZE) from scanning all of a team's tickets
    through ix_ticket_team_id instead of seeking the time-range covering indexes, which carry
    both columns."""
    conds: list = [col(Ticket.merged_into_id).is_(None)]
    if f.team_id:
        conds.append(col(Ticket.team_id) + 0 == f.team_id)
    if f.category_id:
        conds.append(col(Ticket.category_id) + 0 == f.category_id)
    return conds


def _daily(session: Session, days, scope: list, resolved_scope: list) -> dict[int, tuple]:
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


def _median(session: Session, expr, conds: list, n: int) -> float | None:
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


def _bucket_sums(expr, buckets: list[tuple[str, int | None]]) -> list:
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


def _age_sums(now: datetime, buckets: list[tuple[str, int | None]]) -> list:
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


def _label(labels: Mapping, value: str) -> str:
    try:
        return labels[value]
    except KeyError:
        return str(value)


# --- the dashboard --------------------------------------------------------------------------


def dashboard(
    session: Session,
    actor: Actor,
    filters: Filters,
    now: datetime | None = None,
    tz_name: str | None = None,
) -> Dashboard:
    """Every number of the analytics view, for a manager."""
    require_manager(actor)
    return compute(session, filters, now=now, tz_name=tz_name)


def compute(
    session: Session, f: Filters, now: datetime | None = None, tz_name: str | None = None
) -> Dashboard:
    """The aggregation itself, without a permission check: for `dashboard` and for the live
    feed, which recomputes views that managers opened (never call it for anyone else)."""
    tz = zone(tz_name)
    sla_now = now or clock.now()  # the SLA clock (movable in tests)
    now = now or utcnow()
    today = local_today(tz, now)
    p_lo, p_hi = _midnight(f.start, tz), _midnight(f.end + timedelta(days=1), tz)
    t_lo, t_hi = _midnight(today, tz), _midnight(today + timedelta(days=1), tz)
    scope = _scope(f)
    metrics: dict[str, float | int | None] = {}

    # Backlog snapshot: one GROUP BY over the active tickets.
    active = [*scope, col(Ticket.status).in_(ACTIVE)]
    overdue_expr = case(
        (and_(col(Ticket.due_at).is_not(None), col(Ticket.due_at) < now), 1), else_=0
    )
    snap = session.execute(
        select(
            Ticket.status,
            Ticket.priority,
            Ticket.type,
            Ticket.category_id,
            func.count(),
            func.coalesce(func.sum(overdue_expr), 0),
            *_age_sums(now, AGE_BUCKETS),
        )
        .where(*active)
        .group_by(Ticket.status, Ticket.priority, Ticket.type, Ticket.category_id)
    ).all()
    by_status: dict[str, int] = {}
    by_priority: dict[str, int] = {}
    by_type: dict[str, int] = {}
    by_cat: dict[int | None, int] = {}
    ages = [0] * len(AGE_BUCKETS)
    backlog = overdue = 0
    for status, priority, type_, cat, n, late, *age in snap:
        n = int(n)
        backlog += n
        overdue += int(late)
        by_status[status] = by_status.get(status, 0) + n
        by_priority[priority] = by_priority.get(priority, 0) + n
        by_type[type_] = by_type.get(type_, 0) + n
        by_cat[cat] = by_cat.get(cat, 0) + n
        for i, a in enumerate(age):
            ages[i] += int(a)
    metrics.update(backlog=backlog, overdue=overdue, overdue_rate=_ratio(overdue, backlog))

    # SLA met/breached, over the tickets filed in the period.
    filed = [*scope, col(Ticket.created_at) >= p_lo, col(Ticket.created_at) < p_hi]
    rates = sla.rate_counts(session, sla_now, filed)
    metrics.update(
        sla_first_met=rates.first_response.met,
        sla_first_breached=rates.first_response.breached,
        sla_resolution_met=rates.resolution.met,
        sla_resolution_breached=rates.resolution.breached,
    )

    # Created and resolved: per local day in the period, and today.
    days = _days_table(f, tz)
    resolved_scope = [*scope, col(Ticket.status).in_(DONE)]
    per_day = _daily(session, days, scope, resolved_scope)
    created_daily = {d: v[0] for d, v in per_day.items()}
    resolved_daily = {d: v[1] for d, v in per_day.items()}
    created_today, resolved_today = session.execute(
        select(
            select(func.count())
            .select_from(Ticket)
            .where(*scope, col(Ticket.created_at) >= t_lo, col(Ticket.created_at) < t_hi)
            .scalar_subquery(),
            select(func.count())
            .select_from(Ticket)
            .where(*resolved_scope, col(Ticket.resolved_at) >= t_lo, col(Ticket.resolved_at) < t_hi)
            .scalar_subquery(),
        )
    ).one()
    metrics.update(
        created=sum(created_daily.values()),
        resolved=sum(resolved_daily.values()),
        created_today=int(created_today),
        resolved_today=int(resolved_today),
    )

    # Resolution time: median and distribution over tickets resolved in the period.
    res_conds = [*resolved_scope, col(Ticket.resolved_at) >= p_lo, col(Ticket.resolved_at) < p_hi]
    res_secs = _seconds(session, col(Ticket.resolved_at), col(Ticket.created_at))
    dist = session.execute(
        select(func.count(), *_bucket_sums(res_secs, RESOLUTION_BUCKETS))
        .select_from(Ticket)
        .where(*res_conds)
    ).one()
    n_resolved = int(dist[0])
    metrics["median_resolution"] = _median(session, res_secs, res_conds, n_resolved)

    # First response: median over tickets created in the period that were answered.
    created_conds = [*scope, col(Ticket.created_at) >= p_lo, col(Ticket.created_at) < p_hi]
    answered = session.execute(
        select(
            func.count(),
            func.coalesce(
                func.sum(case((col(Ticket.first_response_at).is_not(None), 1), else_=0)), 0
            ),
        )
        .select_from(Ticket)
        .where(*created_conds)
    ).one()
    n_answered = int(answered[1])
    fr_conds = [*created_conds, col(Ticket.first_response_at).is_not(None)]
    fr_secs = _seconds(session, col(Ticket.first_response_at), col(Ticket.created_at))
    metrics["median_first_response"] = _median(session, fr_secs, fr_conds, n_answered)
    metrics["answered"] = n_answered
    metrics["unanswered"] = int(answered[0]) - n_answered

    # Satisfaction: ratings given in the period, per local day.
    ratings = {d: (v[2], v[3]) for d, v in per_day.items() if v[2]}
    n_ratings = sum(n for n, _ in ratings.values())
    score_sum = sum(s for _, s in ratings.values())
    metrics["ratings"] = n_ratings
    metrics["avg_rating"] = score_sum / n_ratings if n_ratings else None

    # KB deflections in the period.
    defl = select(func.count()).select_from(KbDeflection)
    if f.category_id:
        defl = defl.join(KbArticle, col(KbArticle.id) == KbDeflection.article_id).where(
            KbArticle.category_id == f.category_id
        )
    defl = defl.where(col(KbDeflection.created_at) >= p_lo, col(KbDeflection.created_at) < p_hi)
    metrics["deflections"] = int(session.execute(defl).scalar_one())

    # Reopen rate: tickets moved to Resolved in the period, and those moved back out later.
    # A ticket moved to Resolved in the period has resolved_at (its LAST such move) in or after
    # the period: that bounds the tickets to look at through the covering resolved_at index.
    ev, later = TicketEvent, aliased(TicketEvent)
    candidates = select(Ticket.id).where(
        *scope, col(Ticket.status).in_(ALL_STATUSES), col(Ticket.resolved_at) >= p_lo
    )
    reopened_later = (
        select(later.id)
        .where(
            later.ticket_id == ev.ticket_id,
            later.kind == "status_changed",
            col(later.created_at) > ev.created_at,
            col(later.old_value).in_(DONE),
            col(later.new_value).in_(ACTIVE),
        )
        .exists()
    )
    n_res_events, n_reopened = session.execute(
        select(
            func.count(func.distinct(ev.ticket_id)),
            func.count(func.distinct(case((reopened_later, ev.ticket_id), else_=None))),
        )
        .select_from(ev)
        .where(
            ev.kind == "status_changed",
            ev.new_value == TicketStatus.RESOLVED.value,
            col(ev.created_at) >= p_lo,
            col(ev.created_at) < p_hi,
            col(ev.ticket_id).in_(candidates),
        )
    ).one()
    metrics["reopened"] = int(n_reopened)
    metrics["resolutions_for_reopen"] = int(n_res_events)
    metrics["reopen_rate"] = _ratio(int(n_reopened), int(n_res_events))

    # Workload: backlog and resolved in the period, per assignee.
    open_by = dict(
        session.execute(
            select(Ticket.assignee_id, func.count()).where(*active).group_by(Ticket.assignee_id)
        ).all()
    )
    done_by = dict(
        session.execute(
            select(Ticket.assignee_id, func.count()).where(*res_conds).group_by(Ticket.assignee_id)
        ).all()
    )
    people = {i for i in (*open_by, *done_by) if i is not None}
    names = (
        dict(session.execute(select(User.id, User.name).where(col(User.id).in_(people))).all())
        if people
        else {}
    )
    workload = [
        {
            "name": names.get(i, f"User {i}") if i is not None else "Unassigned",
            "open": int(open_by.get(i, 0)),
            "resolved": int(done_by.get(i, 0)),
        }
        for i in {*open_by, *done_by}
    ]
    workload.sort(key=lambda w: (w["name"] == "Unassigned", -w["open"], -w["resolved"], w["name"]))

    cat_ids = [c for c in by_cat if c is not None]
    cat_names = (
        dict(
            session.execute(
                select(Category.id, Category.name).where(col(Category.id).in_(cat_ids))
            ).all()
        )
        if cat_ids
        else {}
    )
    by_category = [
        {"name": cat_names.get(c, f"Category {c}") if c is not None else "No category", "value": n}
        for c, n in by_cat.items()
    ]
    by_category.sort(key=lambda r: (-r["value"], r["name"]))

    daily = []
    for i in range(f.days):
        day = f.start + timedelta(days=i)
        n, s = ratings.get(i, (0, 0))
        daily.append(
            {
                "day": day.isoformat(),
                "label": f"{day:%b} {day.day}",
                "created": created_daily.get(i, 0),
                "resolved": resolved_daily.get(i, 0),
                "ratings": n,
                "avg_rating": round(s / n, 2) if n else None,
            }
        )

    result = Dashboard(
        metrics=metrics,
        kpis=kpi_cards(metrics),
        daily=daily,
        by_status=[
            {"name": STATUS_LABELS[TicketStatus(s)], "value": by_status.get(s, 0)} for s in ACTIVE
        ],
        by_priority=[
            {"name": PRIORITY_LABELS[p], "value": by_priority.get(p.value, 0)}
            for p in PRIORITY_ORDER
        ],
        by_category=by_category,
        by_type=[{"name": TYPE_LABELS[t], "value": by_type.get(t.value, 0)} for t in TicketType],
        resolution_times=[
            {"name": label, "value": int(v)}
            for (label, _), v in zip(RESOLUTION_BUCKETS, dist[1:], strict=True)
        ],
        backlog_age=[
            {"name": label, "value": v} for (label, _), v in zip(AGE_BUCKETS, ages, strict=True)
        ],
        workload=workload,
        timezone=tz.key,
        start=f.start.isoformat(),
        end=f.end.isoformat(),
        computed_at=now.astimezone(tz).strftime("%H:%M:%S"),
    )
    return result


# KPI cards, in display order. Later features (SLA met/breached, ...) append theirs through
# EXTRA_KPIS: functions (metrics) -> list of cards, called after the built-in ones.
EXTRA_KPIS: list = []


def kpi_cards(m: Mapping[str, float | int | None]) -> list[dict[str, str]]:
    def card(key: str, label: str, value: str, detail: str = "") -> dict[str, str]:
        return {"key": key, "label": label, "value": value, "detail": detail}

    avg = m.get("avg_rating")
    cards = [
        card("backlog", "Open backlog", str(m["backlog"]), "tickets not yet resolved"),
        card("created_today", "Created today", str(m["created_today"])),
        card("resolved_today", "Resolved today", str(m["resolved_today"])),
        card(
            "median_first_response",
            "Median first response",
            format_duration(m["median_first_response"]),
            f"{m['answered']} answered, {m['unanswered']} not yet",
        ),
        card(
            "median_resolution",
            "Median resolution time",
            format_duration(m["median_resolution"]),
            f"{m['resolved']} resolved in period",
        ),
        card(
            "overdue",
            "Overdue",
            str(m["overdue"]),
            f"{format_rate(m['overdue_rate'])} of backlog",
        ),
        card(
            "satisfaction",
            "Average satisfaction",
            "—" if avg is None else f"{float(avg):.2f} / 5",
            f"{m['ratings']} ratings",
        ),
        card("deflections", "KB deflections", str(m["deflections"]), "solved without a ticket"),
        card(
            "reopen_rate",
            "Reopen rate",
            format_rate(m["reopen_rate"]),
            f"{m['reopened']} of {m['resolutions_for_reopen']} resolved tickets",
        ),
    ]
    for key, label in (("first", "First response"), ("resolution", "Resolution")):
        met, breached = m[f"sla_{key}_met"], m[f"sla_{key}_breached"]
        cards.append(
            card(
                f"sla_{key}",
                f"{label} SLA met",
                format_rate(_ratio(met, met + breached)),
                f"{met} met, {breached} breached",
            )
        )
    for extra in EXTRA_KPIS:
        cards.extend(extra(m))
    return cards


# --- CSV ------------------------------------------------------------------------------------

CHART_SECTIONS: list[tuple[str, str]] = [
    ("by_status", "Backlog by status"),
    ("by_priority", "Backlog by priority"),
    ("by_category", "Backlog by category"),
    ("by_type", "Backlog by type"),
    ("resolution_times", "Resolution time"),
    ("backlog_age", "Backlog age"),
]


def to_csv(data: Mapping[str, Any]) -> str:
    """The numbers behind a view, as shown (a Dashboard's fields, or the same as a dict)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "item", "value", "detail"])
    w.writerow(["period", "from", data.get("start", ""), ""])
    w.writerow(["period", "to", data.get("end", ""), ""])
    w.writerow(["period", "time zone", data.get("timezone", ""), ""])
    for k in data.get("kpis", []):
        w.writerow(["KPI", k["label"], k["value"], k["detail"]])
    for row in data.get("daily", []):
        w.writerow(["Created per day", row["day"], row["created"], ""])
        w.writerow(["Resolved per day", row["day"], row["resolved"], ""])
        avg = row.get("avg_rating")
        w.writerow(["Satisfaction per day", row["day"], "" if avg is None else avg, row["ratings"]])
    for key, title in CHART_SECTIONS:
        for row in data.get(key, []):
            w.writerow([title, row["name"], row["value"], ""])
    for row in data.get("workload", []):
        w.writerow(["Workload: open", row["name"], row["open"], ""])
        w.writerow(["Workload: resolved in period", row["name"], row["resolved"], ""])
    return out.getvalue()


def as_dict(d: Dashboard) -> dict[str, Any]:
    return {
        "kpis": d.kpis,
        "daily": d.daily,
        "by_status": d.by_status,
        "by_priority": d.by_priority,
        "by_category": d.by_category,
        "by_type": d.by_type,
        "resolution_times": d.resolution_times,
        "backlog_age": d.backlog_age,
        "workload": d.workload,
        "timezone": d.timezone,
        "start": d.start,
        "end": d.end,
        "computed_at": d.computed_at,
    }


def filter_choices(session: Session, actor: Actor) -> dict[str, list[tuple[str, str]]]:
    """Teams and categories for the filter menus."""
    require_manager(actor)
    from ticketapp.models import Team

    teams = session.execute(select(Team.id, Team.name).order_by(Team.name)).all()
    cats = session.execute(select(Category.id, Category.name).order_by(Category.name)).all()
    return {
        "teams": [(str(i), n) for i, n in teams],
        "categories": [(str(i), n) for i, n in cats],
    }


def active_managers(session: Session, user_ids: set[int]) -> set[int]:
    """Which of these users are, right now, active managers: the live feed pushes dashboards
    (computed without an actor, see `compute`) only to tabs opened by them, so a role change or
    a deactivation stops the numbers without waiting for that tab's next event."""
    if not user_ids:
        return set()
    rows = session.execute(
        select(User.id).where(
            col(User.id).in_(sorted(user_ids)),
            col(User.role) == Role.MANAGER,
            col(User.is_active),
        )
    ).scalars()
    return set(rows)
