"""The API's request and response bodies (pydantic), built from the services' read models.

Request fields are typed loosely where a service cleans the value, so its refusal (with the
field name) is what the caller reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- tickets -------------------------------------------------------------------------------


class TicketSummary(Out):
    number: int
    title: str
    status: str
    priority: str
    type: str
    category_name: str
    requester_name: str
    assignee_id: int | None
    assignee_name: str
    team_name: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    version: int
    sla_state: str = ""


class TicketPage(Out):
    items: list[TicketSummary]
    total: int
    page: int
    per_page: int
    has_more: bool


class AttachmentOut(Out):
    id: int
    filename: str
    content_type: str
    size: int
    comment_id: int | None
    uploader_name: str
    created_at: datetime
    url: str = ""


class CommentOut(Out):
    id: int
    author_id: int
    author_name: str
    author_is_staff: bool
    body: str
    internal: bool
    created_at: datetime
    attachments: list[AttachmentOut] = []


class EventOut(Out):
    id: int
    kind: str
    actor_name: str
    created_at: datetime
    field: str | None
    old_value: str | None
    new_value: str | None


class CustomFieldOut(BaseModel):
    """A custom field of the ticket: `value` is text, a number as text, a date (YYYY-MM-DD),
    a list (multi select), true/false (checkbox) or null."""

    id: int
    key: str = Field(description='the name to send it under: "cf_<id>"')
    label: str
    kind: str
    public: bool
    value: Any = None


class TicketOut(Out):
    number: int
    title: str
    description: str
    status: str
    priority: str
    type: str
    impact: str
    category_id: int | None
    category_name: str
    requester_id: int
    requester_name: str
    assignee_id: int | None
    assignee_name: str
    team_id: int | None
    team_name: str
    details: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int
    allowed_statuses: list[str]
    attachments: list[AttachmentOut]
    conversation: list[CommentOut]
    history: list[EventOut]
    tags: list[str] = Field([], description="staff only (always empty for requesters)")
    custom_fields: list[CustomFieldOut] = []


class TicketCreate(BaseModel):
    title: str = Field(max_length=10_000)
    description: str = Field(max_length=100_000)
    type: str = "question"
    category_id: int | None = None
    impact: str = "normal"
    details: dict[str, str] | None = None
    requester_id: int | None = Field(None, description="staff: file on behalf of this user")
    custom_fields: dict[str, Any] | None = Field(
        None, description='custom field values by key ("cf_<id>"); see GET for the keys'
    )
    tags: list[str] | None = Field(None, description="staff only")


class TicketUpdate(BaseModel):
    """Only the fields sent are changed (agents and managers)."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = None
    priority: str | None = None
    type: str | None = None
    status: str | None = None
    category_id: int | None = None
    assignee_id: int | None = None
    team_id: int | None = None
    custom_fields: dict[str, Any] | None = Field(
        None, description='only the values sent change, by key ("cf_<id>"); null clears one'
    )
    tags: list[str] | None = Field(None, description="the ticket's complete set of tags")


class CommentCreate(BaseModel):
    body: str = Field(max_length=100_000)
    internal: bool = Field(False, description="an internal note (agents and managers)")


# --- knowledge base ------------------------------------------------------------------------


class ArticleSummaryOut(Out):
    id: int
    slug: str
    title: str
    category_id: int | None
    category: str
    status: str = ""
    updated_at: datetime | None = None
    snippet_html: str = ""


class ArticleOut(Out):
    id: int
    slug: str
    title: str
    body: str
    category_id: int | None
    category: str
    tags: list[str]
    status: str
    audience: str
    language: str
    author_name: str
    created_at: datetime
    updated_at: datetime
    helpful_yes: int
    helpful_no: int


class ArticleCreate(BaseModel):
    title: str = Field(max_length=10_000)
    body: str = Field(max_length=500_000)
    category_id: int | None = None
    tags: list[str] | str = ""
    status: str = "draft"
    audience: str = "public"
    language: str = "en"


class ArticleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, max_length=10_000)
    body: str | None = Field(None, max_length=500_000)
    category_id: int | None = None
    tags: list[str] | str | None = None
    status: str | None = None
    audience: str | None = None
    language: str | None = None


# --- people, teams, analytics, me ----------------------------------------------------------


class PersonOut(Out):
    id: int
    name: str
    email: str
    role: str


class PeoplePage(Out):
    items: list[PersonOut]
    total: int
    page: int
    per_page: int
    has_more: bool


class UserCreate(BaseModel):
    email: str = Field(max_length=1000)
    name: str = Field(max_length=1000)
    password: str = Field(max_length=2000)
    role: str = "requester"


class TeamOut(Out):
    id: int
    name: str
    mode: str
    members: int


class TeamCreate(BaseModel):
    name: str = Field(max_length=1000)
    description: str = Field("", max_length=5000)


class AnalyticsSummary(BaseModel):
    start: str
    end: str
    timezone: str
    metrics: dict[str, float | int | None]
    by_status: list[dict[str, Any]]
    by_priority: list[dict[str, Any]]


class MeOut(BaseModel):
    id: int
    name: str
    email: str
    role: str
    scope: str
