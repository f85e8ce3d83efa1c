"""When things happen: each ticket's filing time and span, the beats of its story, and the
time of each beat."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ticketapp import demo_data
from ticketapp.services.seed.plan import (
    AUTO_CLOSE_DAYS,
    CREATED_DAYS_AGO,
    SPAN_DAYS,
    URGENCY,
    Beat,
    Plan,
    S,
)

# --- when things happen ---------------------------------------------------------------------


def schedule(rng: random.Random, now: datetime) -> list[Plan]:
    """Filing times for every script, in number order (a follower right after its leader).

    Resolved and closed tickets get a working span (urgent ones are quick) that ends early
    enough: resolved ones within the auto-close window, closed ones in time to be closed.
    """
    plans: dict[str, Plan] = {}
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
        plans[script.key] = Plan(script, index, created, timedelta(days=span))
    for plan in plans.values():
        leader = plan.script.merged_into or plan.script.related_to
        if leader:
            gap = timedelta(minutes=rng.randint(8, 30))
            plan.created_at = plans[leader].created_at + gap
    return sorted(plans.values(), key=lambda p: (p.created_at, p.index))


def story(plan: Plan) -> list[Beat]:
    """The steps from filing to the script's final status, mirroring the tickets service."""
    s = plan.script
    final = s.status
    initial_priority = s.initial_priority or s.impact
    beats: list[Beat] = []
    if final == S.NEW:
        if initial_priority != s.priority:
            beats.append(Beat("triage", who="a", weight=URGENCY[s.priority]))
        beats.extend(Beat("comment", who="r", body=body) for kind, body in s.conversation)
        return beats
    beats.append(Beat("triage", who="a", status=S.OPEN, weight=URGENCY[s.priority] * 0.6))
    if s.related_to:
        beats.append(Beat("link", long=False, who="a"))
    if s.merged_into:
        beats.append(Beat("merge", who="a", weight=0.5))
        return beats
    status: str = S.OPEN
    past_open = final in (S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED)
    convo = s.conversation
    for i, (kind, body) in enumerate(convo):
        if kind == "r":
            beats.append(Beat("comment", who="r", body=body))
            if status in (S.WAITING, S.RESOLVED):  # a requester's reply reopens
                status = S.OPEN
                beats.append(Beat("status", long=False, who="r", status=S.OPEN))
        elif kind in ("a", "n"):
            if kind == "a" and status == S.OPEN and past_open:
                status = S.IN_PROGRESS
                beats.append(Beat("status", who="a", status=S.IN_PROGRESS, weight=0.3))
            beats.append(Beat("comment", who="a", body=body, internal=kind == "n"))
            asks = kind == "a" and body.rstrip().endswith("?")
            if asks and status == S.IN_PROGRESS and i + 1 < len(convo) and convo[i + 1][0] == "r":
                status = S.WAITING
                beats.append(Beat("status", long=False, who="a", status=S.WAITING))
        elif kind == "resolve":
            status = S.RESOLVED
            beats.append(Beat("status", long=False, who="a", status=S.RESOLVED))
        # "reopen" needs nothing: the requester's reply before it reopened the ticket.
    if final in (S.IN_PROGRESS, S.WAITING) and status != final:
        beats.append(Beat("status", long=status == S.OPEN, who="a", status=final, weight=0.4))
    if final in (S.RESOLVED, S.CLOSED):
        if status != S.RESOLVED:
            beats.append(Beat("status", who="a", status=S.RESOLVED, weight=0.5))
        if s.rating:
            beats.append(Beat("rate", who="r", weight=0.6))
    if final == S.CLOSED:
        beats.append(Beat("close", long=False))
    return beats


def time_beats(
    rng: random.Random,
    now: datetime,
    plan: Plan,
    beats: list[Beat],
    by_key: dict[str, Plan],
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
