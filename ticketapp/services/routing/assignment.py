"""Assignment: the available, skilled members of the ticket's team, picked round-robin or by
the least weighted open load; and triage followed by assignment for a new ticket."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import (
    STAFF_ROLES,
    AgentSkill,
    AutoAssign,
    Category,
    Team,
    TeamMember,
    Ticket,
    User,
    utcnow,
)
from ticketapp.services import notifications
from ticketapp.services.routing.common import OPEN_STATUSES, PRIORITY_WEIGHT, routing_event
from ticketapp.services.routing.triage import triage

# --- assignment -----------------------------------------------------------------------------


def candidates(session: Session, team_id: int, category_id: int | None) -> list[int]:
    """Ids (ascending) of the team's active, available staff, skilled in the category if any."""
    stmt = (
        select(User.id)
        .join(TeamMember, col(TeamMember.user_id) == User.id)
        .where(
            TeamMember.team_id == team_id,
            col(User.is_active).is_(True),
            col(User.is_available).is_(True),
            col(User.role).in_(list(STAFF_ROLES)),
        )
    )
    if category_id is not None:
        stmt = stmt.join(AgentSkill, col(AgentSkill.user_id) == User.id).where(
            AgentSkill.category_id == category_id
        )
    return sorted(uid for uid in session.exec(stmt.distinct()).all() if uid is not None)


def _rotate(ids: list[int], cursor: int | None) -> list[int]:
    """`ids` starting just after `cursor` (wrapping around)."""
    if cursor is None:
        return ids
    after = [i for i in ids if i > cursor]
    return after + [i for i in ids if i <= cursor]


def loads(session: Session, user_ids: list[int]) -> dict[int, tuple[int, int]]:
    """user id -> (weighted load, open ticket count) over open tickets assigned to them."""
    out = {uid: (0, 0) for uid in user_ids}
    if not user_ids:
        return out
    rows = session.exec(
        select(Ticket.assignee_id, Ticket.priority, func.count())
        .where(col(Ticket.assignee_id).in_(user_ids), col(Ticket.status).in_(OPEN_STATUSES))
        .group_by(Ticket.assignee_id, Ticket.priority)
    ).all()
    for uid, priority, n in rows:
        weight, count = out[uid]
        out[uid] = (weight + PRIORITY_WEIGHT.get(priority, 2) * n, count + n)
    return out


def _names(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.name).where(col(User.id).in_(ids))).all())


# The reasons are stored language-neutral (i18n.later) and read in each reader's language;
# one whole sentence per case, for the translators.


def _nobody_reason(team: str, category: str | None) -> str:
    if category:
        return i18n.later(
            "No available agent in team {team} skilled in {category}; left unassigned",
            team=team,
            category=category,
        )
    return i18n.later(
        "No available agent in team {team} (any category); left unassigned", team=team
    )


def _round_robin_reason(team: str, n: int, category: str | None) -> str:
    if category:
        return i18n.later_n(
            "Round-robin in team {team}: next in turn among {n} available agent skilled in "
            "{category}",
            "Round-robin in team {team}: next in turn among {n} available agents skilled in "
            "{category}",
            n,
            team=team,
            category=category,
        )
    return i18n.later_n(
        "Round-robin in team {team}: next in turn among {n} available agent (any category)",
        "Round-robin in team {team}: next in turn among {n} available agents (any category)",
        n,
        team=team,
    )


def _least_loaded_reason(
    team: str, load: tuple[int, int], others: str, category: str | None
) -> str:
    weight, n = load
    params = {"team": team, "load": weight, "others": others, "category": category or ""}
    if others and category:
        return i18n.later_n(
            "Least loaded in team {team}: load {load} ({n} open ticket, weighted by priority) "
            "vs {others}; available, skilled in {category}",
            "Least loaded in team {team}: load {load} ({n} open tickets, weighted by priority) "
            "vs {others}; available, skilled in {category}",
            n,
            **params,
        )
    if others:
        return i18n.later_n(
            "Least loaded in team {team}: load {load} ({n} open ticket, weighted by priority) "
            "vs {others}; available, any category",
            "Least loaded in team {team}: load {load} ({n} open tickets, weighted by priority) "
            "vs {others}; available, any category",
            n,
            **params,
        )
    if category:
        return i18n.later_n(
            "Least loaded in team {team}: load {load} ({n} open ticket, weighted by priority); "
            "available, skilled in {category}",
            "Least loaded in team {team}: load {load} ({n} open tickets, weighted by priority); "
            "available, skilled in {category}",
            n,
            **params,
        )
    return i18n.later_n(
        "Least loaded in team {team}: load {load} ({n} open ticket, weighted by priority); "
        "available, any category",
        "Least loaded in team {team}: load {load} ({n} open tickets, weighted by priority); "
        "available, any category",
        n,
        **params,
    )


def auto_assign(session: Session, ticket: Ticket, now: datetime | None = None) -> int | None:
    """Assign an unassigned ticket by its team's mode (no commit). Returns the agent id."""
    if ticket.assignee_id is not None or ticket.team_id is None:
        return None
    now = now or utcnow()
    # Lock the team row: concurrent assignments in one team take turns on the cursor.
    team = session.exec(select(Team).where(Team.id == ticket.team_id).with_for_update()).first()
    if team is None or team.auto_assign not in (AutoAssign.ROUND_ROBIN, AutoAssign.LEAST_LOADED):
        return None
    ids = candidates(session, team.id, ticket.category_id)  # type: ignore[arg-type]
    category = session.get(Category, ticket.category_id) if ticket.category_id else None
    if not ids:
        reason = _nobody_reason(team.name, category.name if category else None)
        routing_event(session, ticket, "assignment_skipped", "assignee_id", None, None, reason, now)
        return None
    order = _rotate(ids, team.rr_cursor_user_id)
    names = _names(session, ids)
    if team.auto_assign == AutoAssign.ROUND_ROBIN:
        chosen = order[0]
        reason = _round_robin_reason(team.name, len(ids), category.name if category else None)
    else:
        load = loads(session, ids)
        chosen = min(order, key=lambda uid: load[uid])  # min keeps the first of equals
        others = ", ".join(
            f"{names.get(uid, uid)} {load[uid][0]}" for uid in order if uid != chosen
        )
        reason = _least_loaded_reason(
            team.name, load[chosen], others, category.name if category else None
        )
    team.rr_cursor_user_id = chosen
    session.add(team)
    ticket.assignee_id = chosen
    session.add(ticket)
    routing_event(session, ticket, "assigned", "assignee_id", None, chosen, reason, now)
    session.flush()
    notifications.on_assigned(session, ticket, None)
    return chosen


def triage_and_assign(session: Session, ticket: Ticket, now: datetime | None = None) -> None:
    """What ticket creation calls: rules first, then the team's auto-assignment."""
    triage(session, ticket, now)
    auto_assign(session, ticket, now)
