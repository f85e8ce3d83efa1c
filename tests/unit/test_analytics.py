"""Analytics on a hand-built data set with known answers (SQLite and PostgreSQL).

Now is 2026-03-10 15:00 UTC; the view is the last 7 days in America/New_York (Mar 4..Mar 10
local; DST starts on Mar 8, so local midnight is 05:00 UTC before and 04:00 UTC after).

  T1 open, never answered, created Mar 10 02:00 UTC = Mar 9 22:00 local (day boundary), overdue
  T2 closed: answered after 1h, resolved after exactly 24h (Mar 6), rated 5
  T3 resolved twice: resolved Mar 4, reopened by the requester Mar 5, resolved again Mar 7
     (72h after filing); rated 2 then 4 (today)
  T4 reopened and still in progress (resolved Mar 7, reopened Mar 8)
  T5 merged into T4 (left out everywhere)
  T6 waiting since Feb 1 (backlog age > 30 days)
  T7 resolved today after 2h, answered after 5 min
  T8 new, created Mar 9 03:30 UTC = Mar 8 23:30 local, team "Support", no category
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from tests.unit.factories import make_category, make_team, make_ticket, make_user, people
from ticketapp import i18n
from ticketapp.models import (
    KbArticle,
    KbDeflection,
    Role,
    SatisfactionRating,
    Ticket,
    TicketEvent,
    User,
    utcnow,
)
from ticketapp.services import analytics, tickets
from ticketapp.services.errors import PermissionDenied, ValidationError

NY = "America/New_York"
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


class Data:
    pass


def _ticket(s: Session, n: int, requester: int, **kw) -> Ticket:
    t = Ticket(
        number=1000 + n,
        title=f"T{n}",
        requester_id=requester,
        updated_at=kw.get("created_at", NOW),
        rank=f"a{n}",
        **kw,
    )
    s.add(t)
    s.flush()
    s.add(TicketEvent(ticket_id=t.id, kind="created", created_at=t.created_at))
    return t


def _move(s: Session, t: Ticket, old: str, new: str, when: datetime) -> None:
    s.add(
        TicketEvent(
            ticket_id=t.id,
            kind="status_changed",
            field="status",
            old_value=old,
            new_value=new,
            created_at=when,
        )
    )


def _rate(s: Session, t: Ticket, no: int, score: int, when: datetime, rater: int) -> None:
    s.add(
        SatisfactionRating(
            ticket_id=t.id, resolution_no=no, rater_id=rater, score=score, created_at=when
        )
    )


@pytest.fixture
def data(session: Session) -> Data:
    p = people(session)
    bob = people(session).agent  # a second agent ("Alice Agent" and this one)
    d = Data()
    d.p, d.bob = p, bob
    d.hw = make_category(session, "Hardware")
    d.sw = make_category(session, "Software")
    d.team = make_team(session, "Support")
    r = p.requester.id
    a = p.agent.id
    d.t1 = _ticket(
        session, 1, r, status="open", created_at=at(10, 2), category_id=d.hw,
        priority="high", type="incident", due_at=at(10, 12),
    )  # fmt: skip
    d.t2 = _ticket(
        session, 2, r, status="closed", created_at=at(5, 14), first_response_at=at(5, 15),
        resolved_at=at(6, 14), closed_at=at(8, 14), resolution_count=1, assignee_id=a,
        category_id=d.hw,
    )  # fmt: skip
    _move(session, d.t2, "in_progress", "resolved", at(6, 14))
    _move(session, d.t2, "resolved", "closed", at(8, 14))
    _rate(session, d.t2, 1, 5, at(6, 16), r)
    d.t3 = _ticket(
        session, 3, r, status="resolved", created_at=at(4, 12), first_response_at=at(4, 12, 30),
        resolved_at=at(7, 12), resolution_count=2, assignee_id=bob.id, category_id=d.sw,
    )  # fmt: skip
    _move(session, d.t3, "open", "resolved", at(4, 18))
    _move(session, d.t3, "resolved", "open", at(5, 10))
    _move(session, d.t3, "open", "resolved", at(7, 12))
    _rate(session, d.t3, 1, 2, at(4, 20), r)
    _rate(session, d.t3, 2, 4, at(10, 14), r)
    d.t4 = _ticket(
        session, 4, r, status="in_progress", created_at=at(6, 10), first_response_at=at(6, 12),
        resolved_at=at(7, 10), resolution_count=1, assignee_id=a, category_id=d.sw,
        priority="urgent", type="problem",
    )  # fmt: skip
    _move(session, d.t4, "open", "resolved", at(7, 10))
    _move(session, d.t4, "resolved", "in_progress", at(8, 10))
    d.t5 = _ticket(
        session, 5, r, status="closed", created_at=at(7, 9), merged_into_id=d.t4.id,
        closed_at=at(7, 11), category_id=d.sw, assignee_id=a,
    )  # fmt: skip
    _move(session, d.t5, "open", "closed", at(7, 11))
    d.t6 = _ticket(
        session, 6, r, status="waiting", created_at=at(1, 9, month=2),
        first_response_at=at(1, 9, 10, month=2), assignee_id=bob.id, category_id=d.hw,
        priority="low", due_at=at(20, 0),
    )  # fmt: skip
    d.t7 = _ticket(
        session, 7, r, status="resolved", created_at=at(10, 12), first_response_at=at(10, 12, 5),
        resolved_at=at(10, 14), resolution_count=1, assignee_id=a, category_id=d.hw,
        priority="high", type="incident",
    )  # fmt: skip
    _move(session, d.t7, "open", "resolved", at(10, 14))
    d.t8 = _ticket(
        session, 8, r, status="new", created_at=at(9, 3, 30), team_id=d.team,
        type="feature_request",
    )  # fmt: skip
    art_hw = KbArticle(slug="hw", title="HW", body="x", category_id=d.hw, status="published")
    art_sw = KbArticle(slug="sw", title="SW", body="x", category_id=d.sw, status="published")
    session.add_all([art_hw, art_sw])
    session.flush()
    for art, when in ((art_hw, at(9, 12)), (art_sw, at(5, 1)), (art_hw, at(4, 4, 59))):
        session.add(KbDeflection(article_id=art.id, user_id=r, created_at=when))
    session.commit()
    return d


def run(session: Session, d: Data, tz: str = NY, **params) -> analytics.Dashboard:
    f = analytics.parse_filters({"period": "7", **params}, TODAY)
    return analytics.dashboard(session, d.p.manager, f, now=NOW, tz_name=tz)


def pairs(rows) -> dict:
    return {r["name"]: r["value"] for r in rows}


def test_kpis_known_answers(session: Session, data: Data):
    m = run(session, data).metrics
    assert m["backlog"] == 4  # T1, T4, T6, T8 (T5 merged, T2/T3/T7 done)
    assert m["overdue"] == 1 and m["overdue_rate"] == pytest.approx(0.25)
    assert m["created"] == 6  # T1, T2, T3, T4, T7, T8 (not T5, not T6)
    assert m["created_today"] == 1  # T7; T1 is yesterday in New York
    assert m["resolved"] == 3  # T2, T3 (once, last resolution), T7; not the reopened T4
    assert m["resolved_today"] == 1
    # 2h, 24h, 72h -> 24h
    assert m["median_resolution"] == pytest.approx(86400, abs=0.01)
    # answered after 5m, 30m, 1h, 2h -> (30m + 1h) / 2; T1 and T8 never answered
    assert m["median_first_response"] == pytest.approx(2700, abs=0.01)
    assert (m["answered"], m["unanswered"]) == (4, 2)
    assert m["ratings"] == 3 and m["avg_rating"] == pytest.approx(11 / 3)
    assert m["deflections"] == 2  # Mar 3 23:59 local is outside the period
    # resolved in period: T2, T3, T4, T7; reopened afterwards: T3, T4
    assert (m["reopened"], m["resolutions_for_reopen"]) == (2, 4)
    assert m["reopen_rate"] == pytest.approx(0.5)


def test_charts_known_answers(session: Session, data: Data):
    d = run(session, data)
    assert [(r["day"], r["created"], r["resolved"]) for r in d.daily] == [
        ("2026-03-04", 1, 0),
        ("2026-03-05", 1, 0),
        ("2026-03-06", 1, 1),
        ("2026-03-07", 0, 1),
        ("2026-03-08", 1, 0),
        ("2026-03-09", 1, 0),
        ("2026-03-10", 1, 1),
    ]
    assert [(r["day"], r["ratings"], r["avg_rating"]) for r in d.daily if r["ratings"]] == [
        ("2026-03-04", 1, 2.0),
        ("2026-03-06", 1, 5.0),
        ("2026-03-10", 1, 4.0),
    ]
    assert pairs(d.by_status) == {
        "New": 1,
        "Open": 1,
        "In progress": 1,
        "Waiting on requester": 1,
    }
    assert pairs(d.by_priority) == {"Urgent": 1, "High": 1, "Normal": 1, "Low": 1}
    assert pairs(d.by_type) == {
        "Question": 1,
        "Incident": 1,
        "Problem": 1,
        "Feature request": 1,
        "Change request": 0,
    }
    assert pairs(d.by_category) == {"Hardware": 2, "Software": 1, "No category": 1}
    # 2h -> 1-4 hours; exactly 24h -> 1-3 days; exactly 72h -> 3-7 days
    assert pairs(d.resolution_times) == {
        "Under 1 hour": 0,
        "1-4 hours": 1,
        "4-24 hours": 0,
        "1-3 days": 1,
        "3-7 days": 1,
        "Over 7 days": 0,
    }
    # T1 13h, T8 1.5d, T4 4.2d, T6 37d
    assert pairs(d.backlog_age) == {
        "Under 1 day": 1,
        "1-3 days": 1,
        "3-7 days": 1,
        "7-30 days": 0,
        "Over 30 days": 1,
    }
    work = {w["name"]: (w["open"], w["resolved"]) for w in d.workload}
    assert work == {
        "Alice Agent": (1, 2),
        data.bob.name: (1, 1),
        "Unassigned": (2, 0),
    }
    assert d.workload[-1]["name"] == "Unassigned"


def test_day_boundary_in_utc(session: Session, data: Data):
    d = run(session, data, tz="UTC")
    created = {r["day"]: r["created"] for r in d.daily}
    assert created["2026-03-08"] == 0 and created["2026-03-09"] == 1
    assert created["2026-03-10"] == 2  # T1 (02:00 UTC) and T7
    assert d.metrics["created_today"] == 2
    assert d.metrics["deflections"] == 3  # Mar 4 04:59 UTC is inside in UTC
    assert d.timezone == "UTC"


def test_filters_team_and_category(session: Session, data: Data):
    team = run(session, data, team=str(data.team)).metrics
    assert (team["backlog"], team["created"], team["resolved"]) == (1, 1, 0)
    assert team["median_first_response"] is None and team["reopen_rate"] is None
    assert team["deflections"] == 2  # no team on deflections
    hw = run(session, data, category=str(data.hw)).metrics
    assert (hw["backlog"], hw["resolved"], hw["overdue"]) == (2, 2, 1)
    assert hw["median_resolution"] == pytest.approx((7200 + 86400) / 2, abs=0.01)
    assert hw["deflections"] == 1
    assert hw["ratings"] == 1 and hw["avg_rating"] == pytest.approx(5)


def test_custom_period_and_kpi_text(session: Session, data: Data):
    d = run(session, data, period="custom", start="2026-03-06", end="2026-03-07")
    assert [r["day"] for r in d.daily] == ["2026-03-06", "2026-03-07"]
    assert d.metrics["resolved"] == 2  # T2 and T3
    assert d.metrics["created"] == 1  # T4
    texts = {k["key"]: i18n.shown(k["value"]) for k in d.kpis}
    assert texts["median_resolution"] == "2d"  # (24h + 72h) / 2
    # resolved in period: T2, T3 (again), T4; only T4 was reopened after that
    assert texts["reopen_rate"] == "33.3%"
    details = {k["key"]: i18n.shown(k["detail"]) for k in d.kpis}
    assert details["reopen_rate"] == "1 of 3 resolved tickets"
    assert details["median_resolution"] == "2 resolved in period"
    csv_text = analytics.to_csv(analytics.as_dict(d))
    assert "KPI,Median resolution time,2d," in csv_text
    assert "Created per day,2026-03-06,1" in csv_text
    # One dashboard for every viewer: each reads it in their own language.
    with i18n.using("ru"):
        texts = {k["key"]: i18n.shown(k["value"]) for k in d.kpis}
        details = {k["key"]: i18n.shown(k["detail"]) for k in d.kpis}
        csv_ru = analytics.to_csv(analytics.as_dict(d))
        day = i18n.shown(d.daily[0]["label"])
    assert texts["median_resolution"] == "2 д."
    assert texts["reopen_rate"] == "33,3%"
    assert details["reopen_rate"] == "1 из 3 решённых тикетов"
    assert details["median_resolution"] == "решено за период: 2"
    assert "KPI,Медиана времени решения,2 д.," in csv_ru
    assert day == "6 мар."


def test_empty_database(session: Session):
    p = people(session)
    session.commit()
    f = analytics.default_filters(TODAY)
    d = analytics.dashboard(session, p.manager, f, now=NOW, tz_name=NY)
    assert d.metrics["backlog"] == 0 and d.metrics["median_resolution"] is None
    assert len(d.daily) == 30 and all(r["created"] == 0 for r in d.daily)
    assert {k["key"]: k["value"] for k in d.kpis}["satisfaction"] == "—"
    with i18n.using("pl"):
        details = {k["key"]: i18n.shown(k["detail"]) for k in d.kpis}
    assert details["satisfaction"] == "0 ocen"
    assert details["median_first_response"] == "0 z odpowiedzią, 0 jeszcze nie"


def test_only_managers(session: Session):
    p = people(session)
    f = analytics.default_filters(TODAY)
    for who in (p.agent, p.requester):
        with pytest.raises(PermissionDenied):
            analytics.dashboard(session, who, f)
        with pytest.raises(PermissionDenied):
            analytics.filter_choices(session, who)


def test_parse_filters():
    f = analytics.parse_filters({}, TODAY)
    assert (f.start, f.end, f.period) == (date(2026, 2, 9), TODAY, "30")
    assert analytics.parse_filters({"period": "90"}, TODAY).days == 90
    f = analytics.parse_filters(
        {"period": "custom", "start": "2026-01-01", "end": "2026-01-31"}, TODAY
    )
    assert f.days == 31 and f.params() == {
        "period": "custom",
        "start": "2026-01-01",
        "end": "2026-01-31",
    }
    assert "_" not in f.key()
    bad = [
        ({"period": "12"}, "period"),
        ({"period": "custom", "start": "nope", "end": "2026-01-01"}, "start"),
        ({"period": "custom", "start": "2026-02-01", "end": "2026-01-01"}, "end"),
        ({"period": "custom", "start": "2026-03-01", "end": "2026-03-11"}, "end"),
        ({"period": "custom", "start": "2024-01-01", "end": "2026-01-01"}, "start"),
        ({"team": "x"}, "team"),
        ({"category": "-3"}, "category"),
    ]
    for params, field in bad:
        with pytest.raises(ValidationError) as err:
            analytics.parse_filters(params, TODAY)
        assert err.value.field == field


def test_through_the_services(session: Session):
    """The real lifecycle feeds the same numbers: internal notes are not a first response,
    a requester's reply reopens, the last resolution counts once, ratings count."""
    p = people(session)
    ref = make_ticket(session, p.requester)
    tickets.add_comment(session, p.agent, ref.id, "looking", internal=True)
    session.commit()
    f = analytics.parse_filters({"period": "7"}, analytics.local_today(analytics.zone("UTC")))
    m = analytics.dashboard(session, p.manager, f, tz_name="UTC").metrics
    assert (m["created"], m["answered"], m["unanswered"], m["backlog"]) == (1, 0, 1, 1)
    tickets.add_comment(session, p.agent, ref.id, "Try turning it off.")
    t = session.get(Ticket, ref.id)
    tickets.update_fields(session, p.agent, ref.id, t.version, status="resolved")
    session.commit()
    tickets.add_comment(session, p.requester, ref.id, "Still broken")  # reopens
    session.commit()
    t = session.get(Ticket, ref.id)
    session.refresh(t)
    tickets.update_fields(session, p.agent, ref.id, t.version, status="resolved")
    tickets.rate(session, p.requester, ref.id, 4)
    session.commit()
    m = analytics.dashboard(session, p.manager, f, tz_name="UTC").metrics
    assert (m["answered"], m["unanswered"]) == (1, 0)
    assert (m["resolved"], m["resolved_today"], m["backlog"]) == (1, 1, 0)
    assert (m["reopened"], m["resolutions_for_reopen"]) == (1, 1)
    assert m["ratings"] == 1 and m["avg_rating"] == 4
    assert m["median_resolution"] is not None and m["median_resolution"] >= 0
    assert utcnow() - t.created_at < timedelta(minutes=5)


def test_live_pushes_only_to_active_managers(session: Session):
    """The live feed computes without an actor; it asks which registered tabs' users are
    active managers right now (a demoted or deactivated manager's open tab gets nothing)."""
    p = people(session)
    demoted = make_user(session, Role.MANAGER, "Dora Demoted")
    gone = make_user(session, Role.MANAGER, "Gus Gone")
    session.commit()
    everyone = {p.manager.id, demoted.id, gone.id, p.agent.id, p.requester.id, 10_000_000}
    assert analytics.active_managers(session, everyone) == {p.manager.id, demoted.id, gone.id}
    session.get(User, demoted.id).role = Role.AGENT  # type: ignore[union-attr]
    session.get(User, gone.id).is_active = False  # type: ignore[union-attr]
    session.commit()
    assert analytics.active_managers(session, everyone) == {p.manager.id}
    assert analytics.active_managers(session, set()) == set()


def test_viewer_registry_bounds():
    """Views (filter sets) not opened for VIEW_TTL, and all but the MAX_VIEWS most recently
    opened ones, leave the registry with all their tabs; a view stays while any tab of it is
    recent."""
    from ticketapp.pages.analytics.viewers import MAX_VIEWS, VIEW_TTL, _bounded

    now = 1_000_000_000.0
    ttl = VIEW_TTL.total_seconds()

    def tab(key: str, age: float) -> dict:
        return {"key": key, "params": {}, "user": 1, "seen": now - age}

    viewers = {
        "old": tab("k-old", ttl + 1),
        "a1": tab("k-a", ttl + 1),  # old, but its view was reopened by a2
        "a2": tab("k-a", 5),
        **{f"v{i}": tab(f"k{i}", 100 + i) for i in range(MAX_VIEWS)},
    }
    kept = _bounded(viewers, now)
    assert "old" not in kept
    assert {"a1", "a2"} <= kept.keys()
    keys = {v["key"] for v in kept.values()}
    assert len(keys) == MAX_VIEWS
    assert f"k{MAX_VIEWS - 1}" not in keys  # the least recently opened view
    assert f"v{MAX_VIEWS - 1}" not in kept


def test_sla_met_and_breached_cards(session: Session):
    """Four tickets with an SLA filed in the period, one before it (left out):
    first response: S1 answered in time, S2 answered late, S3 unanswered past due -> 1 met, 2
    breached; S4 unanswered but not yet due -> undecided. Resolution: S1 resolved in time, S2
    resolved late -> 1 met, 1 breached; S3 and S4 open, not yet due -> undecided."""
    p = people(session)
    r = p.requester.id

    def sla_ticket(n, created, fr_due, fr_at, due, status="open", resolved=None):
        return _ticket(
            session, n, r, status=status, created_at=created, sla_policy_id=1,
            first_response_due_at=fr_due, first_response_at=fr_at, due_at=due,
            resolved_at=resolved,
        )  # fmt: skip

    sla_ticket(1, at(9, 9), at(9, 10), at(9, 9, 30), at(9, 17), "resolved", at(9, 16))
    sla_ticket(2, at(9, 9), at(9, 10), at(9, 11), at(9, 17), "resolved", at(9, 18))
    sla_ticket(3, at(10, 9), at(10, 10), None, at(10, 20))
    sla_ticket(4, at(10, 14), at(10, 16), None, at(10, 22))
    sla_ticket(5, at(1, 9, month=2), at(1, 10, month=2), None, at(1, 17, month=2))  # too old
    session.commit()
    d = analytics.dashboard(
        session, p.manager, analytics.default_filters(TODAY), now=NOW, tz_name=NY
    )
    m = d.metrics
    assert (m["sla_first_met"], m["sla_first_breached"]) == (1, 2)
    assert (m["sla_resolution_met"], m["sla_resolution_breached"]) == (1, 1)
    cards = {k["key"]: (i18n.shown(k["value"]), i18n.shown(k["detail"])) for k in d.kpis}
    assert cards["sla_first"] == ("33.3%", "1 met, 2 breached")
    assert cards["sla_resolution"] == ("50.0%", "1 met, 1 breached")


def test_the_pushed_dashboard_is_the_same_in_every_language(session: Session, data: Data):
    """The live refresh computes one dashboard per filter set, in no viewer's event, and
    pushes it to viewers of every language: it must not depend on the computing locale."""
    with i18n.using("en"):
        english = analytics.as_dict(run(session, data))
    with i18n.using("ru"):
        russian = analytics.as_dict(run(session, data))
    assert russian == english
    texts = [k["detail"] for k in english["kpis"]] + [r["label"] for r in english["daily"]]
    assert any(t.startswith(i18n.LATER_PREFIX) for t in texts)  # translated by each browser


def test_filter_by_channel(session: Session, data: Data):
    """T7 came by e-mail, T1 from monitoring; the rest on the web. Deflections are web-only."""
    for t, channel in ((data.t7, "email"), (data.t1, "monitoring")):
        row = session.get(Ticket, t.id)
        row.channel = channel
        session.add(row)
    session.commit()
    email = run(session, data, channel="email").metrics
    assert (email["created"], email["resolved"], email["backlog"]) == (1, 1, 0)
    assert email["median_resolution"] == pytest.approx(7200, abs=0.01)
    assert email["deflections"] == 0
    monitoring = run(session, data, channel="monitoring").metrics
    assert (monitoring["created"], monitoring["backlog"], monitoring["overdue"]) == (1, 1, 1)
    web = run(session, data, channel="web").metrics
    assert (web["created"], web["resolved"], web["backlog"]) == (4, 2, 3)
    assert web["deflections"] == 2
    f = analytics.parse_filters({"period": "7", "channel": "email"}, TODAY)
    assert f.params() == {"period": "7", "channel": "email"} and "email" in f.key()
    with pytest.raises(ValidationError) as err:
        analytics.parse_filters({"channel": "fax"}, TODAY)
    assert err.value.field == "channel"
    assert analytics.parse_filters({"channel": "any"}, TODAY).channel is None


def test_csv_names_its_filters():
    text = analytics.to_csv({"filters": [("channel", "E-mail"), ("team", "Support")]})
    assert "filter,channel,E-mail," in text and "filter,team,Support," in text
