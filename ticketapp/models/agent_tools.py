"""Tables of the agent's tools: canned responses (personal or shared with a team), their use
(for analytics), and macros (a named list of actions applied in one step)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from ticketapp.models.core import utcnow


class CannedResponse(SQLModel, table=True):
    """A reply text with placeholders. Personal (`owner_id`) or shared with a team (`team_id`):
    exactly one of the two is set (services/canned.py keeps that rule)."""

    __tablename__ = "canned_response"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    body: str = Field(sa_column=Column(Text, nullable=False))
    owner_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="CASCADE"
    )
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True, ondelete="CASCADE")
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CannedUse(SQLModel, table=True):
    """One insertion of a canned response (into a reply box or by a macro)."""

    __tablename__ = "canned_use"
    id: int | None = Field(default=None, primary_key=True)
    canned_id: int = Field(foreign_key="canned_response.id", index=True, ondelete="CASCADE")
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id", ondelete="SET NULL")
    used_at: datetime = Field(default_factory=utcnow, index=True)


class Macro(SQLModel, table=True):
    """A named list of actions, e.g. [{"action": "set_status", "value": "resolved"},
    {"action": "add_reply", "canned_id": 3, "internal": false}] (services/macros.py)."""

    __tablename__ = "macro"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    actions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
