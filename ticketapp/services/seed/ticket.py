"""One demo ticket: its rows and events from its story, written the way the tickets service
writes them; and the board order of all of them."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ticketapp import demo_data
from ticketapp.demo_data import TicketScript
from ticketapp.models import (
    Category,
    Comment,
    SatisfactionRating,
    Team,
    Ticket,
    TimeEntry,
    User,
)
from ticketapp.services.ranking import rank_between
from ticketapp.services.seed.plan import PRIORITY_ORDER, TIME_MINUTES, Beat, Plan, Rows, S
from ticketapp.services.seed.story import story, time_beats
from ticketapp.services.tickets.merge import merged_from_note, merged_into_note

_RELATIVE = re.compile(r"^([+-])(\d+)([mhd])$")


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


@dataclass
class _Story:
    """One ticket being played through its story: who acts, and where its rows go."""

    rng: random.Random
    ticket: Ticket
    script: TicketScript
    requester: User
    staff: User
    triager: User
    team: Team | None
    initial_priority: str
    by_key: dict[str, Plan]
    rows: Rows


def build_ticket(
    rng: random.Random,
    now: datetime,
    plan: Plan,
    number: int,
    users: dict[str, User],
    teams: dict[str, Team],
    categories: dict[str, Category],
    by_key: dict[str, Plan],
    rows: Rows,
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

    beats = story(plan)
    time_beats(rng, now, plan, beats, by_key)
    play = _Story(rng, ticket, s, requester, staff, triager, team, initial_priority, by_key, rows)
    last = t0
    for beat in beats:
        assert beat.at is not None
        last = max(last, beat.at)
        _play(play, beat, beat.at)
    ticket.updated_at = max(ticket.updated_at, last)


def _set_status(rows: Rows, ticket: Ticket, status: str, actor: User | None, at: datetime) -> None:
    old = ticket.status
    ticket.status = status
    if status == S.RESOLVED:
        ticket.resolution_count += 1
        ticket.resolved_at = at
    if status == S.CLOSED:
        ticket.closed_at = at
    rows.event(ticket, at, actor, "status_changed", "status", old, status)


def _play(st: _Story, beat: Beat, at: datetime) -> None:
    """One beat of the story, as the tickets service would have written it."""
    actor = st.requester if beat.who == "r" else None if beat.who == "s" else st.staff
    if beat.kind == "triage":
        _triage(st, beat, at)
    elif beat.kind == "comment":
        assert actor is not None
        _comment(st, beat, actor, at)
    elif beat.kind == "status":
        _set_status(st.rows, st.ticket, beat.status, actor, at)
    elif beat.kind == "rate":
        _rate(st, at)
    elif beat.kind == "close":
        _set_status(st.rows, st.ticket, S.CLOSED, actor, at)
    elif beat.kind == "link":
        _link(st, at)
    elif beat.kind == "merge":
        _merge(st.rows, st.ticket, st.by_key[st.script.merged_into].ticket, st.staff, at)  # type: ignore[index]


def _triage(st: _Story, beat: Beat, at: datetime) -> None:
    ticket, rows, triager = st.ticket, st.rows, st.triager
    if st.team is not None:
        ticket.team_id = st.team.id
        rows.event(ticket, at, triager, "assigned", "team_id", None, st.team.id)
    if st.script.assignee:
        ticket.assignee_id = st.staff.id
        rows.event(ticket, at, triager, "assigned", "assignee_id", None, st.staff.id)
    if st.initial_priority != st.script.priority:
        ticket.priority = st.script.priority
        rows.event(
            ticket, at, triager, "field_changed", "priority", st.initial_priority, ticket.priority
        )
    if beat.status:
        _set_status(rows, ticket, beat.status, triager, at)


def _comment(st: _Story, beat: Beat, actor: User, at: datetime) -> None:
    ticket = st.ticket
    comment = Comment(
        ticket_id=0,
        author_id=actor.id,
        body=beat.body,
        is_internal=beat.internal,
        created_at=at,
    )
    st.rows.comments.append((ticket, comment))
    kind = "internal_note" if beat.internal else "comment"
    st.rows.event(ticket, at, actor, kind, None, None, None, comment=comment)
    if actor is st.requester:
        ticket.requester_seen_at = at
    else:
        if not beat.internal and ticket.first_response_at is None:
            ticket.first_response_at = at
        if st.rng.random() < 0.45:
            _log_time(st.rng, st.rows, ticket, actor, at)


def _rate(st: _Story, at: datetime) -> None:
    assert st.script.rating is not None
    score, text = st.script.rating
    rating = SatisfactionRating(
        ticket_id=0,
        resolution_no=st.ticket.resolution_count,
        rater_id=st.requester.id,  # type: ignore[arg-type]
        score=score,
        comment=text,
        created_at=at,
    )
    st.rows.other.append((st.ticket, rating))
    st.rows.event(st.ticket, at, st.requester, "rated", "score", None, score)
    st.ticket.requester_seen_at = at


def _link(st: _Story, at: datetime) -> None:
    ticket, rows, staff = st.ticket, st.rows, st.staff
    other = st.by_key[st.script.related_to].ticket  # type: ignore[index]
    assert other is not None
    rows.links.append((ticket, other, "related", at))
    rows.links.append((other, ticket, "related", at))
    rows.event(ticket, at, staff, "linked", "link", None, other.number)
    rows.event(other, at, staff, "linked", "link", None, ticket.number)
    other.updated_at = max(other.updated_at, at)


def _log_time(rng: random.Random, rows: Rows, ticket: Ticket, user: User, at: datetime) -> None:
    minutes = rng.choice(TIME_MINUTES)
    note = rng.choice(demo_data.TIME_NOTES)
    entry = TimeEntry(ticket_id=0, user_id=user.id, minutes=minutes, note=note, created_at=at)  # type: ignore[arg-type]
    rows.other.append((ticket, entry))
    rows.event(ticket, at, user, "time_logged", "minutes", None, minutes)


def _merge(rows: Rows, source: Ticket, target: Ticket | None, staff: User, at: datetime) -> None:
    """As tickets.merge: source closes, links both ways, an event and a note on each side."""
    assert target is not None
    _set_status(rows, source, S.CLOSED, staff, at)
    rows.links.append((source, target, "merged", at))
    rows.links.append((target, source, "merged", at))
    rows.event(source, at, staff, "merged", "merged_into", None, target.number)
    rows.event(target, at, staff, "merged", "merged_from", None, source.number)
    public = Comment(
        ticket_id=0,
        author_id=staff.id,  # type: ignore[arg-type]
        body=merged_into_note(target.number),
        created_at=at,
    )
    note = Comment(
        ticket_id=0,
        author_id=staff.id,  # type: ignore[arg-type]
        body=merged_from_note(source.number, source.title),
        is_internal=True,
        created_at=at,
    )
    rows.comments.extend([(source, public), (target, note)])
    source.first_response_at = source.first_response_at or at
    target.updated_at = max(target.updated_at, at)


# --- board order ----------------------------------------------------------------------------


def assign_ranks(tickets: list[Ticket]) -> None:
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
