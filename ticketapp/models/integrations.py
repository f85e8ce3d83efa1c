"""Tables of the integrations: API tokens, outbound webhooks, monitoring intake."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from ticketapp.models.core import utcnow

# --- REST API (services/api_tokens.py, api/) -------------------------------------------------


class ApiToken(SQLModel, table=True):
    """A personal access token for the REST API. Only an HMAC of the secret is stored; `prefix`
    (the first characters of the secret) lets its owner recognise it in the list."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    scope: str = Field(default="read", max_length=10)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


# --- outbound webhooks ------------------------------------------------------------------------


class WebhookEndpoint(SQLModel, table=True):
    """A receiver a manager registered: where to POST which ticket events, signed with `secret`."""

    __tablename__ = "webhook_endpoint"
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=200)
    events: str = Field(default="", max_length=500)  # comma-separated event names
    is_active: bool = Field(default=True)
    secret: str = Field(max_length=100)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    failing_since: datetime | None = None  # first failed attempt since the last success
    disabled_at: datetime | None = None  # turned off automatically after a day of failures
    disabled_reason: str = Field(default="", max_length=300)  # the last error then


class WebhookStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint (the webhook outbox), written in the transaction of the change
    that caused it; claimed (pending -> sending) atomically, retried with back-off."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_status_next", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_endpoint", "endpoint_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)  # X-Ticketapp-Delivery
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", ondelete="CASCADE")
    event: str = Field(max_length=40)
    event_id: str = Field(max_length=40)  # the payload's "id": the same on a resend
    ticket_number: int | None = None
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=WebhookStatus.PENDING, max_length=20)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    delivered_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str = Field(default="", max_length=1000)
    resent_from_id: int | None = None


class WebhookAttempt(SQLModel, table=True):
    """One HTTP request of a delivery, kept for the endpoint's delivery log."""

    __tablename__ = "webhook_attempt"
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True, ondelete="CASCADE")
    attempted_at: datetime = Field(default_factory=utcnow)
    duration_ms: int = Field(default=0)
    status_code: int | None = None
    ok: bool = Field(default=False)
    error: str = Field(default="", max_length=1000)
    response_excerpt: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


# --- monitoring intake (services/alerts/, api/alerts.py) -----------------------------------


class AlertIntegration(SQLModel, table=True):
    """A monitoring system allowed to POST /api/v1/alerts. Only an HMAC of its token is stored.
    `bot_user_id` is the user its tickets and notes are written as (it never signs in)."""

    __tablename__ = "alert_integration"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)
    # severity -> priority, e.g. {"critical": "urgent", "warning": "high", "info": "normal"}
    severity_map: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    category_id: int | None = Field(default=None, foreign_key="category.id", ondelete="SET NULL")
    # Routing by label, first match wins (services/alerts/label_rules.py):
    # [{"label": "service", "value": "db", "team_id": 3, "category_id": null}, ...]
    label_rules: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    bot_user_id: int = Field(foreign_key="user.id")
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class AlertTicket(SQLModel, table=True):
    """Which ticket an alert (integration + fingerprint) opened, so a repeat adds to it."""

    __tablename__ = "alert_ticket"
    __table_args__ = (Index("ix_alert_ticket_fingerprint", "integration_id", "fingerprint"),)
    id: int | None = Field(default=None, primary_key=True)
    integration_id: int = Field(foreign_key="alert_integration.id", ondelete="CASCADE")
    fingerprint: str = Field(max_length=200)
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
