"""Alerts in, incidents out. A firing alert opens an incident (title from its name and summary,
priority from its severity through the integration's map, team and category from its labels by
the integration's rules (label_rules.py), else the integration's own);
the same fingerprint firing while that ticket is open adds a note to it instead; "resolved" adds
a note and resolves the ticket when no person has touched it, otherwise only notes it.

The ticket's channel is "monitoring" (its description also names the integration), and
`AlertTicket` links the ticket to its integration and fingerprint."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import (
    AlertIntegration,
    AlertTicket,
    Category,
    Team,
    Ticket,
    TicketChannel,
    TicketEvent,
    TicketStatus,
    TicketType,
    utcnow,
)
from ticketapp.services import tickets
from ticketapp.services.actor import Actor
from ticketapp.services.alerts import label_rules
from ticketapp.services.alerts.integrations import DEFAULT_MAP, ResolvedIntegration
from ticketapp.services.audit import record_event
from ticketapp.services.tickets.common import MAX_DETAIL, MAX_TITLE, flush_ticket

FIRING, RESOLVED = "firing", "resolved"
DONE = (TicketStatus.RESOLVED, TicketStatus.CLOSED)
MAX_ALERTS = 200  # per request
MAX_FINGERPRINT = 200


@dataclass(frozen=True)
class Alert:
    """One alert, whichever shape it arrived in."""

    status: str  # "firing" or "resolved"
    name: str
    fingerprint: str = ""
    summary: str = ""
    description: str = ""
    severity: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    source_url: str = ""

    def key(self) -> str:
        """Its fingerprint, or one derived from its labels (Alertmanager's idea of identity)."""
        if self.fingerprint:
            return self.fingerprint[:MAX_FINGERPRINT]
        labels = self.labels or {"alertname": self.name}
        return hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Outcome:
    fingerprint: str
    action: str  # "opened", "updated", "resolved", "noted" or "ignored"
    ticket_number: int | None = None
    ticket_id: int | None = None


def receive(
    session: Session, source: ResolvedIntegration, alerts: Sequence[Alert]
) -> list[Outcome]:
    """Apply a batch of alerts from one integration (serialised per integration)."""
    integration = session.exec(
        select(AlertIntegration).where(AlertIntegration.id == source.id).with_for_update()
    ).one()
    return [
        _one(session, integration, source.bot, _without_nul(alert)) for alert in alerts[:MAX_ALERTS]
    ]


def _nul_free(text: str) -> str:
    return text.replace("\x00", "")


def _without_nul(alert: Alert) -> Alert:
    """PostgreSQL text cannot hold NUL characters; monitoring text has no use for them."""
    texts = {
        name: _nul_free(getattr(alert, name))
        for name in ("name", "fingerprint", "summary", "description", "severity", "source_url")
    }
    labels = {_nul_free(k): _nul_free(v) for k, v in alert.labels.items()}
    notes = {_nul_free(k): _nul_free(v) for k, v in alert.annotations.items()}
    return replace(alert, labels=labels, annotations=notes, **texts)


def _one(session: Session, integration: AlertIntegration, bot: Actor, alert: Alert) -> Outcome:
    key = alert.key()
    link, ticket = _open_link(session, integration.id, key)  # type: ignore[arg-type]
    if alert.status == FIRING and ticket is None:
        return _open(session, integration, bot, alert, key)
    if ticket is None or link is None:
        return Outcome(key, "ignored")
    link.last_seen_at = utcnow()
    session.add(link)
    if alert.status == FIRING:
        tickets.add_comment(session, bot, ticket.id, _firing_note(alert))
        return Outcome(key, "updated", ticket.number, ticket.id)
    return _resolve(session, bot, ticket, alert, key)


def _open_link(
    session: Session, integration_id: int, key: str
) -> tuple[AlertTicket | None, Ticket | None]:
    """The latest ticket this alert opened, if it is still open."""
    row = session.exec(
        select(AlertTicket, Ticket)
        .join(Ticket, col(Ticket.id) == AlertTicket.ticket_id)
        .where(AlertTicket.integration_id == integration_id, AlertTicket.fingerprint == key)
        .order_by(col(AlertTicket.id).desc())
        .limit(1)
    ).first()
    if row is None or row[1].status in DONE:
        return None, None
    return row[0], row[1]


def _open(
    session: Session, integration: AlertIntegration, bot: Actor, alert: Alert, key: str
) -> Outcome:
    now = utcnow()
    started = alert.starts_at if alert.starts_at and alert.starts_at <= now else now
    mapping = {**DEFAULT_MAP, **integration.severity_map}
    priority = mapping.get(alert.severity.lower(), mapping["warning"])
    team_id, category_id = _routed(session, integration, alert)
    made = tickets.create_ticket(
        session,
        bot,
        title=_title(alert),
        description=_description(integration.name, alert, key),
        type=TicketType.INCIDENT,
        category_id=category_id,
        impact=priority,
        details={"affected_service": _service(alert), "started_at": started.isoformat()},
        channel=TicketChannel.MONITORING,
    )
    if team_id is not None:
        _set_team(session, made.id, team_id, now)
    session.add(
        AlertTicket(
            integration_id=integration.id,  # type: ignore[arg-type]
            fingerprint=key,
            ticket_id=made.id,
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    return Outcome(key, "opened", made.number, made.id)


def _routed(
    session: Session, integration: AlertIntegration, alert: Alert
) -> tuple[int | None, int | None]:
    """Team and category: the integration's label rules first, then its own (a team or category
    deleted since a rule named it is skipped)."""
    labels = {"severity": alert.severity, **alert.labels} if alert.severity else alert.labels
    chosen = label_rules.route(integration.label_rules, labels)
    team = chosen.team_id if chosen.team_id and session.get(Team, chosen.team_id) else None
    category = chosen.category_id
    if category and session.get(Category, category) is None:
        category = None
    return team or integration.team_id, category or integration.category_id


def _set_team(session: Session, ticket_id: int, team_id: int, now: datetime) -> None:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.team_id == team_id:
        return
    record_event(session, ticket_id, None, "assigned", "team_id", ticket.team_id, team_id, now)
    ticket.team_id = team_id
    session.add(ticket)
    flush_ticket(session, ticket)


def _touched_by_a_person(session: Session, ticket_id: int, bot_id: int) -> bool:
    """Anything a person did on the ticket (every change and comment writes an event)."""
    return (
        session.exec(
            select(TicketEvent.id)
            .where(
                TicketEvent.ticket_id == ticket_id,
                col(TicketEvent.actor_id).is_not(None),
                TicketEvent.actor_id != bot_id,
            )
            .limit(1)
        ).first()
        is not None
    )


def _resolve(session: Session, bot: Actor, ticket: Ticket, alert: Alert, key: str) -> Outcome:
    touched = _touched_by_a_person(session, ticket.id, bot.id)  # type: ignore[arg-type]
    tickets.add_comment(session, bot, ticket.id, _resolved_note(alert, touched))
    if touched:
        return Outcome(key, "noted", ticket.number, ticket.id)
    fresh = session.get(Ticket, ticket.id)
    assert fresh is not None
    session.refresh(fresh)
    if fresh.status not in DONE:
        tickets.apply_status(session, fresh, TicketStatus.RESOLVED, None, utcnow())
        flush_ticket(session, fresh)
    return Outcome(key, "resolved", ticket.number, ticket.id)


# --- text -------------------------------------------------------------------------------------


def _title(alert: Alert) -> str:
    title = f"{alert.name}: {alert.summary}" if alert.summary else alert.name
    title = " ".join(title.split()) or i18n._("Alert")
    return title[: MAX_TITLE - 1] + "…" if len(title) > MAX_TITLE else title


def _service(alert: Alert) -> str:
    labels = alert.labels
    name = labels.get("service") or labels.get("job") or labels.get("instance") or alert.name
    return (name or i18n._("Alert"))[:MAX_DETAIL]


def _lines(values: dict[str, str]) -> str:
    return "\n".join(f"- {k}: {v}" for k, v in sorted(values.items()))


def _description(integration: str, alert: Alert, key: str) -> str:
    parts = [alert.description] if alert.description else []
    notes = {k: v for k, v in alert.annotations.items() if k not in ("summary", "description")}
    if notes:
        parts.append(i18n._("Annotations:") + "\n" + _lines(notes))
    if alert.labels:
        parts.append(i18n._("Labels:") + "\n" + _lines(alert.labels))
    about = i18n._(
        "Channel: monitoring (integration {name}). Fingerprint: {fingerprint}.",
        name=integration,
        fingerprint=key,
    )
    if alert.source_url:
        about += "\n" + i18n._("Source: {url}", url=alert.source_url)
    parts.append(about)
    return "\n\n".join(parts)[:20_000]


def _when(moment: datetime | None) -> str:
    return (moment or utcnow()).replace(microsecond=0, tzinfo=None).isoformat(sep=" ") + " UTC"


def _firing_note(alert: Alert) -> str:
    return i18n._(
        "The alert {name} fired again (firing since {since}).",
        name=alert.name,
        since=_when(alert.starts_at),
    )


def _resolved_note(alert: Alert, touched: bool) -> str:
    if touched:
        return i18n._(
            "The alert {name} was resolved at {at}. Someone worked on this ticket, so it "
            "stays as it is.",
            name=alert.name,
            at=_when(alert.ends_at),
        )
    return i18n._(
        "The alert {name} was resolved at {at}; the ticket is resolved with it.",
        name=alert.name,
        at=_when(alert.ends_at),
    )
