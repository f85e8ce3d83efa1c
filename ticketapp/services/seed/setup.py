"""The demo's people, teams, categories, KB articles, routing (rules, skills, round-robin) and
SLA policies with the demo tickets' clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from ticketapp import demo_data
from ticketapp.models import (
    AgentSkill,
    Category,
    RoutingRule,
    Team,
    TeamMember,
    User,
)
from ticketapp.services.actor import Actor
from ticketapp.services.auth import hash_password


def seed_sla(session: Session) -> None:
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


def seed_routing(
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


def aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def seed_users(session: Session, start: datetime) -> dict[str, User]:
    password_hash = hash_password(demo_data.DEMO_PASSWORD)  # argon2 is slow: hash once
    users = {
        key: User(
            email=email,
            name=name,
            password_hash=password_hash,
            role=role,
            locale=demo_data.USER_LOCALES.get(key, ""),
            created_at=start + timedelta(minutes=5 * i),
        )
        for i, (key, (email, name, role)) in enumerate(demo_data.USERS.items())
    }
    session.add_all(users.values())
    session.flush()
    return users


def seed_teams(session: Session, users: dict[str, User], start: datetime) -> dict[str, Team]:
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


def seed_categories(session: Session) -> dict[str, Category]:
    categories = {
        name: Category(name=name, description=description)
        for name, (description, _team) in demo_data.CATEGORIES.items()
    }
    session.add_all(categories.values())
    session.flush()
    return categories


def seed_articles(session: Session, author: User, categories: dict[str, Category]) -> int:
    """KB articles go through the KB service, so they are indexed for search."""
    from ticketapp.services.kb_seed import seed_demo_articles

    ids = {name: c.id for name, c in categories.items() if c.id is not None}
    return seed_demo_articles(session, Actor.of(author), ids)
