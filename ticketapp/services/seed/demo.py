"""`seed_demo`: the whole demo, in the caller's transaction."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, select

from ticketapp.models import (
    TicketLink,
    User,
    utcnow,
)
from ticketapp.services.seed.plan import FIRST_NUMBER, SEED, SPAN_DAYS, Plan, Rows
from ticketapp.services.seed.setup import (
    aware,
    seed_articles,
    seed_categories,
    seed_routing,
    seed_sla,
    seed_teams,
    seed_users,
)
from ticketapp.services.seed.story import schedule
from ticketapp.services.seed.ticket import assign_ranks, build_ticket


def seed_demo(session: Session, now: datetime | None = None) -> bool:
    """Create the demo data; False (and nothing written) when any user exists already."""
    if session.exec(select(User.id).limit(1)).first() is not None:
        return False
    now = aware(now or utcnow()).replace(microsecond=0)
    rng = random.Random(SEED)
    start = now - timedelta(days=SPAN_DAYS)

    users = seed_users(session, start)
    teams = seed_teams(session, users, start)
    categories = seed_categories(session)

    plans = schedule(rng, now)
    rows = Rows()
    by_key: dict[str, Plan] = {}
    for number, plan in enumerate(plans, start=FIRST_NUMBER):
        by_key[plan.script.key] = plan
        build_ticket(rng, now, plan, number, users, teams, categories, by_key, rows)
    assign_ranks(rows.tickets)

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

    seed_articles(session, users["morgan"], categories)
    seed_routing(session, users, teams, categories)  # ROUTING:
    session.flush()
    seed_sla(session)
    return True
