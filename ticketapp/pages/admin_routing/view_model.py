"""Triage rules, teams and agents as the page's rows, the rule editor's draft, and everything the
page loads."""

from __future__ import annotations

from typing import TypedDict

from ticketapp.i18n import _
from ticketapp.models import User
from ticketapp.services import directory, routing
from ticketapp.services.actor import Actor

NONE = "none"  # the select value for "any" / "keep"
EMPTY_DRAFT = {
    "name": "",
    "cond_keywords": "",
    "cond_type": NONE,
    "cond_category_id": NONE,
    "cond_requester": "",
    "set_type": NONE,
    "set_category_id": NONE,
    "set_priority": NONE,
    "set_team_id": NONE,
    "active": "true",
}


class RuleRow(TypedDict):
    id: int
    name: str
    summary: str
    active: bool
    draft: dict[str, str]


class TeamRow(TypedDict):
    id: int
    name: str
    mode: str
    members: int


class SkillCell(TypedDict):
    category_id: int
    name: str
    on: bool


class AgentRow(TypedDict):
    id: int
    name: str
    available: bool
    skills: list[SkillCell]


def _id(value: int | None) -> str:
    return str(value) if value else NONE


def _rule_draft(r, requester_email: str) -> dict[str, str]:
    """A rule as the editor's draft (every value a string, NONE for unset)."""
    return {
        "name": r.name,
        "cond_keywords": r.cond_keywords,
        "cond_type": r.cond_type or NONE,
        "cond_category_id": _id(r.cond_category_id),
        "cond_requester": requester_email,
        "set_type": r.set_type or NONE,
        "set_category_id": _id(r.set_category_id),
        "set_priority": r.set_priority or NONE,
        "set_team_id": _id(r.set_team_id),
        "active": "true" if r.active else "false",
    }


def _rule_rows(session, actor: Actor) -> list[RuleRow]:
    requester_emails = {}
    rules = []
    for r in routing.list_rules(session, actor):
        if r.cond_requester_id and r.cond_requester_id not in requester_emails:
            user = session.get(User, r.cond_requester_id)
            requester_emails[r.cond_requester_id] = user.email if user else ""
        email = requester_emails.get(r.cond_requester_id or 0, "")
        rules.append(
            RuleRow(
                id=r.id,
                name=r.name,
                summary=r.summary,
                active=r.active,
                draft=_rule_draft(r, email),
            )
        )
    return rules


def load_page(session, actor: Actor) -> dict:
    """The three tables and the editor's choices (run in one read-only session)."""
    cats = directory.categories(session, actor)
    rules = _rule_rows(session, actor)
    teams = routing.list_teams(session, actor)
    agents = [
        AgentRow(
            id=a.id,
            name=a.name,
            available=a.available,
            skills=[SkillCell(category_id=cid, name=n, on=cid in a.skills) for cid, n in cats],
        )
        for a in routing.list_agents(session, actor)
    ]
    return {
        "rules": rules,
        "teams": [TeamRow(id=t.id, name=t.name, mode=t.mode, members=t.members) for t in teams],
        "agents": agents,
        "cond_category_options": [[NONE, _("Any category")]] + [[str(c), n] for c, n in cats],
        "set_category_options": [[NONE, _("Keep")]] + [[str(c), n] for c, n in cats],
        "set_team_options": [[NONE, _("Keep")]] + [[str(t.id), t.name] for t in teams],
    }
