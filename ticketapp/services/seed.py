"""The deterministic demo seed: people, teams, categories, ~80 tickets with backdated history.

`seed_demo(session)` runs inside the caller's transaction (it flushes, never commits) and does
nothing when any user exists. Content lives in `ticketapp.demo_data`; this module turns each
ticket script into rows whose history tells one consistent story, written the way the tickets
service writes them (same event kinds, fields and values), so pages and analytics read demo
tickets like real ones. Everything is driven by `random.Random(42)` and `now`, so two fresh
databases seeded with the same `now` hold the same data.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from ticketapp import demo_data
from ticketapp.demo_data import TicketScript
from ticketapp.models import (
    AgentSkill,
    Category,
    Comment,
    RoutingRule,
    SatisfactionRating,
    Team,
    TeamMember,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketStatus,
    TimeEntry,
    User,
    utcnow,
)
from ticketapp.services.actor import Actor
from ticketapp.services.auth import hash_password
from ticketapp.services.ranking import rank_between

FIRST_NUMBER = 1001
SEED = 42
SPAN_DAYS = 45
AUTO_CLOSE_DAYS = 7  # tickets.auto_close_resolved's default: resolved demo tickets stay younger

S = TicketStatus
PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
# How many days ago an active ticket that ends in each status was filed (uniform in the range).
CREATED_DAYS_AGO: dict[str, tuple[float, float]] = {
    S.NEW: (0.05, 2.5),
    S.OPEN: (0.5, 8.0),
    S.IN_PROGRESS: (1.0, 14.0),
    S.WAITING: (2.0, 16.0),
}
# How quickly triage and work happen, relative to a normal ticket.
URGENCY = {"urgent": 0.15, "high": 0.45, "normal": 1.0, "low": 1.4}
TIME_MINUTES = (5, 10, 15, 15, 20, 30, 30, 45, 60, 90)
_RELATIVE = re.compile(r"^([+-])(\d+)([mhd])$")


@dataclass
class _Beat:
    """One step of a ticket's story, before it gets a time."""

    kind: str  # triage | comment | status | rate | close | merge | link
    long: bool = True  # long beats share the story's span; short ones take a few minutes
    who: str = ""  # r (requester) | a (staff) | s (system)
    body: str = ""
    internal: bool = False
    status: str = ""
    weight: float = 1.0
    at: datetime | None = None


@dataclass
class _Plan:
    script: TicketScript
    index: int
    created_at: datetime
    span: timedelta = timedelta(0)  # filing -> last resolution, for resolved/closed tickets
    ticket: Ticket | None = None
    beats: list[_Beat] = field(default_factory=list)


class _Rows:
    """Rows waiting for ticket ids (and comment ids), in the order they happened."""

    def __init__(self) -> None:
        self.tickets: list[Ticket] = []
        self.comments: list[tuple[Ticket, Comment]] = []
        # (time, seq, ticket, event, comment whose id becomes new_value)
        self.events: list[tuple[datetime, int, Ticket, TicketEvent, Comment | None]] = []
        self.other: list[tuple[Ticket, Any]] = []
        self.links: list[tuple[Ticket, Ticket, str, datetime]] = []
        self._seq = 0

    def event(
        self,
        ticket: Ticket,
        at: datetime,
        actor: User | None,
        kind: str,
        field_name: str | None = None,
        old: object = None,
        new: object = None,
        comment: Comment | None = None,
    ) -> None:
        self._seq += 1
        row = TicketEvent(
            ticket_id=0,
            actor_id=actor.id if actor else None,
            created_at=at,
            kind=kind,
            field=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
        )
        self.events.append((at, self._seq, ticket, row, comment))


def seed_demo(session: Session, now: datetime | None = None) -> bool:
    """Create the demo data; False (and nothing written) when any user exists already."""
    if session.exec(select(User.id).limit(1)).first() is not None:
        return False
    now = _aware(now or utcnow()).replace(microsecond=0)
    rng = random.Random(SEED)
    start = now - timedelta(days=SPAN_DAYS)

    users = _seed_users(session, start)
    teams = _seed_teams(session, users, start)
    categories = _seed_categories(session)

    plans = _schedule(rng, now)
    rows = _Rows()
    by_key: dict[str, _Plan] = {}
    for number, plan in enumerate(plans, start=FIRST_NUMBER):
        by_key[plan.script.key] = plan
        _build_ticket(rng, now, plan, number, users, teams, categories, by_key, rows)
    _assign_ranks(rows.tickets)

    session.add_all(rows.tickets)
    session.flush()
    for plan in plans:
        target = plan.script.merged_into
        if target:
            assert plan.ticket is not None
            plan.ticket.merged_into_id = by_key[target].ticket.id  # type: ignore[union-attr]
    for ticket, comment in rows.comments:
        comment.ticket_id = ticket.id  # type: ignore[assignment]
    session.add_all([c for _t, c in rows.comments])
    session.flush()
    for ticket, row in rows.other:
        row.ticket_id = ticket.id
    for a, b, kind, at in rows.links:
        rows.other.append(
            (a, TicketLink(ticket_id=a.id, other_ticket_id=b.id, kind=kind, created_at=at))
        )
    events = []
    for _at, _seq, ticket, event, comment in sorted(rows.events, key=lambda e: (e[0], e[1])):
        event.ticket_id = ticket.id  # type: ignore[assignment]
        if comment is not None:
            event.new_value = str(comment.id)
        events.append(event)
    session.add_all([row for _t, row in rows.other])
    session.add_all(events)
    session.flush()

    _seed_articles(session, users["morgan"], categories)
    _seed_routing(session, users, teams, categories)  # ROUTING:
    session.flush()
    _seed_sla(session)
    return True


def _seed_sla(session: Session) -> None:
    """Default SLA policies (business hours, Mon-Fri 9-17 UTC) and the demo tickets' clocks."""
    from ticketapp.models import BusinessCalendar, SlaPolicy
    from ticketapp.services import sla

    cal = BusinessCalendar(name="Office hours", time_zone="UTC")
    session.add(cal)
    session.flush()
    for priority, first, resolution in (
        ("urgent", 60, 4 * 60),
        ("high", 4 * 60, 8 * 60),
        ("normal", 8 * 60, 3 * 8 * 60),
        ("low", 8 * 60, 5 * 8 * 60),
    ):
        session.add(
            SlaPolicy(
                name=f"{priority.capitalize()} tickets",
                priority=priority,
                first_response_minutes=first,
                resolution_minutes=resolution,
                business_hours=True,
                calendar_id=cal.id,
            )
        )
    session.flush()
    sla.backfill(session)


def _seed_routing(
    session: Session,
    users: dict[str, User],
    teams: dict[str, Team],
    categories: dict[str, Category],
) -> None:
    """Triage rules, skills and round-robin for the infrastructure team (issue 7)."""
    infra = teams["Infrastructure"]
    infra.auto_assign = "round_robin"
    session.add(infra)
    for name, (_description, team) in demo_data.CATEGORIES.items():
        for key in demo_data.TEAMS[team][1]:
            if users[key].role != "manager":
                session.add(AgentSkill(user_id=users[key].id, category_id=categories[name].id))
    for position, (name, keywords, values) in enumerate(demo_data.ROUTING_RULES, start=1):
        session.add(
            RoutingRule(
                name=name,
                position=position,
                cond_keywords=keywords,
                set_type=values.get("type"),
                set_priority=values.get("priority"),
                set_category_id=categories[values["category"]].id if "category" in values else None,
                set_team_id=teams[values["team"]].id if "team" in values else None,
            )
        )


# --- people, teams, categories --------------------------------------------------------------


def _aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _seed_users(session: Session, start: datetime) -> dict[str, User]:
    password_hash = hash_password(demo_data.DEMO_PASSWORD)  # argon2 is slow: hash once
    users = {
        key: User(
            email=email,
            name=name,
            password_hash=password_hash,
            role=role,
            created_at=start + timedelta(minutes=5 * i),
        )
        for i, (key, (email, name, role)) in enumerate(demo_data.USERS.items())
    }
    session.add_all(users.values())
    session.flush()
    return users


def _seed_teams(session: Session, users: dict[str, User], start: datetime) -> dict[str, Team]:
    teams = {
        name: Team(name=name, description=description, created_at=start + timedelta(hours=2))
        for name, (description, _members) in demo_data.TEAMS.items()
    }
    session.add_all(teams.values())
    session.flush()
    session.add_all(
        TeamMember(team_id=teams[name].id, user_id=users[key].id)
        for name, (_description, members) in demo_data.TEAMS.items()
        for key in members
    )
    return teams


def _seed_categories(session: Session) -> dict[str, Category]:
    categories = {
        name: Category(name=name, description=description)
        for name, (description, _team) in demo_data.CATEGORIES.items()
    }
    session.add_all(categories.values())
    session.flush()
    return categories


def _seed_articles(session: Session, author: User, categories: dict[str, Category]) -> int:
    """KB articles go through the KB service, so they are indexed for search."""
    from ticketapp.services.kb_seed import seed_demo_articles

    ids = {name: c.id for name, c in categories.items() if c.id is not None}
    return seed_demo_articles(session, Actor.of(author), ids)


# --- when things happen ---------------------------------------------------------------------


def _schedule(rng: random.Random, now: datetime) -> list[_Plan]:
    """Filing times for every script, in number order (a follower right after its leader).

    Resolved and closed tickets get a working span (urgent ones are quick) that ends early
    enough: resolved ones within the auto-close window, closed ones in time to be closed.
    """
    plans: dict[str, _Plan] = {}
    for index, script in enumerate(demo_data.TICKETS):
        if script.status in (S.RESOLVED, S.CLOSED):
            span = rng.uniform(0.15, 3.5) * URGENCY[script.priority]
            if script.status == S.RESOLVED:
                ago = rng.uniform(0.1, AUTO_CLOSE_DAYS - 2.5) + span
            else:
                ago = rng.uniform(AUTO_CLOSE_DAYS + 1.0, SPAN_DAYS - 1.0)
                span = min(span, ago - AUTO_CLOSE_DAYS - 0.5)
        else:
            lo, hi = CREATED_DAYS_AGO[script.status]
            ago, span = rng.uniform(lo, hi), 0.0
        created = (now - timedelta(days=ago)).replace(microsecond=0)
        plans[script.key] = _Plan(script, index, created, timedelta(days=span))
    for plan in plans.values():
        leader = plan.script.merged_into or plan.script.related_to
        if leader:
            gap = timedelta(minutes=rng.randint(8, 30))
            plan.created_at = plans[leader].created_at + gap
    return sorted(plans.values(), key=lambda p: (p.created_at, p.index))


def _story(plan: _Plan) -> list[_Beat]:
    """The steps from filing to the script's final status, mirroring the tickets service."""
    s = plan.script
    final = s.status
    initial_priority = s.initial_priority or s.impact
    beats: list[_Beat] = []
    if final == S.NEW:
        if initial_priority != s.priority:
            beats.append(_Beat("triage", who="a", weight=URGENCY[s.priority]))
        beats.extend(_Beat("comment", who="r", body=body) for kind, body in s.conversation)
        return beats
    beats.append(_Beat("triage", who="a", status=S.OPEN, weight=URGENCY[s.priority] * 0.6))
    if s.related_to:
        beats.append(_Beat("link", long=False, who="a"))
    if s.merged_into:
        beats.append(_Beat("merge", who="a", weight=0.5))
        return beats
    status: str = S.OPEN
    past_open = final in (S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED)
    convo = s.conversation
    for i, (kind, body) in enumerate(convo):
        if kind == "r":
            beats.append(_Beat("comment", who="r", body=body))
            if status in (S.WAITING, S.RESOLVED):  # a requester's reply reopens
                status = S.OPEN
                beats.append(_Beat("status", long=False, who="r", status=S.OPEN))
        elif kind in ("a", "n"):
            if kind == "a" and status == S.OPEN and past_open:
                status = S.IN_PROGRESS
                beats.append(_Beat("status", who="a", status=S.IN_PROGRESS, weight=0.3))
            beats.append(_Beat("comment", who="a", body=body, internal=kind == "n"))
            asks = kind == "a" and body.rstrip().endswith("?")
            if asks and status == S.IN_PROGRESS and i + 1 < len(convo) and convo[i + 1][0] == "r":
                status = S.WAITING
                beats.append(_Beat("status", long=False, who="a", status=S.WAITING))
        elif kind == "resolve":
            status = S.RESOLVED
            beats.append(_Beat("status", long=False, who="a", status=S.RESOLVED))
        # "reopen" needs nothing: the requester's reply before it reopened the ticket.
    if final in (S.IN_PROGRESS, S.WAITING) and status != final:
        beats.append(_Beat("status", long=status == S.OPEN, who="a", status=final, weight=0.4))
    if final in (S.RESOLVED, S.CLOSED):
        if status != S.RESOLVED:
            beats.append(_Beat("status", who="a", status=S.RESOLVED, weight=0.5))
        if s.rating:
            beats.append(_Beat("rate", who="r", weight=0.6))
    if final == S.CLOSED:
        beats.append(_Beat("close", long=False))
    return beats


def _time_beats(
    rng: random.Random,
    now: datetime,
    plan: _Plan,
    beats: list[_Beat],
    by_key: dict[str, _Plan],
) -> None:
    """Give every beat a time between filing and now, consistent with the final status."""
    s = plan.script
    t0 = plan.created_at
    age = now - t0
    final = s.status
    if s.merged_into:
        leader = by_key[s.merged_into].ticket
        assert leader is not None and leader.resolved_at is not None
        latest = t0 + (leader.resolved_at - t0) / 2
        end = min(t0 + timedelta(minutes=rng.randint(15, 40)), latest)
    elif final in (S.RESOLVED, S.CLOSED):
        end = min(t0 + max(plan.span, timedelta(hours=1)), now - timedelta(minutes=10))
    else:
        end = t0 + age * rng.uniform(0.35, 0.9)

    long_beats = [b for b in beats if b.long]
    short = [timedelta(minutes=rng.randint(1, 4)) for b in beats if not b.long]
    weights = [b.weight * rng.uniform(0.6, 1.4) for b in long_beats]
    budget = max(end - t0 - sum(short, timedelta()), timedelta(minutes=len(beats) + 1))
    unit = budget / (sum(weights) or 1.0)
    t = t0
    short_iter = iter(short)
    weight_iter = iter(weights)
    for beat in beats:
        if beat.kind == "close":
            continue
        gap = unit * next(weight_iter) if beat.long else next(short_iter)
        t = (t + max(gap, timedelta(minutes=1))).replace(microsecond=0)
        beat.at = t
    close = next((b for b in beats if b.kind == "close"), None)
    if close is not None:
        if rng.random() < 0.5:  # the system's auto-close
            close.who = "s"
            close.at = t + timedelta(days=AUTO_CLOSE_DAYS, minutes=rng.randint(5, 360))
        else:
            close.who = "a"
            close.at = t + timedelta(hours=rng.uniform(1.0, 60.0))
        close.at = min(close.at, now - timedelta(minutes=5)).replace(microsecond=0)


# --- one ticket -----------------------------------------------------------------------------


def _resolve_details(details: dict[str, Any], created: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in details.items():
        match = _RELATIVE.match(value) if isinstance(value, str) else None
        if not match:
            out[name] = value
            continue
        sign, amount, unit = match.groups()
        delta = timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: int(amount)})
        if sign == "-":
            out[name] = (created - delta).isoformat()
        else:
            out[name] = (created + delta).date().isoformat()
    return out


def _team_for(s: TicketScript, teams: dict[str, Team]) -> Team | None:
    if s.team:
        return teams[s.team]
    if s.assignee is None:
        return None
    default = demo_data.CATEGORIES[s.category][1]
    if s.assignee in demo_data.TEAMS[default][1]:
        return teams[default]
    own = next(name for name, (_d, members) in demo_data.TEAMS.items() if s.assignee in members)
    return teams[own]


def _build_ticket(
    rng: random.Random,
    now: datetime,
    plan: _Plan,
    number: int,
    users: dict[str, User],
    teams: dict[str, Team],
    categories: dict[str, Category],
    by_key: dict[str, _Plan],
    rows: _Rows,
) -> None:
    s = plan.script
    t0 = plan.created_at
    requester = users[s.requester]
    team = _team_for(s, teams)
    if s.assignee:
        staff = users[s.assignee]
    elif s.team:
        staff = users[demo_data.TEAMS[s.team][1][0]]
    else:
        staff = users["morgan"]
    triager = staff if s.assignee and rng.random() < 0.5 else users["morgan"]
    initial_priority = s.initial_priority or s.impact

    ticket = Ticket(
        number=number,
        title=s.title,
        description=s.description,
        type=s.type,
        category_id=categories[s.category].id,
        impact=s.impact,
        priority=initial_priority,
        status=S.NEW,
        requester_id=requester.id,  # type: ignore[arg-type]
        created_by_id=requester.id,
        details=_resolve_details(s.details, t0),
        created_at=t0,
        updated_at=t0,
        requester_seen_at=t0,
    )
    plan.ticket = ticket
    rows.tickets.append(ticket)
    rows.event(ticket, t0, requester, "created", None, None, number)

    beats = _story(plan)
    _time_beats(rng, now, plan, beats, by_key)

    def set_status(status: str, actor: User | None, at: datetime) -> None:
        old = ticket.status
        ticket.status = status
        if status == S.RESOLVED:
            ticket.resolution_count += 1
            ticket.resolved_at = at
        if status == S.CLOSED:
            ticket.closed_at = at
        rows.event(ticket, at, actor, "status_changed", "status", old, status)

    last = t0
    for beat in beats:
        at = beat.at
        assert at is not None
        last = max(last, at)
        actor = requester if beat.who == "r" else None if beat.who == "s" else staff
        if beat.kind == "triage":
            if team is not None:
                ticket.team_id = team.id
                rows.event(ticket, at, triager, "assigned", "team_id", None, team.id)
            if s.assignee:
                ticket.assignee_id = staff.id
                rows.event(ticket, at, triager, "assigned", "assignee_id", None, staff.id)
            if initial_priority != s.priority:
                ticket.priority = s.priority
                rows.event(
                    ticket, at, triager, "field_changed", "priority", initial_priority, s.priority
                )
            if beat.status:
                set_status(beat.status, triager, at)
        elif beat.kind == "comment":
            assert actor is not None
            comment = Comment(
                ticket_id=0,
                author_id=actor.id,
                body=beat.body,
                is_internal=beat.internal,
                created_at=at,
            )
            rows.comments.append((ticket, comment))
            kind = "internal_note" if beat.internal else "comment"
            rows.event(ticket, at, actor, kind, None, None, None, comment=comment)
            if actor is requester:
                ticket.requester_seen_at = at
            else:
                if not beat.internal and ticket.first_response_at is None:
                    ticket.first_response_at = at
                if rng.random() < 0.45:
                    _log_time(rng, rows, ticket, actor, at)
        elif beat.kind == "status":
            set_status(beat.status, actor, at)
        elif beat.kind == "rate":
            assert s.rating is not None
            score, text = s.rating
            rows.other.append(
                (
                    ticket,
                    SatisfactionRating(
                        ticket_id=0,
                        resolution_no=ticket.resolution_count,
                        rater_id=requester.id,  # type: ignore[arg-type]
                        score=score,
                        comment=text,
                        created_at=at,
                    ),
                )
            )
            rows.event(ticket, at, requester, "rated", "score", None, score)
            ticket.requester_seen_at = at
        elif beat.kind == "close":
            set_status(S.CLOSED, actor, at)
        elif beat.kind == "link":
            other = by_key[s.related_to].ticket  # type: ignore[index]
            assert other is not None
            rows.links.append((ticket, other, "related", at))
            rows.links.append((other, ticket, "related", at))
            rows.event(ticket, at, staff, "linked", "link", None, other.number)
            rows.event(other, at, staff, "linked", "link", None, ticket.number)
            other.updated_at = max(other.updated_at, at)
        elif beat.kind == "merge":
            _merge(rows, ticket, by_key[s.merged_into].ticket, staff, at, set_status)  # type: ignore[index]
    ticket.updated_at = max(ticket.updated_at, last)


def _log_time(rng: random.Random, rows: _Rows, ticket: Ticket, user: User, at: datetime) -> None:
    minutes = rng.choice(TIME_MINUTES)
    note = rng.choice(demo_data.TIME_NOTES)
    entry = TimeEntry(ticket_id=0, user_id=user.id, minutes=minutes, note=note, created_at=at)  # type: ignore[arg-type]
    rows.other.append((ticket, entry))
    rows.event(ticket, at, user, "time_logged", "minutes", None, minutes)


def _merge(
    rows: _Rows, source: Ticket, target: Ticket | None, staff: User, at: datetime, set_status
) -> None:
    """As tickets.merge: source closes, links both ways, an event and a note on each side."""
    assert target is not None
    set_status(S.CLOSED, staff, at)
    rows.links.append((source, target, "merged", at))
    rows.links.append((target, source, "merged", at))
    rows.event(source, at, staff, "merged", "merged_into", None, target.number)
    rows.event(target, at, staff, "merged", "merged_from", None, source.number)
    public = Comment(
        ticket_id=0,
        author_id=staff.id,  # type: ignore[arg-type]
        body=f"This ticket was merged into #{target.number}. The conversation continues there.",
        created_at=at,
    )
    note = Comment(
        ticket_id=0,
        author_id=staff.id,  # type: ignore[arg-type]
        body=f"#{source.number} ({source.title}) was merged into this ticket.",
        is_internal=True,
        created_at=at,
    )
    rows.comments.extend([(source, public), (target, note)])
    source.first_response_at = source.first_response_at or at
    target.updated_at = max(target.updated_at, at)


# --- board order ----------------------------------------------------------------------------


def _assign_ranks(tickets: list[Ticket]) -> None:
    """Each board column top to bottom: active work by priority, then oldest first; resolved
    and closed tickets most recent first."""
    columns: dict[str, list[Ticket]] = {}
    for t in tickets:
        columns.setdefault(t.status, []).append(t)
    for status, column in columns.items():
        if status in (S.RESOLVED, S.CLOSED):
            column.sort(key=lambda t: t.closed_at or t.resolved_at or t.updated_at, reverse=True)
        else:
            column.sort(key=lambda t: (PRIORITY_ORDER.get(t.priority, 9), t.created_at))
        rank: str | None = None
        for t in column:
            rank = rank_between(rank, None)
            t.rank = rank
