"""Monitoring intake: integrations (their tokens, severity map, team and category) and the
alerts they send, which open, annotate and resolve incidents.

Callers use the names re-exported here (`alerts.receive(...)`)."""

from ticketapp.services.alerts.intake import (
    FIRING,
    MAX_ALERTS,
    RESOLVED,
    Alert,
    Outcome,
    receive,
)
from ticketapp.services.alerts.integrations import (
    DEFAULT_MAP,
    PREFIX,
    SEVERITIES,
    IntegrationView,
    ResolvedIntegration,
    choices,
    create_integration,
    list_integrations,
    resolve,
    revoke_integration,
    update_integration,
)

__all__ = [
    "DEFAULT_MAP",
    "FIRING",
    "MAX_ALERTS",
    "PREFIX",
    "RESOLVED",
    "SEVERITIES",
    "Alert",
    "IntegrationView",
    "Outcome",
    "ResolvedIntegration",
    "choices",
    "create_integration",
    "list_integrations",
    "receive",
    "resolve",
    "revoke_integration",
    "update_integration",
]
