"""The demo seed: accounts, coverage, a consistent history, determinism, idempotence."""

from __future__ import annotations

import shutil
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from ticketapp import demo_data
from ticketapp.db import make_engine
from ticketapp.models import (
    Category,
    Comment,
    KbArticle,
    Priority,
    Role,
    SatisfactionRating,
    Team,
    TeamMember,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketStatus,
    TicketType,
    TimeEntry,
    User,
)
from ticketapp.services import ranking
from ticketapp.services.auth import verify_password
from ticketapp.services.seed import seed_demo

NOW = datetime(2031, 3, 14, 9, 30, tzinfo=UTC)
CATEGORIES = [
    "Access & accounts",
    "Email",
    "Network & VPN",
    "Hardware",
    "Software",
    "Printing",
    "Infrastructure",
    "Billing",
]


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def seeded(session: Session) -> Session:
    started = time.perf_counter()
    assert seed_demo(session, now=NOW) is True
    session.info["seed_seconds"] = time.perf_counter() - started
    session.commit()
    return session


def test_demo_accounts_sign_in_with_their_roles(seeded: Session) -> None:
    expected = {
        "requester@example.com": ("Riley Requester", Role.REQUESTER),
        "agent@example.com": ("Alex Agent", Role.AGENT),
        "manager@example.com": ("Morgan Manager", Role.MANAGER),
    }
    for email, (name, role) in expected.items():
        user = seeded.exec(select(User).where(User.email == email)).one()
        assert (user.name, user.role, user.is_active) == (name, role, True)
        assert verify_password("demo-password", user.password_hash)
        assert not verify_password("wrong-password", user.password_hash)
    roles = Counter(seeded.exec(select(User.role)).all())
    assert roles == {Role.MANAGER: 1, Role.AGENT: 4, Role.REQUESTER: 9}
    assert all(u.email.endswith("@example.com") for u in seeded.exec(select(User)).all())


def test_teams_and_categories(seeded: Session) -> None:
    assert sorted(seeded.exec(select(Category.name)).all()) == sorted(CATEGORIES)
    teams = {t.name: t.id for t in seeded.exec(select(Team)).all()}
    assert set(teams) == {"Service desk", "Infrastructure"}
    members = defaultdict(set)
    for m in seeded.exec(select(TeamMember)).all():
        members[m.team_id].add(m.user_id)
    agents = set(seeded.exec(select(User.id).where(User.role == Role.AGENT)).all())
    service_desk = members[teams["Service desk"]] & agents
    assert len(service_desk) > len(members[teams["Infrastructure"]] & agents)
    assert len(service_desk) >= 3


def test_tickets_cover_every_status_priority_type_and_category(seeded: Session) -> None:
    tickets = seeded.exec(select(Ticket)).all()
    assert 75 <= len(tickets) <= 85
    assert {t.status for t in tickets} == set(TicketStatus)
    assert {t.priority for t in tickets} == set(Priority)
    assert {t.type for t in tickets} == set(TicketType)
    names = dict(seeded.exec(select(Category.id, Category.name)).all())
    assert {names[t.category_id] for t in tickets} == set(CATEGORIES)
    assert any(t.assignee_id is None and t.team_id is None for t in tickets)  # untriaged
    assert any(t.assignee_id is None and t.team_id is not None for t in tickets)  # team only
    assert any(any("а" <= ch <= "я" for ch in t.title.lower()) for t in tickets)  # Russian
    for t in tickets:
        assert t.title and t.description
        if t.type == TicketType.INCIDENT:
            assert t.details["affected_service"]
            assert _utc(datetime.fromisoformat(t.details["started_at"])) <= _utc(t.created_at)
        if t.type == TicketType.CHANGE_REQUEST:
            assert datetime.fromisoformat(t.details["desired_date"]).date()
            assert t.details["justification"]
        if t.type == TicketType.PROBLEM:
            assert {"steps", "expected", "actual"} <= set(t.details)


def test_numbers_are_sequential_from_1001_in_filing_order(seeded: Session) -> None:
    rows = seeded.exec(select(Ticket.number, Ticket.created_at).order_by(Ticket.number)).all()
    numbers = [n for n, _ in rows]
    assert numbers == list(range(1001, 1001 + len(numbers)))
    created = [_utc(c) for _, c in rows]
    assert created == sorted(created)


def test_history_tells_a_consistent_story(seeded: Session) -> None:
    tickets = seeded.exec(select(Ticket)).all()
    events = defaultdict(list)
    for e in seeded.exec(
        select(TicketEvent).order_by(col(TicketEvent.created_at), col(TicketEvent.id))
    ).all():
        events[e.ticket_id].append(e)
    comments = defaultdict(list)
    for c in seeded.exec(select(Comment)).all():
        comments[c.ticket_id].append(c)
    oldest = NOW - timedelta(days=45)
    for t in tickets:
        history = events[t.id]
        assert history[0].kind == "created"
        assert history[0].actor_id == t.requester_id
        assert sum(e.kind == "created" for e in history) == 1
        assert oldest <= _utc(t.created_at) <= _utc(t.updated_at) <= NOW
        assert all(_utc(e.created_at) >= _utc(t.created_at) for e in history)
        assert max(_utc(e.created_at) for e in history) == _utc(t.updated_at)
        # The status changes chain from "new" to the ticket's status.
        status, resolutions = TicketStatus.NEW, 0
        for e in history:
            if e.kind == "status_changed":
                assert e.field == "status" and e.old_value == status
                status = e.new_value
                resolutions += status == TicketStatus.RESOLVED
        assert status == t.status
        assert t.resolution_count == resolutions
        assert (t.resolved_at is not None) == (resolutions > 0)
        assert (t.closed_at is not None) == (t.status == TicketStatus.CLOSED)
        if t.status == TicketStatus.RESOLVED:  # young enough not to be auto-closed at once
            assert NOW - _utc(t.resolved_at) < timedelta(days=7)
        if t.status == TicketStatus.NEW:
            assert t.assignee_id is None and t.first_response_at is None
        # One comment event per comment (merge notes excepted, as in tickets.merge).
        noted = {int(e.new_value) for e in history if e.kind in ("comment", "internal_note")}
        for c in comments[t.id]:
            assert c.id in noted or "merged" in c.body
            assert _utc(c.created_at) <= _utc(t.updated_at)
        public_staff = [
            _utc(c.created_at)
            for c in comments[t.id]
            if not c.is_internal and c.author_id != t.requester_id
        ]
        if public_staff:
            assert _utc(t.first_response_at) == min(public_staff)
        else:
            assert t.first_response_at is None
        if t.assignee_id is not None:
            assigned = [e for e in history if e.kind == "assigned" and e.field == "assignee_id"]
            assert assigned[-1].new_value == str(t.assignee_id)


def test_internal_notes_time_entries_ratings_and_links(seeded: Session) -> None:
    assert seeded.exec(select(func.count()).where(col(Comment.is_internal))).one() >= 10
    assert _count(seeded, TimeEntry) >= 10
    ratings = seeded.exec(select(SatisfactionRating)).all()
    assert {r.score for r in ratings} == {1, 2, 3, 4, 5}
    for r in ratings:
        ticket = seeded.get(Ticket, r.ticket_id)
        assert ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED)
        assert r.resolution_no == ticket.resolution_count and r.rater_id == ticket.requester_id
    assert seeded.exec(select(func.count()).where(Ticket.resolution_count > 1)).one() >= 1

    merged = seeded.exec(select(Ticket).where(col(Ticket.merged_into_id).is_not(None))).all()
    assert len(merged) == 1
    source = merged[0]
    target = seeded.get(Ticket, source.merged_into_id)
    assert source.status == TicketStatus.CLOSED and source.number > target.number
    links = {(k.ticket_id, k.other_ticket_id, k.kind) for k in seeded.exec(select(TicketLink))}
    assert {(source.id, target.id, "merged"), (target.id, source.id, "merged")} <= links
    related = [(a, b) for a, b, kind in links if kind == "related"]
    assert related and all((b, a) in related for a, b in related)
    kinds = set(seeded.exec(select(TicketEvent.kind)).all())
    assert {"created", "status_changed", "assigned", "field_changed", "comment"} <= kinds
    assert {"internal_note", "merged", "rated", "linked", "time_logged"} <= kinds


def test_board_ranks_order_each_column(seeded: Session) -> None:
    order = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
    for status in TicketStatus:
        column = seeded.exec(select(Ticket).where(Ticket.status == status)).all()
        ranks = [t.rank for t in column]
        assert all(ranking.is_valid(r) for r in ranks)
        assert len(set(ranks)) == len(ranks)
        column.sort(key=lambda t: t.rank)
        if status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
            done = [_utc(t.closed_at or t.resolved_at) for t in column]
            assert done == sorted(done, reverse=True)
        else:
            keys = [(order[t.priority], _utc(t.created_at)) for t in column]
            assert keys == sorted(keys)


def test_second_call_does_nothing(seeded: Session) -> None:
    tickets = _count(seeded, Ticket)
    assert seed_demo(seeded, now=NOW) is False
    assert seed_demo(seeded) is False
    assert _count(seeded, Ticket) == tickets and _count(seeded, User) == len(demo_data.USERS)


def test_does_nothing_when_any_user_exists(session: Session) -> None:
    session.add(User(email="someone@example.com", name="Someone", password_hash="x"))
    session.flush()
    assert seed_demo(session) is False
    assert _count(session, Ticket) == 0


def test_runs_in_the_callers_transaction(session: Session) -> None:
    assert seed_demo(session, now=NOW) is True
    assert _count(session, Ticket) > 0  # flushed
    session.rollback()  # never committed
    assert _count(session, User) == 0 and _count(session, Ticket) == 0


def test_kb_articles_are_seeded_and_searchable(seeded: Session) -> None:
    from ticketapp.services import kb
    from ticketapp.services.actor import Actor

    assert _count(seeded, KbArticle) >= 30
    requester = seeded.exec(select(User).where(User.email == "requester@example.com")).one()
    hits = kb.search(seeded, Actor.of(requester), "password reset")
    assert hits and "password" in hits[0].title.lower()


def _snapshot(session: Session) -> list[tuple]:
    emails = dict(session.exec(select(User.id, User.email)).all())
    return [
        (
            t.number,
            t.title,
            t.status,
            t.priority,
            t.type,
            emails.get(t.assignee_id),
            emails[t.requester_id],
            _utc(t.created_at),
            t.rank,
            t.resolution_count,
        )
        for t in session.exec(select(Ticket).order_by(Ticket.number)).all()
    ]


def test_deterministic_across_databases(seeded: Session, sqlite_template, tmp_path) -> None:
    path = tmp_path / "second.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as other:
            assert seed_demo(other, now=NOW) is True
            other.commit()
            assert _snapshot(other) == _snapshot(seeded)
            for model in (Comment, TicketEvent, TimeEntry, SatisfactionRating, TicketLink):
                assert _count(other, model) == _count(seeded, model)
    finally:
        engine.dispose()
