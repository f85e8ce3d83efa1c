"""Database tables. Plain SQLModel; every schema change also gets an Alembic migration.

Times are timezone-aware UTC datetimes (SQLModel's UTCDateTime); `utcnow()` is the one clock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    REQUESTER = "requester"
    AGENT = "agent"
    MANAGER = "manager"


STAFF_ROLES = frozenset({Role.AGENT, Role.MANAGER})


class TicketStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"


STATUS_LABELS = {
    TicketStatus.NEW: "New",
    TicketStatus.OPEN: "Open",
    TicketStatus.IN_PROGRESS: "In progress",
    TicketStatus.WAITING: "Waiting on requester",
    TicketStatus.RESOLVED: "Resolved",
    TicketStatus.CLOSED: "Closed",
}


class TicketType(StrEnum):
    QUESTION = "question"
    INCIDENT = "incident"
    PROBLEM = "problem"
    FEATURE_REQUEST = "feature_request"
    CHANGE_REQUEST = "change_request"


TYPE_LABELS = {
    TicketType.QUESTION: "Question",
    TicketType.INCIDENT: "Incident",
    TicketType.PROBLEM: "Problem",
    TicketType.FEATURE_REQUEST: "Feature request",
    TicketType.CHANGE_REQUEST: "Change request",
}


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_LABELS = {p: p.value.capitalize() for p in Priority}


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


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    description: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


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
