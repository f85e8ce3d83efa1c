"""Escalation rules: when a ticket has used X % of an SLA target (100 = breached), do one or more
of: notify the assignee, notify the team's managers, raise the priority, reassign to a team or a
person. Each action is written in the ticket history with the rule's name.

A rule fires once per ticket and target, ever: an EscalationFiring row with a unique
(rule, ticket, target) key is inserted in the same transaction as the actions, so two workers or
a restart can never fire it twice.

Modules: actions (what a firing does to a ticket), runner (the scheduler's pass over open
tickets), rules (the rules admin, for managers). Callers use the names re-exported here.
"""

from ticketapp.services.escalation.actions import PRIORITY_UP, TARGET_WORDS
from ticketapp.services.escalation.rules import (
    RuleRow,
    delete_rule,
    list_rules,
    rule_errors,
    save_rule,
)
from ticketapp.services.escalation.runner import RunResult, run

__all__ = [
    "PRIORITY_UP",
    "TARGET_WORDS",
    "RuleRow",
    "RunResult",
    "delete_rule",
    "list_rules",
    "rule_errors",
    "run",
    "save_rule",
]
