"""The dashboard: `dashboard` for a manager, and `compute`, which composes the KPIs and charts of
kpis.py into a Dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from ticketapp import clock
from ticketapp.models import Role, User, utcnow
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.analytics import kpis
from ticketapp.services.analytics.cards import kpi_cards
from ticketapp.services.analytics.filters import Filters, local_today, zone


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
    sla_now = now or clock.now()
    now = now or utcnow()
    w = kpis.Window.of(f, tz, now, sla_now, local_today(tz, now))
    backlog = kpis.backlog(session, w)
    metrics = backlog.metrics()
    metrics.update(kpis.sla_met_breached(session, w))
    days = kpis.per_day(session, w)
    metrics.update(kpis.created_and_resolved(session, w, days))
    resolution, resolution_chart = kpis.resolution_time(session, w)
    metrics.update(resolution)
    metrics.update(kpis.first_response(session, w))
    ratings = kpis.ratings_per_day(days)
    metrics.update(kpis.satisfaction(ratings))
    metrics.update(kpis.kb_deflections(session, w))
    metrics.update(kpis.reopen_rate(session, w))
    workload = kpis.workload(session, w)
    return Dashboard(
        metrics=metrics,
        kpis=kpi_cards(metrics),
        daily=kpis.daily_chart(f, days, ratings),
        by_status=kpis.by_status_chart(backlog),
        by_priority=kpis.by_priority_chart(backlog),
        by_category=kpis.by_category_chart(session, backlog),
        by_type=kpis.by_type_chart(backlog),
        resolution_times=resolution_chart,
        backlog_age=kpis.backlog_age_chart(backlog),
        workload=workload,
        timezone=tz.key,
        start=f.start.isoformat(),
        end=f.end.isoformat(),
        computed_at=now.astimezone(tz).strftime("%H:%M:%S"),
    )


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
