"""SLA clock, business hours, escalation and the scheduler lock, against real databases."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from tests.servers import redis_db
from tests.unit.factories import make_team, make_ticket, make_user, people
from ticketapp import clock, i18n
from ticketapp.models import (
    BusinessCalendar,
    EscalationFiring,
    Role,
    SlaClockEvent,
    SlaPolicy,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from ticketapp.services import escalation, scheduler, sla, tickets
from ticketapp.services.errors import PermissionDenied, ValidationError
from ticketapp.services.sla import Calendar, add_working, working_seconds

BERLIN = "Europe/Berlin"
NY = "America/New_York"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.fixture(autouse=True)
def _reset_clock():
    clock.reset()
    yield
    clock.reset()


# --- business-hours arithmetic (pure) --------------------------------------------------------

WEEK = Calendar(time_zone=BERLIN, start_hour=9, end_hour=17)


def test_working_time_within_a_day():
    a = local(BERLIN, 2026, 3, 2, 10)  # Monday
    assert working_seconds(WEEK, a, a + timedelta(hours=3)) == 3 * 3600
    assert add_working(WEEK, a, 3 * 3600) == a + timedelta(hours=3)


def test_across_the_night():
    # Monday 16:00 + 2 working hours = Tuesday 10:00.
    start = local(BERLIN, 2026, 3, 2, 16)
    due = add_working(WEEK, start, 2 * 3600)
    assert due == local(BERLIN, 2026, 3, 3, 10)
    assert working_seconds(WEEK, start, due) == 2 * 3600


def test_before_opening_starts_at_opening():
    start = local(BERLIN, 2026, 3, 2, 6)
    assert add_working(WEEK, start, 3600) == local(BERLIN, 2026, 3, 2, 10)


def test_across_the_weekend():
    # Friday 16:30 + 1 h = Monday 09:30.
    start = local(BERLIN, 2026, 3, 6, 16, 30)
    assert add_working(WEEK, start, 3600) == local(BERLIN, 2026, 3, 9, 9, 30)
    # A full weekend holds no working time.
    assert working_seconds(WEEK, local(BERLIN, 2026, 3, 7, 0), local(BERLIN, 2026, 3, 9, 0)) == 0


def test_holidays_are_skipped():
    cal = Calendar(time_zone=BERLIN, holidays=frozenset({date(2026, 3, 3)}))
    start = local(BERLIN, 2026, 3, 2, 16)
    assert add_working(cal, start, 2 * 3600) == local(BERLIN, 2026, 3, 4, 10)


def test_dst_spring_forward_keeps_local_hours():
    # Europe/Berlin switches to summer time on Sunday 2026-03-29.
    fri = local(BERLIN, 2026, 3, 27, 16)  # UTC+1
    due = add_working(WEEK, fri, 2 * 3600)
    assert due == local(BERLIN, 2026, 3, 30, 10)  # Monday 10:00 local, now UTC+2
    assert due.astimezone(UTC) == utc(2026, 3, 30, 8)
    # Local business day windows keep 8 working hours either side of the change.
    assert (
        working_seconds(WEEK, fri - timedelta(hours=7), local(BERLIN, 2026, 3, 30, 17)) == 16 * 3600
    )


def test_dst_fall_back_in_new_york():
    cal = Calendar(time_zone=NY, start_hour=9, end_hour=17)
    fri = local(NY, 2026, 10, 30, 16)  # EDT; DST ends Sunday 2026-11-01
    due = add_working(cal, fri, 2 * 3600)
    assert due == local(NY, 2026, 11, 2, 10)
    assert due.astimezone(UTC) == utc(2026, 11, 2, 15)  # EST = UTC-5


def test_calendar_hours_are_plain_time():
    start = utc(2026, 3, 7, 23)  # a Saturday night
    assert add_working(None, start, 3600) == utc(2026, 3, 8, 0)
    assert working_seconds(None, start, utc(2026, 3, 8, 1)) == 7200


def test_due_after_skips_pauses():
    start = local(BERLIN, 2026, 3, 2, 9)
    # Target 4 h; paused 10:00-14:00 (4 working hours), so due 17:00 instead of 13:00.
    pauses = [(local(BERLIN, 2026, 3, 2, 10), local(BERLIN, 2026, 3, 2, 14))]
    assert sla.due_after(WEEK, start, 240, pauses) == local(BERLIN, 2026, 3, 2, 17)
    # A pause after the due date changes nothing.
    late = [(local(BERLIN, 2026, 3, 2, 15), local(BERLIN, 2026, 3, 2, 16))]
    assert sla.due_after(WEEK, start, 240, late) == local(BERLIN, 2026, 3, 2, 13)


# --- the clock through the ticket services ---------------------------------------------------


def _policy(session: Session, priority: str, fr: int, res: int, business: bool = False, **kw):
    policy = SlaPolicy(
        name=f"{priority} policy",
        priority=priority,
        first_response_minutes=fr,
        resolution_minutes=res,
        business_hours=business,
        **kw,
    )
    session.add(policy)
    session.flush()
    return policy


def _kinds(session: Session, ticket_id: int) -> list[str]:
    rows = session.exec(
        select(SlaClockEvent)
        .where(SlaClockEvent.ticket_id == ticket_id)
        .order_by(SlaClockEvent.at, SlaClockEvent.id)
    ).all()
    return [r.kind for r in rows]


def _fresh(session: Session, ticket_id: int) -> Ticket:
    session.expire_all()
    t = session.get(Ticket, ticket_id)
    assert t is not None
    return t


def test_creation_starts_the_clock_and_sets_due_dates(session):
    p = people(session)
    _policy(session, "urgent", 60, 240)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    ref = make_ticket(session, p.requester, impact="urgent")
    t = _fresh(session, ref.id)
    assert _kinds(session, ref.id) == ["start"]
    assert sla._utc(t.first_response_due_at) == t0 + timedelta(hours=1)
    assert sla._utc(t.due_at) == t0 + timedelta(hours=4)
    state = sla.sla_states(session, [t], t0 + timedelta(minutes=30))[ref.id]
    assert (state.state, state.target, state.label) == ("ok", "first_response", "30m to respond")
    state = sla.sla_states(session, [t], t0 + timedelta(minutes=50))[ref.id]
    assert state.state == "warning"  # last 25 % of the hour
    state = sla.sla_states(session, [t], t0 + timedelta(minutes=75))[ref.id]
    assert (state.state, state.label) == ("breached", "Breached 15m ago")


def test_badges_and_the_clock_log_read_in_the_viewers_language(session):
    p = people(session)
    _policy(session, "urgent", 60, 240)
    _policy(session, "high", 120, 480)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    ref = make_ticket(session, p.requester, impact="urgent")
    tickets.update_fields(session, p.agent, ref.id, None, priority="high")
    t = _fresh(session, ref.id)
    with i18n.using("ru"):
        state = sla.sla_states(session, [t], t0 + timedelta(minutes=30))[ref.id]
        assert state.label == "1 ч 30 мин на ответ"  # the high policy: 2 h
        state = sla.sla_states(session, [t], t0 + timedelta(minutes=75 + 24 * 60))[ref.id]
        assert state.label.startswith("Нарушен")
        view = sla.clock_view(session, p.agent, ref.id)
    assert [e.label for e in view.events] == ["Отсчёт запущен", "Цели пересчитаны"]
    start_detail, recomputed_detail = (e.detail for e in view.events)
    assert start_detail.startswith("urgent policy: ")  # the name stays as written
    assert "первый ответ 1 ч, решение 4 ч" in start_detail
    assert recomputed_detail.startswith("Приоритет изменён: ")
    with i18n.using("pl"):
        view = sla.clock_view(session, p.agent, ref.id)
    assert "pierwsza odpowiedź 1 h" in view.events[0].detail
    row = session.exec(select(SlaClockEvent).where(SlaClockEvent.ticket_id == ref.id)).first()
    assert row is not None and row.detail.startswith(i18n.LATER_PREFIX)  # stored neutral


def test_a_legacy_english_log_detail_is_shown_as_written(session):
    p = people(session)
    ref = make_ticket(session, p.requester, impact="low")
    session.add(
        SlaClockEvent(ticket_id=ref.id, kind="pause", at=utc(2026, 3, 2), detail="Old text")
    )
    session.flush()
    with i18n.using("ru"):
        view = sla.clock_view(session, p.agent, ref.id)
    assert "Old text" in [e.detail for e in view.events]


def test_no_policy_means_no_clock_state(session):
    p = people(session)
    ref = make_ticket(session, p.requester, impact="low")
    t = _fresh(session, ref.id)
    assert t.due_at is None
    assert sla.sla_states(session, [t]) == {}


def test_pause_while_waiting_and_resume_on_requester_reply(session):
    p = people(session)
    _policy(session, "normal", 60, 240)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    ref = make_ticket(session, p.requester)
    clock.set_now(t0 + timedelta(minutes=30))
    tickets.add_comment(session, p.agent, ref.id, "Which printer?")
    clock.set_now(t0 + timedelta(minutes=40))
    tickets.update_fields(session, p.agent, ref.id, None, status=TicketStatus.WAITING)
    t = _fresh(session, ref.id)
    assert t.sla_paused_at is not None
    # 3 hours later the remaining time is still frozen at 200 minutes.
    state = sla.sla_states(session, [t], t0 + timedelta(hours=3))[ref.id]
    assert (state.state, state.target) == ("paused", "resolution")
    assert state.remaining_seconds == 200 * 60
    clock.set_now(t0 + timedelta(hours=3))
    tickets.add_comment(session, p.requester, ref.id, "The one on floor 2.")
    t = _fresh(session, ref.id)
    assert t.status == TicketStatus.OPEN and t.sla_paused_at is None
    # Paused 2h20m, so due moves from 13:00 to 15:20.
    assert sla._utc(t.due_at) == t0 + timedelta(hours=6, minutes=20)
    assert _kinds(session, ref.id) == ["start", "first_response_met", "pause", "resume"]


def test_first_response_only_by_public_agent_reply(session):
    p = people(session)
    _policy(session, "normal", 60, 240)
    clock.set_now(utc(2026, 3, 2, 9))
    ref = make_ticket(session, p.requester)
    tickets.add_comment(session, p.agent, ref.id, "note", internal=True)
    tickets.add_comment(session, p.requester, ref.id, "any news?")
    assert "first_response_met" not in _kinds(session, ref.id)
    tickets.add_comment(session, p.agent, ref.id, "On it.")
    tickets.add_comment(session, p.agent, ref.id, "Still on it.")
    assert _kinds(session, ref.id).count("first_response_met") == 1
    state = sla.sla_states(session, [_fresh(session, ref.id)])[ref.id]
    assert state.target == "resolution"


def test_priority_change_recomputes_from_creation_with_pauses_kept(session):
    p = people(session)
    _policy(session, "normal", 240, 24 * 60)
    _policy(session, "urgent", 60, 240)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    ref = make_ticket(session, p.requester)
    clock.set_now(t0 + timedelta(minutes=10))
    tickets.update_fields(session, p.agent, ref.id, None, status=TicketStatus.WAITING)
    clock.set_now(t0 + timedelta(minutes=70))
    tickets.update_fields(session, p.agent, ref.id, None, status=TicketStatus.OPEN)
    clock.set_now(t0 + timedelta(minutes=90))
    tickets.update_fields(session, p.agent, ref.id, None, priority="urgent")
    t = _fresh(session, ref.id)
    # Urgent targets from 09:00 plus the hour paused: 11:00 and 14:00, not counted from the change.
    assert sla._utc(t.first_response_due_at) == t0 + timedelta(hours=2)
    assert sla._utc(t.due_at) == t0 + timedelta(hours=5)
    assert _kinds(session, ref.id)[-1] == "recomputed"


def test_resolve_stops_and_reopen_resumes(session):
    p = people(session)
    _policy(session, "normal", 60, 240)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    ref = make_ticket(session, p.requester)
    tickets.add_comment(session, p.agent, ref.id, "Fixed.")
    clock.set_now(t0 + timedelta(hours=1))
    tickets.update_fields(session, p.agent, ref.id, None, status=TicketStatus.RESOLVED)
    t = _fresh(session, ref.id)
    assert sla.sla_states(session, [t], t0 + timedelta(days=3))[ref.id].state == "met"
    clock.set_now(t0 + timedelta(hours=2))
    tickets.add_comment(session, p.requester, ref.id, "Broken again.")
    t = _fresh(session, ref.id)
    assert t.status == TicketStatus.OPEN
    assert sla._utc(t.due_at) == t0 + timedelta(hours=5)
    assert _kinds(session, ref.id)[-2:] == ["resolved", "resume"]


def test_business_hours_policy_with_calendar(session):
    p = people(session)
    cal = BusinessCalendar(name="Berlin", time_zone=BERLIN, holidays=["2026-03-03"])
    session.add(cal)
    session.flush()
    _policy(session, "high", 60, 8 * 60, business=True, calendar_id=cal.id)
    clock.set_now(local(BERLIN, 2026, 3, 2, 16, 30))  # Monday 16:30; Tuesday is a holiday
    ref = make_ticket(session, p.requester, impact="high")
    t = _fresh(session, ref.id)
    assert sla._utc(t.first_response_due_at) == local(BERLIN, 2026, 3, 4, 9, 30)
    assert sla._utc(t.due_at) == local(BERLIN, 2026, 3, 4, 16, 30)
    # Over the holiday night nothing elapses.
    s = sla.sla_states(session, [t], local(BERLIN, 2026, 3, 3, 23))[ref.id]
    assert s.remaining_seconds == 30 * 60
    # Past the due date at night: no working time passes, yet "ago" is wall-clock time.
    tickets.add_comment(session, p.agent, ref.id, "Hello")
    s = sla.sla_states(session, [_fresh(session, ref.id)], local(BERLIN, 2026, 3, 4, 19, 30))
    assert (s[ref.id].state, s[ref.id].label) == ("breached", "Breached 3h ago")
    assert s[ref.id].remaining_seconds == -30 * 60  # only 16:30-17:00 was working time


def test_bulk_states_use_a_fixed_number_of_queries(session, engine):
    from sqlalchemy import event

    p = people(session)
    _policy(session, "normal", 60, 240, business=True)
    refs = [make_ticket(session, p.requester, title=f"T{i}") for i in range(30)]
    rows = session.exec(select(Ticket)).all()
    count = 0

    def before(*_a, **_k):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        states = sla.sla_states(session, rows)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert len(states) == len(refs)
    assert count <= 2


# --- policy admin ----------------------------------------------------------------------------


def test_policy_crud_is_for_managers_and_validates(session):
    p = people(session)
    data = {
        "name": "Urgent",
        "priority": "urgent",
        "first_response_minutes": "60",
        "resolution_minutes": "240",
        "business_hours": True,
    }
    with pytest.raises(PermissionDenied):
        sla.save_policy(session, p.agent, None, data)
    errors = sla.policy_errors(session, {**data, "name": "", "resolution_minutes": "x"})
    assert set(errors) == {"name", "resolution_minutes"}
    errors = sla.policy_errors(session, {**data, "first_response_minutes": "500"})
    assert "first_response_minutes" in errors
    with pytest.raises(ValidationError):
        sla.save_policy(session, p.manager, None, {**data, "priority": "whenever"})
    clock.set_now(utc(2026, 3, 2, 9))
    ref = make_ticket(session, p.requester, impact="urgent")
    pid = sla.save_policy(session, p.manager, None, {**data, "business_hours": False})
    t = _fresh(session, ref.id)
    assert t.sla_policy_id == pid  # open tickets pick the new policy up
    assert sla._utc(t.due_at) == utc(2026, 3, 2, 13)
    sla.save_policy(session, p.manager, pid, {**data, "resolution_minutes": "120"})
    assert sla._utc(_fresh(session, ref.id).due_at) == utc(2026, 3, 2, 11)
    assert [r.name for r in sla.list_policies(session, p.manager)] == ["Urgent"]
    sla.delete_policy(session, p.manager, pid)
    assert _fresh(session, ref.id).due_at is None


def test_calendar_validation(session):
    p = people(session)
    bad = {
        "name": "",
        "time_zone": "Mars/Olympus",
        "working_days": [],
        "start_hour": 18,
        "end_hour": 9,
        "holidays": "2026-13-01",
    }
    assert set(sla.calendar_errors(bad)) == {
        "name",
        "time_zone",
        "working_days",
        "end_hour",
        "holidays",
    }
    cid = sla.save_calendar(
        session,
        p.manager,
        None,
        {
            "name": "Berlin",
            "time_zone": BERLIN,
            "working_days": [0, 1, 2, 3, 4],
            "start_hour": 8,
            "end_hour": 16,
            "holidays": "2026-12-25\n2026-12-24",
        },
    )
    (row,) = sla.list_calendars(session, p.manager)
    assert row.id == cid and row.holidays == ["2026-12-24", "2026-12-25"]
    sla.delete_calendar(session, p.manager, cid)
    assert sla.list_calendars(session, p.manager) == []


# --- escalation ------------------------------------------------------------------------------


def _rule(session: Session, **kw) -> int:
    from ticketapp.models import EscalationRule

    values = {"name": "Breach escalation", "target": "resolution", "threshold_percent": 100}
    values.update(kw)
    rule = EscalationRule(**values)
    session.add(rule)
    session.flush()
    assert rule.id is not None
    return rule.id


def _escalations(session: Session, ticket_id: int) -> list[tuple[str, str]]:
    rows = session.exec(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "escalated")
        .order_by(TicketEvent.id)
    ).all()
    # What the rule did is stored language-neutral (i18n.later), read here in English.
    return [(r.old_value or "", i18n.shown(r.new_value)) for r in rows]


def test_escalation_fires_exactly_once_per_rule_ticket_and_target(session, engine):
    p = people(session)
    team = make_team(session, "Infra")
    boss = make_user(session, Role.MANAGER, "Team Boss")
    from ticketapp.models import TeamMember

    session.add(TeamMember(team_id=team, user_id=boss.id))
    _policy(session, "normal", 60, 240)
    _policy(session, "high", 30, 120)
    warn = _rule(session, name="Warn at 75%", threshold_percent=75, notify_assignee=True)
    breach = _rule(
        session,
        name="Breach: raise and reassign",
        raise_priority=True,
        notify_team_managers=True,
        reassign_team_id=team,
    )
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    ref = make_ticket(session, p.requester)
    tickets.add_comment(session, p.agent, ref.id, "Looking.")
    tickets.assign_to_me(session, p.agent, ref.id)
    session.commit()

    assert escalation.run(session, t0 + timedelta(hours=2)).firings == 0
    version_before_warning = _fresh(session, ref.id).version
    r = escalation.run(session, t0 + timedelta(hours=3, minutes=5))
    assert (r.firings, r.ticket_ids) == (1, (ref.id,))
    assert _escalations(session, ref.id) == [
        ("Warn at 75%", "Notified the assignee (resolution target 75 % used)")
    ]
    with i18n.using("ru"):
        view = tickets.get_ticket_view(session, p.agent, ref.number)
    assert "Исполнитель уведомлён (израсходовано 75 % срока решения)" in [
        e.new_value for e in view.history if e.kind == "escalated"
    ]
    session.commit()
    # A notification alone leaves the ticket row (and its version) alone: an agent editing it
    # right now gets no conflict from the scheduler.
    assert _fresh(session, ref.id).version == version_before_warning
    again = escalation.run(session, t0 + timedelta(hours=3, minutes=30))
    assert again.firings == 0
    r = escalation.run(session, t0 + timedelta(hours=4, minutes=1))
    assert r.firings == 1 and r.breaches == 1
    session.commit()
    t = _fresh(session, ref.id)
    assert t.priority == "high" and t.team_id == team
    names = [name for name, _ in _escalations(session, ref.id)]
    assert names.count("Breach: raise and reassign") == 3  # three actions, one rule
    assert "Notified 2 managers (resolution target breached)" in [
        w for _, w in _escalations(session, ref.id)
    ]
    # Raising the priority recomputed the targets (high: 2 h from creation: still breached),
    # yet the rule does not fire again, not even in a new session after a "restart".
    session.commit()
    with Session(engine) as fresh:
        for minutes in (5, 60, 600):
            assert escalation.run(fresh, t0 + timedelta(hours=4, minutes=minutes)).firings == 0
        fresh.commit()
    firings = session.exec(select(EscalationFiring)).all()
    assert sorted((f.rule_id, f.target) for f in firings) == sorted(
        [(warn, "resolution"), (breach, "resolution")]
    )
    assert _kinds(session, ref.id).count("breached") == 1


def test_first_response_rules_stop_once_answered(session):
    p = people(session)
    _policy(session, "urgent", 60, 240)
    _rule(session, name="No answer", target="first_response", notify_team_managers=True)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    answered = make_ticket(session, p.requester, impact="urgent", title="answered")
    silent = make_ticket(session, p.requester, impact="urgent", title="silent")
    tickets.add_comment(session, p.agent, answered.id, "Hi!")
    r = escalation.run(session, t0 + timedelta(minutes=61))
    assert r.ticket_ids == (silent.id,)
    assert _escalations(session, answered.id) == []
    assert _escalations(session, silent.id)[0][0] == "No answer"


def test_paused_ticket_does_not_escalate(session):
    p = people(session)
    _policy(session, "normal", 60, 240)
    _rule(session, notify_team_managers=True)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    ref = make_ticket(session, p.requester)
    tickets.add_comment(session, p.agent, ref.id, "Need details.")
    tickets.update_fields(session, p.agent, ref.id, None, status=TicketStatus.WAITING)
    assert escalation.run(session, t0 + timedelta(days=2)).firings == 0


def test_rule_admin_validates_and_is_for_managers(session):
    p = people(session)
    data = {"name": "R", "target": "resolution", "threshold_percent": "80", "raise_priority": True}
    with pytest.raises(PermissionDenied):
        escalation.save_rule(session, p.agent, None, data)
    errors = escalation.rule_errors(
        session,
        {"name": "", "target": "x", "threshold_percent": "0", "reassign_user_id": p.requester.id},
    )
    assert set(errors) == {"name", "target", "threshold_percent", "reassign_user_id"}
    assert "actions" in escalation.rule_errors(session, {**data, "raise_priority": False})
    rid = escalation.save_rule(session, p.manager, None, data)
    escalation.save_rule(session, p.manager, rid, {**data, "threshold_percent": "100"})
    (row,) = escalation.list_rules(session, p.manager)
    assert row.summary == "When the resolution target is breached: raise priority"
    with i18n.using("pl"):
        (row_pl,) = escalation.list_rules(session, p.manager)
    assert row_pl.summary == "Gdy termin rozwiązania zostanie przekroczony: podnieść priorytet"
    escalation.delete_rule(session, p.manager, rid)
    assert escalation.list_rules(session, p.manager) == []


# --- scheduler ------------------------------------------------------------------------------


def _breached_ticket(session: Session) -> int:
    p = people(session)
    _policy(session, "normal", 60, 240)
    _rule(session, notify_team_managers=True)
    clock.set_now(utc(2026, 3, 2, 9))
    ref = make_ticket(session, p.requester)
    session.commit()
    return ref.id


def test_scheduler_lock_lets_one_of_two_workers_run(session, engine):
    ticket_id = _breached_ticket(session)
    later = utc(2026, 3, 3, 9)
    url = engine.url.render_as_string(hide_password=False)
    engines = [sla_engine(url) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def worker(i: int) -> None:
        barrier.wait()
        results[i] = scheduler.run_once(
            engines[i], later, holder=f"worker-{i}", redis_url="", keep_lease=timedelta(minutes=1)
        )

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    assert sorted(r.ran for r in results) == [False, True]
    assert sum(r.escalation.firings for r in results) == 1
    # The lease is held: the loser stays idle on the next tick, the holder renews.
    assert not scheduler.acquire_db_lock(engine, "worker-x", timedelta(minutes=1))
    winner = "worker-0" if results[0].ran else "worker-1"
    assert scheduler.acquire_db_lock(engine, winner, timedelta(minutes=1))
    scheduler.release_db_lock(engine, winner)
    assert scheduler.acquire_db_lock(engine, "worker-x", timedelta(minutes=1))
    assert len(_escalations(session, ticket_id)) == 1


def test_two_workers_without_lock_still_fire_once(session, engine):
    """Even if both workers run the jobs at once (lost lease), the unique key wins."""
    ticket_id = _breached_ticket(session)
    later = utc(2026, 3, 3, 9)
    url = engine.url.render_as_string(hide_password=False)
    engines = [sla_engine(url) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list = []

    def worker(i: int) -> None:
        barrier.wait()
        try:
            outcomes.append(scheduler.run_jobs(engines[i], later).firings)
        except Exception as exc:  # the loser may see the unique violation at commit
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    assert outcomes.count(1) == 1
    session.expire_all()
    assert len(_escalations(session, ticket_id)) == 1
    session.commit()  # end the read transaction (SQLite: one writer at a time)
    # A "restarted" worker finds nothing left to do.
    assert (
        scheduler.run_once(engine, later + timedelta(hours=1), redis_url="").escalation.firings == 0
    )


def test_redis_lock_is_exclusive_and_renewable(redis_server_url):
    url = redis_db(redis_server_url, 0)
    key = f"ticketapp:test:{threading.get_ident()}:{datetime.now().timestamp()}"
    ttl = timedelta(seconds=30)
    assert scheduler.acquire_redis_lock(url, "a", ttl, key)
    assert not scheduler.acquire_redis_lock(url, "b", ttl, key)
    assert scheduler.acquire_redis_lock(url, "a", ttl, key)  # renew
    scheduler.release_redis_lock(url, "b", key)  # not the holder: no effect
    assert not scheduler.acquire_redis_lock(url, "b", ttl, key)
    scheduler.release_redis_lock(url, "a", key)
    assert scheduler.acquire_redis_lock(url, "b", ttl, key)
    scheduler.release_redis_lock(url, "b", key)


def test_redis_lease_lets_one_of_two_workers_run(session, engine, redis_server_url):
    ticket_id = _breached_ticket(session)
    later = utc(2026, 3, 3, 9)
    url = engine.url.render_as_string(hide_password=False)
    engines = [sla_engine(url) for _ in range(2)]
    redis_url = redis_db(redis_server_url, 0)
    key = f"ticketapp:test-lease:{uuid.uuid4().hex}"
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def worker(i: int) -> None:
        barrier.wait()
        results[i] = scheduler.run_once(
            engines[i],
            later,
            holder=f"worker-{i}",
            redis_url=redis_url,
            redis_key=key,
            keep_lease=timedelta(seconds=30),
        )

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    assert sorted(r.ran for r in results) == [False, True]
    assert sum(r.escalation.firings for r in results) == 1
    winner = "worker-0" if results[0].ran else "worker-1"
    assert not scheduler.acquire_redis_lock(redis_url, "worker-x", timedelta(seconds=30), key)
    scheduler.release_redis_lock(redis_url, winner, key)
    session.expire_all()
    assert len(_escalations(session, ticket_id)) == 1


def test_settings_from_environment(monkeypatch):
    monkeypatch.setenv("TICKETAPP_SCHEDULER", "off")
    monkeypatch.setenv("TICKETAPP_SCHEDULER_INTERVAL", "2.5")
    assert not scheduler.enabled() and scheduler.interval_seconds() == 2.5
    monkeypatch.delenv("TICKETAPP_SCHEDULER")
    assert scheduler.enabled()


def test_file_clock_only_in_test_mode(monkeypatch, tmp_path):
    path = tmp_path / "clock"
    path.write_text("7200")
    monkeypatch.setenv("TICKETAPP_CLOCK_FILE", str(path))
    monkeypatch.delenv("TICKETAPP_TEST_CLOCK", raising=False)
    before = clock.now()
    assert before - datetime.now(UTC) < timedelta(minutes=1)
    monkeypatch.setenv("TICKETAPP_TEST_CLOCK", "1")
    assert clock.now() - datetime.now(UTC) > timedelta(hours=1, minutes=59)


def sla_engine(url: str):
    from ticketapp.db import make_engine

    return make_engine(url)


def test_rule_scoped_to_a_policy_ignores_other_tickets(session):
    p = people(session)
    normal = _policy(session, "normal", 60, 240)
    urgent = _policy(session, "urgent", 30, 60)
    _rule(session, name="Urgent only", policy_id=urgent.id, notify_team_managers=True)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    slow = make_ticket(session, p.requester, title="normal one")
    fast = make_ticket(session, p.requester, title="urgent one", impact="urgent")
    assert _fresh(session, slow.id).sla_policy_id == normal.id
    r = escalation.run(session, t0 + timedelta(days=2))
    assert r.firings == 1 and set(r.ticket_ids) == {slow.id, fast.id}  # both breached
    assert _escalations(session, slow.id) == []
    assert _escalations(session, fast.id)[0][0] == "Urgent only"


def test_demo_seed_has_default_policies_and_running_clocks(session):
    from ticketapp.services.seed import seed_demo

    assert seed_demo(session, now=utc(2026, 3, 4, 12))
    names = sorted(p.priority for p in session.exec(select(SlaPolicy)).all())
    assert names == ["high", "low", "normal", "urgent"]
    open_rows = session.exec(
        select(Ticket).where(Ticket.status.not_in(["resolved", "closed"]))  # type: ignore[attr-defined]
    ).all()
    assert open_rows and all(t.due_at is not None for t in open_rows)
    waiting = [t for t in open_rows if t.status == "waiting"]
    assert all(t.sla_paused_at is not None for t in waiting)
    states = sla.sla_states(session, open_rows, utc(2026, 3, 4, 12))
    assert {s.state for s in states.values()} <= {"ok", "warning", "breached", "paused"}


def test_fast_calendar_index_matches_day_by_day_walk():
    import random

    rng = random.Random(3)
    cals = [
        WEEK,
        Calendar(time_zone=NY, start_hour=8, end_hour=20, holidays=frozenset({date(2026, 11, 26)})),
        Calendar(time_zone="Asia/Kolkata", working_days=frozenset({6, 0, 1, 2, 3}), end_hour=24),
        Calendar(time_zone="Australia/Sydney", start_hour=0, end_hour=24),
    ]
    base = utc(2026, 1, 1)
    for _ in range(400):
        cal = rng.choice(cals)
        a = base + timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        b = a + timedelta(minutes=rng.randrange(0, 40 * 24 * 60))
        assert sla.working_seconds(cal, a, b) == sla.working_seconds_slow(cal, a, b)
        secs = rng.randrange(1, 30 * 8 * 3600)
        assert sla.add_working(cal, a, secs) == sla.add_working_slow(cal, a, secs)


def test_sla_rates_for_analytics(session):
    p = people(session)
    _policy(session, "normal", 60, 240)
    t0 = utc(2026, 3, 2, 9)
    clock.set_now(t0)
    fast = make_ticket(session, p.requester, title="answered and solved in time")
    late = make_ticket(session, p.requester, title="answered late, still open")
    silent = make_ticket(session, p.requester, title="never answered")
    clock.set_now(t0 + timedelta(minutes=20))
    tickets.add_comment(session, p.agent, fast.id, "Done.")
    tickets.update_fields(session, p.agent, fast.id, None, status=TicketStatus.RESOLVED)
    clock.set_now(t0 + timedelta(minutes=90))
    session.flush()
    # first_response_at comes from the real clock: pin it for the late one.
    session.get(Ticket, late.id).first_response_at = t0 + timedelta(minutes=90)
    session.get(Ticket, fast.id).first_response_at = t0 + timedelta(minutes=20)
    session.flush()
    with pytest.raises(PermissionDenied):
        sla.sla_rates(session, p.requester)
    rates = sla.sla_rates(session, p.agent, now=t0 + timedelta(hours=5))
    assert (rates.first_response.met, rates.first_response.breached) == (1, 2)
    assert (rates.resolution.met, rates.resolution.breached) == (1, 2)
    assert rates.resolution.rate == pytest.approx(1 / 3)
    early = sla.sla_rates(session, p.agent, now=t0 + timedelta(minutes=30))
    # The unanswered ticket is not breached yet at 09:30 (due 10:00); nor is any resolution.
    assert (early.first_response.met, early.first_response.breached) == (1, 1)
    assert (early.resolution.met, early.resolution.breached) == (1, 0)
    assert silent.id


def test_times_are_shown_in_the_team_zone(monkeypatch):
    from dataclasses import replace

    from ticketapp import config

    moment = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)  # read in English (the default locale)
    assert clock.local_label(moment) == "Jul 1, 2026, 12:30 UTC"
    monkeypatch.setattr(clock, "settings", replace(config.settings, timezone="Europe/Berlin"))
    assert clock.local_label(moment) == "Jul 1, 2026, 14:30 CEST"
    assert clock.local_label(moment.replace(tzinfo=None)) == "Jul 1, 2026, 14:30 CEST"
    assert clock.local_label(datetime(2026, 1, 5, 23, 0, tzinfo=UTC)) == "Jan 6, 2026, 00:00 CET"
    assert clock.local_label(None) == ""
    monkeypatch.setattr(clock, "settings", replace(config.settings, timezone="Nowhere/Atlantis"))
    assert clock.local_label(moment) == "Jul 1, 2026, 12:30 UTC"
