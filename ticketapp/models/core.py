"""Database tables. Plain SQLModel; every schema change also gets an Alembic migration.

Times are timezone-aware UTC datetimes (SQLModel's UTCDateTime); `utcnow()` is the one clock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from ticketapp.i18n import N_


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    REQUESTER = "requester"
    AGENT = "agent"
    MANAGER = "manager"


STAFF_ROLES = frozenset({Role.AGENT, Role.MANAGER})
ROLE_LABELS = {
    Role.REQUESTER: N_("Requester"),
    Role.AGENT: N_("Agent"),
    Role.MANAGER: N_("Manager"),
}


class TicketStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"


STATUS_LABELS = {
    TicketStatus.NEW: N_("New"),
    TicketStatus.OPEN: N_("Open"),
    TicketStatus.IN_PROGRESS: N_("In progress"),
    TicketStatus.WAITING: N_("Waiting on requester"),
    TicketStatus.RESOLVED: N_("Resolved"),
    TicketStatus.CLOSED: N_("Closed"),
}


class TicketType(StrEnum):
    QUESTION = "question"
    INCIDENT = "incident"
    PROBLEM = "problem"
    FEATURE_REQUEST = "feature_request"
    CHANGE_REQUEST = "change_request"


class TicketChannel(StrEnum):
    WEB = "web"
    EMAIL = "email"
    MONITORING = "monitoring"


CHANNEL_LABELS = {
    TicketChannel.WEB: N_("Web"),
    TicketChannel.EMAIL: N_("E-mail"),
    TicketChannel.MONITORING: N_("Monitoring"),
}

TYPE_LABELS = {
    TicketType.QUESTION: N_("Question"),
    TicketType.INCIDENT: N_("Incident"),
    TicketType.PROBLEM: N_("Problem"),
    TicketType.FEATURE_REQUEST: N_("Feature request"),
    TicketType.CHANGE_REQUEST: N_("Change request"),
}


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_LABELS = {
    Priority.LOW: N_("Low"),
    Priority.NORMAL: N_("Normal"),
    Priority.HIGH: N_("High"),
    Priority.URGENT: N_("Urgent"),
}


class KbStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class KbAudience(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=120)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.REQUESTER, max_length=20, index=True)
    is_active: bool = Field(default=True)
    is_available: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    # The interface language ("en", "ru", "pl", "lv"); "" until chosen: the browser's decides.
    locale: str = Field(default="", max_length=8)


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    description: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    # ROUTING: "off", "round_robin" or "least_loaded"; the cursor is the last agent picked.
    auto_assign: str = Field(default="off", max_length=20)
    rr_cursor_user_id: int | None = Field(default=None)


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")


class Category(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    description: str = Field(default="", max_length=500)


class Ticket(SQLModel, table=True):
    __table_args__ = (
        Index("ix_ticket_status_rank", "status", "rank"),
        Index("ix_ticket_assignee_status", "assignee_id", "status"),
        Index("ix_ticket_requester_updated", "requester_id", "updated_at"),
        # The ticket list's and the API's default order (alembic/versions/0022).
        Index("ix_ticket_updated", "updated_at", "id"),
        # Partial: almost every ticket has none, and a full index's statistics (all those
        # NULLs as one value) led the planner to scan the table instead (alembic/versions/0007).
        Index(
            "ix_ticket_merged_into_id",
            "merged_into_id",
            sqlite_where=text("merged_into_id IS NOT NULL"),
            postgresql_where=text("merged_into_id IS NOT NULL"),
        ),
        # Analytics (migration "analytics"): covering indexes, see alembic/versions/0004.
        Index(
            "ix_ticket_backlog",
            "status",
            "priority",
            "type",
            "category_id",
            "merged_into_id",
            "team_id",
            "assignee_id",
            "created_at",
            "due_at",
        ),
        Index(
            "ix_ticket_created_cover",
            "created_at",
            "merged_into_id",
            "first_response_at",
            "team_id",
            "category_id",
        ),
        Index(
            "ix_ticket_resolved_cover",
            "status",
            "resolved_at",
            "merged_into_id",
            "created_at",
            "assignee_id",
            "team_id",
            "category_id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True, index=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    type: str = Field(default=TicketType.QUESTION, max_length=30, index=True)
    category_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    impact: str = Field(default=Priority.NORMAL, max_length=20)
    priority: str = Field(default=Priority.NORMAL, max_length=20, index=True)
    status: str = Field(default=TicketStatus.NEW, max_length=20, index=True)
    requester_id: int = Field(foreign_key="user.id")
    assignee_id: int | None = Field(default=None, foreign_key="user.id")
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    # Type-specific answers (affected service, steps to reproduce, desired date, ...).
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    first_response_at: datetime | None = None
    first_response_due_at: datetime | None = None
    due_at: datetime | None = Field(default=None, index=True)
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    resolution_count: int = Field(default=0)
    requester_seen_at: datetime | None = None
    merged_into_id: int | None = Field(default=None, foreign_key="ticket.id")
    # Position within its board column: fractional index, so a move rewrites one row.
    rank: str = Field(default="", max_length=64)
    idempotency_key: str | None = Field(default=None, max_length=64, unique=True)
    version: int = Field(default=1)
    # SLA (services/sla.py): the policy in force; when the clock stopped (waiting/resolved).
    # (no FK: deleting a policy clears it in services/sla.py)
    sla_policy_id: int | None = Field(default=None, index=True)
    sla_paused_at: datetime | None = None
    # Where it came from: "web" (portal, API) or "email" (services/mail/).
    channel: str = Field(default="web", max_length=20, index=True)

    @declared_attr
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        # Optimistic concurrency: an UPDATE on a stale copy raises StaleDataError.
        return {"version_id_col": cls.__table__.c.version}


class BoardWipLimit(SQLModel, table=True):
    """A manager's work-in-progress limit for one board column (status)."""

    __tablename__ = "board_wip_limit"
    status: str = Field(primary_key=True, max_length=20)
    wip_limit: int
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class TicketLink(SQLModel, table=True):
    __tablename__ = "ticket_link"
    __table_args__ = (UniqueConstraint("ticket_id", "other_ticket_id"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    other_ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    kind: str = Field(default="related", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class Comment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    is_internal: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    comment_id: int | None = Field(default=None, foreign_key="comment.id", ondelete="CASCADE")
    uploader_id: int = Field(foreign_key="user.id")
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=120)
    size: int
    storage_name: str = Field(max_length=80, unique=True)
    thumbnail_name: str | None = Field(default=None, max_length=80)
    created_at: datetime = Field(default_factory=utcnow)


class TicketEvent(SQLModel, table=True):
    """Audit trail: one row per change, written in the same transaction as the change."""

    __tablename__ = "ticket_event"
    __table_args__ = (
        # Analytics (migration "analytics"): reopen rate.
        Index("ix_ticket_event_kind_new_created", "kind", "new_value", "created_at", "ticket_id"),
        Index(
            "ix_ticket_event_ticket_kind",
            "ticket_id",
            "kind",
            "created_at",
            "old_value",
            "new_value",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    kind: str = Field(max_length=30, index=True)
    field: str | None = Field(default=None, max_length=40)
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))
    # ROUTING: why an automatic rule did this (e.g. why this agent was chosen).
    reason: str | None = Field(default=None, sa_column=Column(Text))


class TimeEntry(SQLModel, table=True):
    __tablename__ = "time_entry"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id")
    minutes: int
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class SatisfactionRating(SQLModel, table=True):
    __tablename__ = "satisfaction_rating"
    __table_args__ = (UniqueConstraint("ticket_id", "resolution_no"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    resolution_no: int
    rater_id: int = Field(foreign_key="user.id")
    score: int
    comment: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class KbArticle(SQLModel, table=True):
    __tablename__ = "kb_article"
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=160, unique=True, index=True)
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    category_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    tags: str = Field(default="", max_length=500)
    status: str = Field(default=KbStatus.DRAFT, max_length=20, index=True)
    audience: str = Field(default=KbAudience.PUBLIC, max_length=20)
    language: str = Field(default="en", max_length=8)
    author_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    helpful_yes: int = Field(default=0)
    helpful_no: int = Field(default=0)


class KbArticleVersion(SQLModel, table=True):
    __tablename__ = "kb_article_version"
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="kb_article.id", index=True, ondelete="CASCADE")
    version_no: int
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    tags: str = Field(default="", max_length=500)
    editor_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class KbFeedback(SQLModel, table=True):
    __tablename__ = "kb_feedback"
    __table_args__ = (UniqueConstraint("article_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="kb_article.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id")
    helpful: bool
    created_at: datetime = Field(default_factory=utcnow)


class KbDeflection(SQLModel, table=True):
    __tablename__ = "kb_deflection"
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="kb_article.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    query: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class AuthSession(SQLModel, table=True):
    """A signed-in browser. Only an HMAC of the token is stored."""

    __tablename__ = "auth_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    user_agent: str = Field(default="", max_length=300)


class LoginAttempt(SQLModel, table=True):
    """Failed sign-ins per email address, for lockout (kept for unknown emails too)."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_email_created", "email", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    created_at: datetime = Field(default_factory=utcnow)


# --- SLA and escalation (services/sla.py, services/escalation.py, services/scheduler.py) -----


class SlaTarget(StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


class BusinessCalendar(SQLModel, table=True):
    """Working days and hours in a time zone, with holidays (local dates, ISO strings)."""

    __tablename__ = "business_calendar"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    time_zone: str = Field(default="UTC", max_length=64)
    # Python weekday numbers (Monday = 0), comma-separated.
    working_days: str = Field(default="0,1,2,3,4", max_length=20)
    start_hour: int = Field(default=9)
    end_hour: int = Field(default=17)
    holidays: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class SlaPolicy(SQLModel, table=True):
    __tablename__ = "sla_policy"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    priority: str = Field(max_length=20, index=True)
    category_id: int | None = Field(default=None, foreign_key="category.id", ondelete="CASCADE")
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="CASCADE")
    first_response_minutes: int
    resolution_minutes: int
    business_hours: bool = Field(default=True)
    calendar_id: int | None = Field(
        default=None, foreign_key="business_calendar.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# --- routing (triage rules, skills) and notifications -------------------------------------------


class AutoAssign(StrEnum):
    OFF = "off"
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"


class AgentSkill(SQLModel, table=True):
    """An agent can take tickets of this category (auto-assignment)."""

    __tablename__ = "agent_skill"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    category_id: int = Field(foreign_key="category.id", primary_key=True, ondelete="CASCADE")


class RoutingRule(SQLModel, table=True):
    """A triage rule: every condition that is set must hold; then the actions apply."""

    __tablename__ = "routing_rule"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    position: int = Field(default=0, index=True)
    active: bool = Field(default=True)
    cond_type: str | None = Field(default=None, max_length=30)
    cond_category_id: int | None = Field(
        default=None, foreign_key="category.id", ondelete="SET NULL"
    )
    # Comma/newline separated phrases; a phrase matches when all its words occur (any form).
    cond_keywords: str = Field(default="", max_length=2000)
    cond_requester_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    set_category_id: int | None = Field(
        default=None, foreign_key="category.id", ondelete="SET NULL"
    )
    set_priority: str | None = Field(default=None, max_length=20)
    set_type: str | None = Field(default=None, max_length=30)
    set_team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SlaClockEvent(SQLModel, table=True):
    """The SLA clock of one ticket as an explicit log: start, pause, resume, first_response_met,
    breached, resolved, recomputed."""

    __tablename__ = "sla_clock_event"
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=30)
    target: str | None = Field(default=None, max_length=20)
    at: datetime = Field(default_factory=utcnow)
    detail: str = Field(default="", max_length=300)


class EscalationRule(SQLModel, table=True):
    __tablename__ = "escalation_rule"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    target: str = Field(default=SlaTarget.RESOLUTION, max_length=20)
    # Fires when this share of the target has elapsed; 100 = on breach.
    threshold_percent: int = Field(default=100)
    # Only tickets under this SLA policy (None = every ticket with an SLA).
    policy_id: int | None = Field(default=None, foreign_key="sla_policy.id", ondelete="CASCADE")
    notify_assignee: bool = Field(default=False)
    notify_team_managers: bool = Field(default=False)
    raise_priority: bool = Field(default=False)
    reassign_team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    reassign_user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class EscalationFiring(SQLModel, table=True):
    """A rule fired for a ticket and target: the unique key makes it fire once, ever."""

    __tablename__ = "escalation_firing"
    __table_args__ = (UniqueConstraint("rule_id", "ticket_id", "target"),)
    id: int | None = Field(default=None, primary_key=True)
    rule_id: int = Field(foreign_key="escalation_rule.id", index=True, ondelete="CASCADE")
    ticket_id: int = Field(foreign_key="ticket.id", index=True, ondelete="CASCADE")
    target: str = Field(max_length=20)
    fired_at: datetime = Field(default_factory=utcnow)


class SchedulerLock(SQLModel, table=True):
    """One row per job: who runs it and until when (a crashed holder's lock expires)."""

    __tablename__ = "scheduler_lock"
    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=120)
    expires_at: datetime


class Notification(SQLModel, table=True):
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=30)
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", ondelete="CASCADE")
    subject: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    read_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow, index=True)


class NotificationPreference(SQLModel, table=True):
    __tablename__ = "notification_preference"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=30)
    in_app: bool = Field(default=True)
    email: bool = Field(default=True)


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(SQLModel, table=True):
    """An e-mail waiting to go out. Claimed (pending -> sending) atomically, so it goes once."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    to_addr: str = Field(max_length=254)
    subject: str = Field(max_length=250)
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=OutboxStatus.PENDING, max_length=20)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    last_error: str = Field(default="", max_length=1000)
    dedupe_key: str = Field(max_length=100, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    # Extra headers (Reply-To, In-Reply-To, References) of a ticket e-mail (services/mail/).
    headers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
