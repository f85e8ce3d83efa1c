"""Routing rules, for managers: list (with a summary), save, delete, reorder."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from ticketapp import i18n
from ticketapp.models import (
    PRIORITY_LABELS,
    TYPE_LABELS,
    Category,
    Priority,
    RoutingRule,
    Team,
    TicketType,
    User,
    utcnow,
)
from ticketapp.services import security_log
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.routing.common import optional_enum, optional_id
from ticketapp.services.routing.triage import phrases, rules_by_position

MAX_RULES = 500

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
    """The rule in words, in the reader's language (the admin page computes it per viewer)."""
    when = []
    if r.cond_type:
        label = i18n._(TYPE_LABELS.get(TicketType(r.cond_type), r.cond_type))
        when.append(i18n._("type is {type}", type=label))
    if r.cond_category_id:
        cat = session.get(Category, r.cond_category_id)
        when.append(i18n._("category is {category}", category=cat.name if cat else "?"))
    if r.cond_requester_id:
        user = session.get(User, r.cond_requester_id)
        when.append(i18n._("requester is {email}", email=user.email if user else "?"))
    if r.cond_keywords.strip():
        when.append(i18n._("text mentions {keywords}", keywords=r.cond_keywords.strip()))
    then = []
    if r.set_type:
        label = i18n._(TYPE_LABELS.get(TicketType(r.set_type), r.set_type))
        then.append(i18n._("type {type}", type=label))
    if r.set_category_id:
        cat = session.get(Category, r.set_category_id)
        then.append(i18n._("category {category}", category=cat.name if cat else "?"))
    if r.set_priority:
        label = i18n._(PRIORITY_LABELS.get(Priority(r.set_priority), r.set_priority))
        then.append(i18n._("priority {priority}", priority=label))
    if r.set_team_id:
        team = session.get(Team, r.set_team_id)
        then.append(i18n._("team {team}", team=team.name if team else "?"))
    changes = ", ".join(then) or i18n._("nothing")
    if not when:
        return i18n._("Any ticket → set {changes}", changes=changes)
    return i18n._(
        "When {conditions} → set {changes}", conditions=i18n.listing(when), changes=changes
    )


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
        for r in rules_by_position(session)
    ]


def _requester_id(session: Session, value: object) -> int | None:
    email = str(value or "").strip().lower()
    if not email:
        return None
    user = session.exec(select(User).where(func.lower(User.email) == email)).first()
    if user is None:
        raise ValidationError("No user has that e-mail address.", "cond_requester")
    return user.id


@security_log.audited("routing_changed", i18n.N_("Routing rule"))
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
        "cond_type": optional_enum(data.get("cond_type"), TicketType, "cond_type", "type"),
        "cond_category_id": optional_id(
            session, Category, data.get("cond_category_id"), "cond_category_id", "category"
        ),
        "cond_keywords": keywords,
        "cond_requester_id": _requester_id(session, data.get("cond_requester")),
        "set_type": optional_enum(data.get("set_type"), TicketType, "set_type", "type"),
        "set_category_id": optional_id(
            session, Category, data.get("set_category_id"), "set_category_id", "category"
        ),
        "set_priority": optional_enum(
            data.get("set_priority"), Priority, "set_priority", "priority"
        ),
        "set_team_id": optional_id(session, Team, data.get("set_team_id"), "set_team_id", "team"),
    }
    if keywords and not phrases(keywords):
        raise ValidationError("Keywords need at least one word.", "cond_keywords")
    if not any(values[k] for k in ("set_type", "set_category_id", "set_priority", "set_team_id")):
        raise ValidationError("Choose at least one thing the rule sets.", "set_priority")
    if rule_id in (None, "", 0, "0"):
        count = session.exec(select(func.count()).select_from(RoutingRule)).one()
        if count >= MAX_RULES:
            raise ValidationError("At most {n} rules.", "name", n=MAX_RULES)
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


@security_log.audited("routing_changed", i18n.N_("Routing rule"))
def delete_rule(session: Session, actor: Actor, rule_id: object) -> None:
    require_manager(actor)
    session.delete(_get_rule(session, rule_id))
    session.flush()


@security_log.audited("routing_changed", i18n.N_("Routing rule"))
def move_rule(session: Session, actor: Actor, rule_id: object, direction: int) -> None:
    """Swap a rule with its neighbour above (-1) or below (+1)."""
    require_manager(actor)
    rule = _get_rule(session, rule_id)
    rules = rules_by_position(session)
    for pos, r in enumerate(rules):  # normalise positions first
        r.position = pos + 1
    idx = next(i for i, r in enumerate(rules) if r.id == rule.id)
    other = idx + (1 if direction > 0 else -1)
    if 0 <= other < len(rules):
        rules[idx].position, rules[other].position = rules[other].position, rules[idx].position
    for r in rules:
        session.add(r)
    session.flush()
