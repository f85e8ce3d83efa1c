"""Routing alerts by their labels: an integration's rules choose the team and the category of
the incidents its alerts open.

Managers write the rules at /admin/integrations, one per line, first match first:

    service=postgres -> team: Database, category: Infrastructure
    severity=critical -> team: On-call
    # a comment

A rule matches when the alert has that label with exactly that value. The team comes from the
first matching rule that names a team, the category from the first matching rule that names a
category; what no rule chooses falls back to the integration's own team and category. Stored
with ids (renaming a team keeps its rules); a deleted team or category drops out of its rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from ticketapp.i18n import N_
from ticketapp.models import Category, Team
from ticketapp.services.errors import ValidationError

MAX_RULES = 50
MAX_VALUE = 200
FIELD = "label_rules"
_RULE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]{0,99})\s*=\s*(.+?)\s*->\s*(.+)$")
_TARGET = re.compile(r"^(team|category)\s*:\s*(.+)$", re.IGNORECASE)
BAD_RULE = N_("Line {line}: write a rule as label=value -> team: Name, category: Name.")


@dataclass(frozen=True)
class Routed:
    team_id: int | None
    category_id: int | None


def _names(session: Session, model: type) -> dict[str, int]:
    rows = session.exec(select(model.id, model.name)).all()
    return {str(name).casefold(): int(i) for i, name in rows}


def _rule(line: str, number: int, teams: dict[str, int], cats: dict[str, int]) -> dict[str, Any]:
    match = _RULE.match(line)
    if match is None or len(match.group(2)) > MAX_VALUE:
        raise ValidationError(BAD_RULE, FIELD, line=number)
    label, value, targets = match.groups()
    rule: dict[str, Any] = {"label": label, "value": value, "team_id": None, "category_id": None}
    for part in targets.split(","):
        target = _TARGET.match(part.strip())
        if target is None:
            raise ValidationError(BAD_RULE, FIELD, line=number)
        kind, name = target.group(1).lower(), target.group(2).strip()
        known = teams if kind == "team" else cats
        if name.casefold() not in known:
            missing = (
                N_("Line {line}: there is no team named {name}.")
                if kind == "team"
                else N_("Line {line}: there is no category named {name}.")
            )
            raise ValidationError(missing, FIELD, line=number, name=name)
        rule[f"{kind}_id"] = known[name.casefold()]
    return rule


def parse(session: Session, text: object) -> list[dict[str, Any]]:
    """The rules written in `text` (one per line), with team and category names as ids.
    ValidationError naming the line when one cannot be read."""
    teams, cats = _names(session, Team), _names(session, Category)
    rules = []
    for number, raw in enumerate(str(text or "").splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            rules.append(_rule(line, number, teams, cats))
    if len(rules) > MAX_RULES:
        raise ValidationError(N_("Keep it to {n} rules."), FIELD, n=MAX_RULES)
    return rules


def as_text(rules: Sequence[Mapping[str, Any]], teams: dict[int, str], cats: dict[int, str]) -> str:
    """The rules as a manager writes them (those whose team and category are gone left out)."""
    lines = []
    for rule in rules:
        parts = []
        if rule.get("team_id") in teams:
            parts.append(f"team: {teams[rule['team_id']]}")
        if rule.get("category_id") in cats:
            parts.append(f"category: {cats[rule['category_id']]}")
        if parts:
            lines.append(f"{rule['label']}={rule['value']} -> {', '.join(parts)}")
    return "\n".join(lines)


def route(rules: Sequence[Mapping[str, Any]], labels: Mapping[str, str]) -> Routed:
    """The team and the category the rules choose for an alert with these labels (None: no
    rule chose one; the caller falls back to the integration's)."""
    team = category = None
    for rule in rules:
        if labels.get(str(rule.get("label"))) != rule.get("value"):
            continue
        team = team or rule.get("team_id")
        category = category or rule.get("category_id")
    return Routed(team, category)
