"""Tags and custom fields of tickets (services/tags.py, services/custom_fields.py)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from ticketapp.i18n import N_
from ticketapp.models.core import utcnow


class Tag(SQLModel, table=True):
    """A free-form label on tickets (staff only), stored once by its normal form."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class TicketTag(SQLModel, table=True):
    __tablename__ = "ticket_tag"
    __table_args__ = (Index("ix_ticket_tag_tag_ticket", "tag_id", "ticket_id"),)
    ticket_id: int = Field(foreign_key="ticket.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class FieldKind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    SELECT = "select"
    MULTI_SELECT = "multi_select"
    CHECKBOX = "checkbox"


FIELD_KIND_LABELS = {
    FieldKind.TEXT: N_("Text"),
    FieldKind.LONG_TEXT: N_("Long text"),
    FieldKind.NUMBER: N_("Number"),
    FieldKind.DATE: N_("Date"),
    FieldKind.SELECT: N_("Single select"),
    FieldKind.MULTI_SELECT: N_("Multi select"),
    FieldKind.CHECKBOX: N_("Checkbox"),
}


class CustomField(SQLModel, table=True):
    """A manager's extra field for one ticket type. Archived (not deleted) to keep values."""

    __tablename__ = "custom_field"
    id: int | None = Field(default=None, primary_key=True)
    ticket_type: str = Field(max_length=30, index=True)
    label: str = Field(max_length=80)
    kind: str = Field(default=FieldKind.TEXT, max_length=20)
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    required: bool = Field(default=False)
    # Requesters see (and fill in when filing) public fields; staff-only ones never reach them.
    public: bool = Field(default=True)
    position: int = Field(default=0)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class CustomFieldValue(SQLModel, table=True):
    """A ticket's value of a custom field, as text (a multi select: a JSON list), so a changed
    definition (type, options) never loses it."""

    __tablename__ = "custom_field_value"
    __table_args__ = (Index("ix_custom_field_value_field", "field_id"),)
    ticket_id: int = Field(foreign_key="ticket.id", primary_key=True, ondelete="CASCADE")
    field_id: int = Field(foreign_key="custom_field.id", primary_key=True, ondelete="CASCADE")
    value: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow)
