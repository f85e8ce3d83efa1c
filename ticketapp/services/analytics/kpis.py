"""One function per KPI or chart of the dashboard, each over a `Window` (the period, today and
the tickets counted). Every number is a SQL aggregate; Python only reshapes grouped rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.models import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    Category,
    KbArticle,
    KbDeflection,
    Ticket,
    TicketChannel,
    TicketEvent,
    TicketStatus,
    TicketType,
    User,
)
from ticketapp.services import sla
from ticketapp.services.analytics.cards import ratio
from ticketapp.services.analytics.definitions import (
    ACTIVE,
    AGE_BUCKETS,
    ALL_STATUSES,
    DONE,
    PRIORITY_ORDER,
    RESOLUTION_BUCKETS,
)
from ticketapp.services.analytics.filters import Filters
from ticketapp.services.analytics.sql import (
    age_sums,
    bucket_sums,
    daily_counts,
    days_table,
    median,
    midnight,
    seconds_between,
    ticket_scope,
)

Metrics = dict[str, float | int | None]
Chart = list[dict[str, Any]]


@dataclass(frozen=True)
class Window:
    """What one computation counts: the period and today as UTC ranges, and the tickets."""

    filters: Filters
    tz: ZoneInfo
    now: datetime
    sla_now: datetime  # the SLA clock (movable in tests)
    period_lo: datetime
    period_hi: datetime
    today_lo: datetime
    today_hi: datetime
    scope: list

    @classmethod
    def of(cls, f: Filters, tz: ZoneInfo, now: datetime, sla_now: datetime, today: date) -> Window:
        return cls(
            filters=f,
            tz=tz,
            now=now,
            sla_now=sla_now,
            period_lo=midnight(f.start, tz),
            period_hi=midnight(f.end + timedelta(days=1), tz),
            today_lo=midnight(today, tz),
            today_hi=midnight(today + timedelta(days=1), tz),
            scope=ticket_scope(f),
        )

    @property
    def active(self) -> list:
        return [*self.scope, col(Ticket.status).in_(ACTIVE)]

    @property
    def resolved(self) -> list:
        return [*self.scope, col(Ticket.status).in_(DONE)]

    @property
    def created_in_period(self) -> list:
        created = col(Ticket.created_at)
        return [*self.scope, created >= self.period_lo, created < self.period_hi]

    @property
    def resolved_in_period(self) -> list:
        resolved = col(Ticket.resolved_at)
        return [*self.resolved, resolved >= self.period_lo, resolved < self.period_hi]


# --- the backlog snapshot -------------------------------------------------------------------


@dataclass
class Backlog:
    total: int = 0
    overdue: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_priority: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    by_category: dict[int | None, int] = field(default_factory=dict)
    ages: list[int] = field(default_factory=lambda: [0] * len(AGE_BUCKETS))

    def metrics(self) -> Metrics:
        return {
            "backlog": self.total,
            "overdue": self.overdue,
            "overdue_rate": ratio(self.overdue, self.total),
        }


def backlog(session: Session, w: Window) -> Backlog:
    """The active tickets now, in one GROUP BY: counts per status, priority, type, category,
    age bucket, and how many are overdue."""
    overdue_expr = case(
        (and_(col(Ticket.due_at).is_not(None), col(Ticket.due_at) < w.now), 1), else_=0
    )
    snap = session.execute(
        select(
            Ticket.status,
            Ticket.priority,
            Ticket.type,
            Ticket.category_id,
            func.count(),
            func.coalesce(func.sum(overdue_expr), 0),
            *age_sums(w.now, AGE_BUCKETS),
        )
        .where(*w.active)
        .group_by(Ticket.status, Ticket.priority, Ticket.type, Ticket.category_id)
    ).all()
    b = Backlog()
    for status, priority, type_, cat, n, late, *age in snap:
        n = int(n)
        b.total += n
        b.overdue += int(late)
        b.by_status[status] = b.by_status.get(status, 0) + n
        b.by_priority[priority] = b.by_priority.get(priority, 0) + n
        b.by_type[type_] = b.by_type.get(type_, 0) + n
        b.by_category[cat] = b.by_category.get(cat, 0) + n
        for i, a in enumerate(age):
            b.ages[i] += int(a)
    return b


def by_status_chart(b: Backlog) -> Chart:
    return [
        {"name": STATUS_LABELS[TicketStatus(s)], "value": b.by_status.get(s, 0)} for s in ACTIVE
    ]


def by_priority_chart(b: Backlog) -> Chart:
    return [
        {"name": PRIORITY_LABELS[p], "value": b.by_priority.get(p.value, 0)} for p in PRIORITY_ORDER
    ]


def by_type_chart(b: Backlog) -> Chart:
    return [{"name": TYPE_LABELS[t], "value": b.by_type.get(t.value, 0)} for t in TicketType]


def backlog_age_chart(b: Backlog) -> Chart:
    return [{"name": label, "value": v} for (label, _), v in zip(AGE_BUCKETS, b.ages, strict=True)]


def by_category_chart(session: Session, b: Backlog) -> Chart:
    cat_ids = [c for c in b.by_category if c is not None]
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
        {"name": cat_names.get(c, str(c)) if c is not None else N_("No category"), "value": n}
        for c, n in b.by_category.items()
    ]
    by_category.sort(key=lambda r: (-r["value"], r["name"]))
    return by_category


# --- the period -----------------------------------------------------------------------------


def sla_met_breached(session: Session, w: Window) -> Metrics:
    """SLA met/breached, over the tickets filed in the period."""
    rates = sla.rate_counts(session, w.sla_now, w.created_in_period)
    return {
        "sla_first_met": rates.first_response.met,
        "sla_first_breached": rates.first_response.breached,
        "sla_resolution_met": rates.resolution.met,
        "sla_resolution_breached": rates.resolution.breached,
    }


def per_day(session: Session, w: Window) -> dict[int, tuple]:
    """Per local day of the period: (created, resolved, ratings, sum of scores)."""
    return daily_counts(session, days_table(w.filters, w.tz), w.scope, w.resolved)


def created_and_resolved(session: Session, w: Window, days: dict[int, tuple]) -> Metrics:
    """Created and resolved: in the period (from the per-day counts), and today."""
    created_today, resolved_today = session.execute(
        select(
            select(func.count())
            .select_from(Ticket)
            .where(
                *w.scope, col(Ticket.created_at) >= w.today_lo, col(Ticket.created_at) < w.today_hi
            )
            .scalar_subquery(),
            select(func.count())
            .select_from(Ticket)
            .where(
                *w.resolved,
                col(Ticket.resolved_at) >= w.today_lo,
                col(Ticket.resolved_at) < w.today_hi,
            )
            .scalar_subquery(),
        )
    ).one()
    return {
        "created": sum(v[0] for v in days.values()),
        "resolved": sum(v[1] for v in days.values()),
        "created_today": int(created_today),
        "resolved_today": int(resolved_today),
    }


def resolution_time(session: Session, w: Window) -> tuple[Metrics, Chart]:
    """Median and distribution of resolution time, over tickets resolved in the period."""
    conds = w.resolved_in_period
    secs = seconds_between(session, col(Ticket.resolved_at), col(Ticket.created_at))
    dist = session.execute(
        select(func.count(), *bucket_sums(secs, RESOLUTION_BUCKETS))
        .select_from(Ticket)
        .where(*conds)
    ).one()
    chart = [
        {"name": label, "value": int(v)}
        for (label, _), v in zip(RESOLUTION_BUCKETS, dist[1:], strict=True)
    ]
    return {"median_resolution": median(session, secs, conds, int(dist[0]))}, chart


def first_response(session: Session, w: Window) -> Metrics:
    """Median first response over tickets created in the period that were answered."""
    created = w.created_in_period
    answered = session.execute(
        select(
            func.count(),
            func.coalesce(
                func.sum(case((col(Ticket.first_response_at).is_not(None), 1), else_=0)), 0
            ),
        )
        .select_from(Ticket)
        .where(*created)
    ).one()
    n_answered = int(answered[1])
    conds = [*created, col(Ticket.first_response_at).is_not(None)]
    secs = seconds_between(session, col(Ticket.first_response_at), col(Ticket.created_at))
    return {
        "median_first_response": median(session, secs, conds, n_answered),
        "answered": n_answered,
        "unanswered": int(answered[0]) - n_answered,
    }


def ratings_per_day(days: dict[int, tuple]) -> dict[int, tuple[int, int]]:
    """Day index -> (ratings, sum of scores), for the days with ratings."""
    return {d: (v[2], v[3]) for d, v in days.items() if v[2]}


def satisfaction(ratings: dict[int, tuple[int, int]]) -> Metrics:
    """Ratings given in the period, and their average."""
    n_ratings = sum(n for n, _ in ratings.values())
    score_sum = sum(s for _, s in ratings.values())
    return {"ratings": n_ratings, "avg_rating": score_sum / n_ratings if n_ratings else None}


def kb_deflections(session: Session, w: Window) -> Metrics:
    """KB deflections in the period (category: the article's; no team filter; a deflection
    happens on the web: none for another channel)."""
    if w.filters.channel not in (None, TicketChannel.WEB):
        return {"deflections": 0}
    defl = select(func.count()).select_from(KbDeflection)
    if w.filters.category_id:
        defl = defl.join(KbArticle, col(KbArticle.id) == KbDeflection.article_id).where(
            KbArticle.category_id == w.filters.category_id
        )
    created = col(KbDeflection.created_at)
    defl = defl.where(created >= w.period_lo, created < w.period_hi)
    return {"deflections": int(session.execute(defl).scalar_one())}


def reopen_rate(session: Session, w: Window) -> Metrics:
    """Tickets moved to Resolved in the period, and those moved back out later.

    A ticket moved to Resolved in the period has resolved_at (its LAST such move) in or after
    the period: that bounds the tickets to look at through the covering resolved_at index.
    """
    ev, later = TicketEvent, aliased(TicketEvent)
    candidates = select(Ticket.id).where(
        *w.scope, col(Ticket.status).in_(ALL_STATUSES), col(Ticket.resolved_at) >= w.period_lo
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
            col(ev.created_at) >= w.period_lo,
            col(ev.created_at) < w.period_hi,
            col(ev.ticket_id).in_(candidates),
        )
    ).one()
    return {
        "reopened": int(n_reopened),
        "resolutions_for_reopen": int(n_res_events),
        "reopen_rate": ratio(int(n_reopened), int(n_res_events)),
    }


def workload(session: Session, w: Window) -> Chart:
    """Backlog and resolved in the period, per assignee (Unassigned last)."""
    open_by = dict(
        session.execute(
            select(Ticket.assignee_id, func.count()).where(*w.active).group_by(Ticket.assignee_id)
        ).all()
    )
    done_by = dict(
        session.execute(
            select(Ticket.assignee_id, func.count())
            .where(*w.resolved_in_period)
            .group_by(Ticket.assignee_id)
        ).all()
    )
    people = {i for i in (*open_by, *done_by) if i is not None}
    names = (
        dict(session.execute(select(User.id, User.name).where(col(User.id).in_(people))).all())
        if people
        else {}
    )
    rows = [
        {
            "name": names.get(i, str(i)) if i is not None else N_("Unassigned"),
            "open": int(open_by.get(i, 0)),
            "resolved": int(done_by.get(i, 0)),
        }
        for i in {*open_by, *done_by}
    ]
    rows.sort(key=lambda r: (r["name"] == "Unassigned", -r["open"], -r["resolved"], r["name"]))
    return rows


def daily_chart(f: Filters, days: dict[int, tuple], ratings: dict[int, tuple[int, int]]) -> Chart:
    """Per local day: created, resolved, ratings and their average."""
    rows = []
    for i in range(f.days):
        day = f.start + timedelta(days=i)
        n, s = ratings.get(i, (0, 0))
        counts = days.get(i)
        rows.append(
            {
                "day": day.isoformat(),
                "label": i18n.later_value(i18n.later_date(day)),  # "Dec 1" in the browser
                "created": counts[0] if counts else 0,
                "resolved": counts[1] if counts else 0,
                "ratings": n,
                "avg_rating": round(s / n, 2) if n else None,
            }
        )
    return rows
