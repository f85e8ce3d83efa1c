"""Per-user interface preferences kept on the server (services/preferences.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from ticketapp.models.core import utcnow


class ListColumns(SQLModel, table=True):
    """The columns a staff member chose to see in the ticket list, in display order."""

    __tablename__ = "list_columns"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    columns: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
