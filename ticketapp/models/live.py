"""The change feed's bridge from other processes (ticketapp/outside_changes.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from ticketapp.models.core import utcnow

__all__ = ["OutsideChange"]


class OutsideChange(SQLModel, table=True):
    """Tickets changed by a process with no app in it (the `ingest-mail` pipe command): every
    app worker reads the recent rows and tells its live views. Kept for minutes only."""

    __tablename__ = "outside_change"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    ticket_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True)
