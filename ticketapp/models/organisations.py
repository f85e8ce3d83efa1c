"""Tables of requester context (services/organisations.py, services/requesters.py): the
organisations requesters belong to, the e-mail domains that put new requesters in one, and the
notes staff keep about a requester."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from ticketapp.models.core import utcnow


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class OrganisationDomain(SQLModel, table=True):
    """An e-mail domain ("example.com", lower case) whose new requesters join the organisation;
    a domain belongs to one organisation at most."""

    __tablename__ = "organisation_domain"
    domain: str = Field(max_length=253, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")


class OrganisationMember(SQLModel, table=True):
    """A user's organisation (one at most): kept beside the user row, not in it."""

    __tablename__ = "organisation_member"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    joined_at: datetime = Field(default_factory=utcnow)


class RequesterNote(SQLModel, table=True):
    """What staff know about a requester (never shown to requesters)."""

    __tablename__ = "requester_note"
    id: int | None = Field(default=None, primary_key=True)
    requester_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime | None = None
