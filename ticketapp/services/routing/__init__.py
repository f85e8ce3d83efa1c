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

Modules: common, triage, assignment, rules_admin (routing rules), people (team modes, agents'
availability and skills). Callers use the names re-exported here.
"""

from ticketapp.services.routing.assignment import (
    auto_assign,
    candidates,
    loads,
    triage_and_assign,
)
from ticketapp.services.routing.common import (
    MODE_LABELS,
    OPEN_STATUSES,
    PRIORITY_WEIGHT,
)
from ticketapp.services.routing.people import (
    AgentRouting,
    TeamRouting,
    create_team,
    list_agents,
    list_teams,
    my_availability,
    set_availability,
    set_skill,
    set_team_mode,
)
from ticketapp.services.routing.rules_admin import (
    MAX_RULES,
    RuleView,
    delete_rule,
    list_rules,
    move_rule,
    save_rule,
)
from ticketapp.services.routing.triage import (
    keywords_match,
    phrases,
    rule_matches,
    suggest_category,
    triage,
    word_stems,
)

__all__ = [
    "AgentRouting",
    "MAX_RULES",
    "MODE_LABELS",
    "OPEN_STATUSES",
    "PRIORITY_WEIGHT",
    "RuleView",
    "TeamRouting",
    "auto_assign",
    "candidates",
    "delete_rule",
    "keywords_match",
    "create_team",
    "list_agents",
    "list_rules",
    "list_teams",
    "loads",
    "move_rule",
    "my_availability",
    "phrases",
    "rule_matches",
    "save_rule",
    "set_availability",
    "set_skill",
    "set_team_mode",
    "suggest_category",
    "triage",
    "triage_and_assign",
    "word_stems",
]
