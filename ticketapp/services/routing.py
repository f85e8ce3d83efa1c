"""Automatic triage (rules) and assignment (per team: off, round-robin, least-loaded).

Triage: rules are checked top to bottom (by position); the first active rule whose conditions
all hold is applied. Conditions: ticket type, category, requester, and keywords: comma or
newline separated phrases, a phrase matching when every one of its words occurs in the title or
description in any word form (English and Russian Snowball stems, the same stemmer as the
knowledge-base search; stop words such as "down" or "не" are kept here, they matter).

Assignment: only active agents/managers of the ticket's team who are marked available and, when
the ticket has a category, skilled in it. Round-robin walks the members in id order from a
per-team cursor; least-loaded picks the smallest sum of open tickets weighted by priority
(ties broken round-robin). The ticket history records which rule fired and why that agent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ticketapp.models import (
    PRIORITY_LABELS,
    STAFF_ROLES,
    TYPE_LABELS,
    AgentSkill,
    AutoAssign,
    Category,
    Priority,
    RoutingRule,
    Team,
    TeamMember,
    Ticket,
    TicketEvent,
    TicketStatus,
    TicketType,
    User,
    utcnow,
)
from ticketapp.services import notifications
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.text import stem, words

PRIORITY_WEIGHT = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 4, Priority.URGENT: 8}
OPEN_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.OPEN,
    TicketStatus.IN_PROGRESS,
    TicketStatus.WAITING,
)
MODE_LABELS = {
    AutoAssign.OFF: "Off",
    AutoAssign.ROUND_ROBIN: "Round-robin",
    AutoAssign.LEAST_LOADED: "Least loaded",
}
_PHRASE_SPLIT = re.compile(r"[,;\n]+")
MAX_RULES = 500


# --- keywords -------------------------------------------------------------------------------


def word_stems(text: str) -> list[str]:
    """Every word of `text` (stop words kept), folded and stemmed by its script."""
    return [stem(w) for w in words(text) if w]


def phrases(keywords: str) -> list[list[str]]:
    out = []
    for raw in _PHRASE_SPLIT.split(keywords or ""):
        stems = word_stems(raw)
        if stems:
            out.append(stems)
    return out


def keywords_match(keywords: str, text_stems: set[str]) -> bool:
    """True when any phrase of `keywords` has all its word stems in `text_stems`."""
    return any(all(s in text_stems for s in phrase) for phrase in phrases(keywords))


def _rules(session: Session) -> list[RoutingRule]:
    return list(
        session.exec(
            select(RoutingRule).order_by(col(RoutingRule.position), col(RoutingRule.id))
        ).all()
    )


def rule_matches(rule: RoutingRule, ticket: Ticket, text_stems: set[str]) -> bool:
    if not rule.active:
        return False
    if rule.cond_type and rule.cond_type != ticket.type:
        return False
    if rule.cond_category_id and rule.cond_category_id != ticket.category_id:
        return False
    if rule.cond_requester_id and rule.cond_requester_id != ticket.requester_id:
        return False
    keywords = rule.cond_keywords.strip()
    return not keywords or keywords_match(keywords, text_stems)


def _event(
    session: Session,
    ticket: Ticket,
    kind: str,
    field_name: str,
    old: object,
    new: object,
    reason: str,
    now: datetime,
) -> None:
    assert ticket.id is not None
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            actor_id=None,
            created_at=now,
            kind=kind,
            field=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
            reason=reason,
        )
    )


def triage(session: Session, ticket: Ticket, now: datetime | None = None) -> RoutingRule | None:
    """Apply the first matching rule to a new ticket (no commit). Returns the rule, if any."""
    now = now or utcnow()
    text_stems = set(word_stems(f"{ticket.title}\n{ticket.description}"))
    for rule in _rules(session):
        if not rule_matches(rule, ticket, text_stems):
            continue
        reason = f"Triage rule “{rule.name}”"
        for name, value in (
            ("type", rule.set_type),
            ("category_id", rule.set_category_id),
            ("priority", rule.set_priority),
            ("team_id", rule.set_team_id),
        ):
            if value is None or value == "" or getattr(ticket, name) == value:
                continue
            old = getattr(ticket, name)
            setattr(ticket, name, value)
            _event(session, ticket, "triaged", name, old, value, reason, now)
        session.add(ticket)
        session.flush()
        return rule
    return None


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
    skill = f"skilled in {category.name}" if category else "any category"
    if not ids:
        _event(
            session,
            ticket,
            "assignment_skipped",
            "assignee_id",
            None,
            None,
            f"No available agent in team {team.name} ({skill}); left unassigned",
            now,
        )
        return None
    order = _rotate(ids, team.rr_cursor_user_id)
    names = _names(session, ids)
    if team.auto_assign == AutoAssign.ROUND_ROBIN:
        chosen = order[0]
        reason = (
            f"Round-robin in team {team.name}: next in turn among {len(ids)} available agent(s), "
            f"{skill}"
        )
    else:
        load = loads(session, ids)
        chosen = min(order, key=lambda uid: load[uid])  # min keeps the first of equals
        others = ", ".join(
            f"{names.get(uid, uid)} {load[uid][0]}" for uid in order if uid != chosen
        )
        reason = (
            f"Least loaded in team {team.name}: load {load[chosen][0]} "
            f"({load[chosen][1]} open ticket(s), weighted by priority)"
            + (f" vs {others}" if others else "")
            + f"; available, {skill}"
        )
    team.rr_cursor_user_id = chosen
    session.add(team)
    ticket.assignee_id = chosen
    session.add(ticket)
    _event(session, ticket, "assigned", "assignee_id", None, chosen, reason, now)
    session.flush()
    notifications.on_assigned(session, ticket, None)
    return chosen


def triage_and_assign(session: Session, ticket: Ticket, now: datetime | None = None) -> None:
    """What ticket creation calls: rules first, then the team's auto-assignment."""
    triage(session, ticket, now)
    auto_assign(session, ticket, now)


# --- suggestions for the requester form ------------------------------------------------------


def suggest_category(session: Session, actor: Actor, text: object) -> tuple[int, str] | None:
    """The category a new ticket with this text would most likely get (rules, then names)."""
    text = str(text or "")[:5000]
    stems = set(word_stems(text))
    if not stems:
        return None
    for rule in _rules(session):
        if (
            rule.active
            and rule.set_category_id
            and rule.cond_keywords.strip()
            and keywords_match(rule.cond_keywords, stems)
        ):
            cat = session.get(Category, rule.set_category_id)
            if cat is not None:
                return cat.id, cat.name  # type: ignore[return-value]
    for cat in session.exec(select(Category).order_by(col(Category.name))).all():
        name_stems = [s for s in word_stems(cat.name) if len(s) > 2]
        if name_stems and all(s in stems for s in name_stems):
            return cat.id, cat.name  # type: ignore[return-value]
    return None


# --- administration (managers) ---------------------------------------------------------------


@dataclass(frozen=True)
class RuleView:
    id: int
    name: str
    position: int
    active: bool
    cond_type: str
    cond_category_id: int | None
    cond_keywords: str
    cond_requester_id: int | None
    set_type: str
    set_category_id: int | None
    set_priority: str
    set_team_id: int | None
    summary: str


def _rule_summary(session: Session, r: RoutingRule) -> str:
    when = []
    if r.cond_type:
        when.append(f"type is {TYPE_LABELS.get(TicketType(r.cond_type), r.cond_type)}")
    if r.cond_category_id:
        cat = session.get(Category, r.cond_category_id)
        when.append(f"category is {cat.name if cat else '?'}")
    if r.cond_requester_id:
        user = session.get(User, r.cond_requester_id)
        when.append(f"requester is {user.email if user else '?'}")
    if r.cond_keywords.strip():
        when.append(f"text mentions {r.cond_keywords.strip()!s}")
    then = []
    if r.set_type:
        then.append(f"type {TYPE_LABELS.get(TicketType(r.set_type), r.set_type)}")
    if r.set_category_id:
        cat = session.get(Category, r.set_category_id)
        then.append(f"category {cat.name if cat else '?'}")
    if r.set_priority:
        then.append(f"priority {PRIORITY_LABELS.get(Priority(r.set_priority), r.set_priority)}")
    if r.set_team_id:
        team = session.get(Team, r.set_team_id)
        then.append(f"team {team.name if team else '?'}")
    return f"When {' and '.join(when) or 'any ticket'} → set {', '.join(then) or 'nothing'}"


def list_rules(session: Session, actor: Actor) -> list[RuleView]:
    require_manager(actor)
    return [
        RuleView(
            id=r.id,  # type: ignore[arg-type]
            name=r.name,
            position=r.position,
            active=r.active,
            cond_type=r.cond_type or "",
            cond_category_id=r.cond_category_id,
            cond_keywords=r.cond_keywords,
            cond_requester_id=r.cond_requester_id,
            set_type=r.set_type or "",
            set_category_id=r.set_category_id,
            set_priority=r.set_priority or "",
            set_team_id=r.set_team_id,
            summary=_rule_summary(session, r),
        )
        for r in _rules(session)
    ]


def _opt_id(session: Session, model: type, value: object, field_name: str, what: str) -> int | None:
    if value in (None, "", "none", "any"):
        return None
    try:
        obj_id = int(str(value))
    except ValueError:
        raise ValidationError(f"Choose a {what}.", field_name) from None
    if session.get(model, obj_id) is None:
        raise ValidationError(f"That {what} no longer exists.", field_name)
    return obj_id


def _opt_enum(value: object, enum: type, field_name: str, what: str) -> str | None:
    if value in (None, "", "none", "any"):
        return None
    try:
        return enum(str(value)).value
    except ValueError:
        raise ValidationError(f"Choose a {what}.", field_name) from None


def _requester_id(session: Session, value: object) -> int | None:
    email = str(value or "").strip().lower()
    if not email:
        return None
    user = session.exec(select(User).where(func.lower(User.email) == email)).first()
    if user is None:
        raise ValidationError("No user has that e-mail address.", "cond_requester")
    return user.id


def save_rule(session: Session, actor: Actor, rule_id: object, data: dict) -> int:
    """Create (rule_id None) or update a rule from form data; returns its id."""
    require_manager(actor)
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        raise ValidationError("Give the rule a name.", "name")
    if len(name) > 120:
        raise ValidationError("Keep the name under 120 characters.", "name")
    keywords = str(data.get("cond_keywords") or "").strip()
    if len(keywords) > 2000:
        raise ValidationError("Keep the keywords under 2,000 characters.", "cond_keywords")
    values = {
        "name": name,
        "active": data.get("active", True) not in (False, "false", "off", "0", ""),
        "cond_type": _opt_enum(data.get("cond_type"), TicketType, "cond_type", "type"),
        "cond_category_id": _opt_id(
            session, Category, data.get("cond_category_id"), "cond_category_id", "category"
        ),
        "cond_keywords": keywords,
        "cond_requester_id": _requester_id(session, data.get("cond_requester")),
        "set_type": _opt_enum(data.get("set_type"), TicketType, "set_type", "type"),
        "set_category_id": _opt_id(
            session, Category, data.get("set_category_id"), "set_category_id", "category"
        ),
        "set_priority": _opt_enum(data.get("set_priority"), Priority, "set_priority", "priority"),
        "set_team_id": _opt_id(session, Team, data.get("set_team_id"), "set_team_id", "team"),
    }
    if keywords and not phrases(keywords):
        raise ValidationError("Keywords need at least one word.", "cond_keywords")
    if not any(values[k] for k in ("set_type", "set_category_id", "set_priority", "set_team_id")):
        raise ValidationError("Choose at least one thing the rule sets.", "set_priority")
    if rule_id in (None, "", 0, "0"):
        count = session.exec(select(func.count()).select_from(RoutingRule)).one()
        if count >= MAX_RULES:
            raise ValidationError(f"At most {MAX_RULES} rules.", "name")
        top = session.exec(select(func.max(RoutingRule.position))).one()
        rule = RoutingRule(position=(top or 0) + 1, **values)
    else:
        rule = _get_rule(session, rule_id)
        for key, value in values.items():
            setattr(rule, key, value)
        rule.updated_at = utcnow()
    session.add(rule)
    session.flush()
    assert rule.id is not None
    return rule.id


def _get_rule(session: Session, rule_id: object) -> RoutingRule:
    try:
        rid = int(str(rule_id))
    except ValueError:
        raise NotFound("That rule no longer exists.") from None
    rule = session.get(RoutingRule, rid)
    if rule is None:
        raise NotFound("That rule no longer exists.")
    return rule


def delete_rule(session: Session, actor: Actor, rule_id: object) -> None:
    require_manager(actor)
    session.delete(_get_rule(session, rule_id))
    session.flush()


def move_rule(session: Session, actor: Actor, rule_id: object, direction: int) -> None:
    """Swap a rule with its neighbour above (-1) or below (+1)."""
    require_manager(actor)
    rule = _get_rule(session, rule_id)
    rules = _rules(session)
    for pos, r in enumerate(rules):  # normalise positions first
        r.position = pos + 1
    idx = next(i for i, r in enumerate(rules) if r.id == rule.id)
    other = idx + (1 if direction > 0 else -1)
    if 0 <= other < len(rules):
        rules[idx].position, rules[other].position = rules[other].position, rules[idx].position
    for r in rules:
        session.add(r)
    session.flush()


@dataclass(frozen=True)
class TeamRouting:
    id: int
    name: str
    mode: str
    members: int


def list_teams(session: Session, actor: Actor) -> list[TeamRouting]:
    require_staff(actor)
    counts = dict(
        session.exec(select(TeamMember.team_id, func.count()).group_by(TeamMember.team_id)).all()
    )
    return [
        TeamRouting(t.id, t.name, t.auto_assign, counts.get(t.id, 0))  # type: ignore[arg-type]
        for t in session.exec(select(Team).order_by(col(Team.name))).all()
    ]


def set_team_mode(session: Session, actor: Actor, team_id: object, mode: object) -> None:
    require_manager(actor)
    team = session.get(Team, _opt_id(session, Team, team_id, "team", "team") or 0)
    if team is None:
        raise NotFound("That team no longer exists.")
    team.auto_assign = _opt_enum(mode, AutoAssign, "mode", "mode") or AutoAssign.OFF
    session.add(team)
    session.flush()


@dataclass(frozen=True)
class AgentRouting:
    id: int
    name: str
    email: str
    available: bool
    skills: list[int]


def list_agents(session: Session, actor: Actor) -> list[AgentRouting]:
    require_staff(actor)
    users = session.exec(
        select(User)
        .where(col(User.role).in_(list(STAFF_ROLES)), col(User.is_active).is_(True))
        .order_by(col(User.name))
    ).all()
    skills: dict[int, list[int]] = {}
    for uid, cid in session.exec(select(AgentSkill.user_id, AgentSkill.category_id)).all():
        skills.setdefault(uid, []).append(cid)
    return [
        AgentRouting(u.id, u.name, u.email, u.is_available, sorted(skills.get(u.id, [])))  # type: ignore[arg-type]
        for u in users
    ]


def _staff_user(session: Session, actor: Actor, user_id: object) -> User:
    try:
        uid = int(str(user_id))
    except ValueError:
        raise NotFound("That agent no longer exists.") from None
    if uid != actor.id:
        require_manager(actor)
    else:
        require_staff(actor)
    user = session.get(User, uid)
    if user is None or user.role not in STAFF_ROLES:
        raise NotFound("That agent no longer exists.")
    return user


def set_availability(session: Session, actor: Actor, user_id: object, available: bool) -> None:
    """Managers for anyone; agents for themselves."""
    user = _staff_user(session, actor, user_id)
    user.is_available = available is True
    session.add(user)
    session.flush()


def set_skill(
    session: Session, actor: Actor, user_id: object, category_id: object, skilled: bool
) -> None:
    user = _staff_user(session, actor, user_id)
    require_manager(actor)
    cid = _opt_id(session, Category, category_id, "category", "category")
    if cid is None:
        raise ValidationError("Choose a category.", "category")
    exists = session.get(AgentSkill, (user.id, cid))
    if skilled and exists is None:
        session.add(AgentSkill(user_id=user.id, category_id=cid))  # type: ignore[arg-type]
    elif not skilled and exists is not None:
        session.execute(
            delete(AgentSkill).where(
                col(AgentSkill.user_id) == user.id, col(AgentSkill.category_id) == cid
            )
        )
    session.flush()
