"""A requester's profile for staff: contact details, organisation, every ticket they filed,
their satisfaction ratings, and the notes staff keep about them.

Staff only: a requester never reads anyone's profile (their own details are at /settings), and
the notes are never shown to the person they are about. Any agent or manager adds a note; its
author or a manager edits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ticketapp.i18n import N_
from ticketapp.models import RequesterNote, SatisfactionRating, Ticket, User, utcnow
from ticketapp.services import lifecycle, organisations
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.errors import NotFound, PermissionDenied, ValidationError
from ticketapp.services.ids import coerce_id

MAX_NOTE = 5000
MAX_TICKETS = 200  # the newest; the ticket list (filtered by requester) has the rest
PERSON_NOT_FOUND = N_("That person does not exist.")
NOTE_NOT_FOUND = N_("That note does not exist.")


@dataclass(frozen=True)
class ProfileTicket:
    number: int
    title: str
    status: str
    status_label: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RatingView:
    ticket_number: int
    ticket_title: str
    score: int
    comment: str
    created_at: datetime


@dataclass(frozen=True)
class NoteView:
    id: int
    body: str
    author_name: str
    created_at: datetime
    updated_at: datetime | None
    can_edit: bool


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    email: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    organisation_id: int | None
    organisation_name: str
    ticket_count: int
    open_count: int
    tickets: list[ProfileTicket]
    ratings: list[RatingView]
    notes: list[NoteView]


def _person(session: Session, user_id: object) -> User:
    user = session.get(User, coerce_id(user_id, PERSON_NOT_FOUND))
    if user is None:
        raise NotFound(PERSON_NOT_FOUND)
    return user


def profile(session: Session, actor: Actor, user_id: object) -> Profile:
    """Everything staff see about one person (NotFound for an unknown id)."""
    require_staff(actor)
    user = _person(session, user_id)
    assert user.id is not None
    org = organisations.organisation_of(session, user.id)
    tickets = _tickets(session, user.id)
    return Profile(
        id=user.id,
        name=user.name,
        email=user.email,
        role=user.role,
        active=user.is_active,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        organisation_id=org[0] if org else None,
        organisation_name=org[1] if org else "",
        ticket_count=len(tickets),
        open_count=sum(1 for t in tickets if t.status in lifecycle.ACTIVE_STATUSES),
        tickets=tickets,
        ratings=_ratings(session, user.id),
        notes=notes(session, actor, user.id),
    )


def _tickets(session: Session, user_id: int) -> list[ProfileTicket]:
    rows = session.exec(
        select(Ticket)
        .where(Ticket.requester_id == user_id)
        .order_by(col(Ticket.updated_at).desc(), col(Ticket.id).desc())
        .limit(MAX_TICKETS)
    ).all()
    return [
        ProfileTicket(
            number=t.number,
            title=t.title,
            status=t.status,
            status_label=lifecycle.label(t.status),
            created_at=t.created_at,
            updated_at=t.updated_at,
        )
        for t in rows
    ]


def _ratings(session: Session, user_id: int) -> list[RatingView]:
    rows = session.exec(
        select(SatisfactionRating, Ticket.number, Ticket.title)
        .join(Ticket, col(Ticket.id) == SatisfactionRating.ticket_id)
        .where(SatisfactionRating.rater_id == user_id)
        .order_by(col(SatisfactionRating.created_at).desc())
        .limit(MAX_TICKETS)
    ).all()
    return [
        RatingView(
            ticket_number=number,
            ticket_title=title,
            score=r.score,
            comment=r.comment,
            created_at=r.created_at,
        )
        for r, number, title in rows
    ]


def _can_edit(actor: Actor, note: RequesterNote) -> bool:
    return actor.is_manager or note.author_id == actor.id


def notes(session: Session, actor: Actor, user_id: object) -> list[NoteView]:
    """The notes about a person, newest first (staff only)."""
    require_staff(actor)
    author = aliased(User)
    rows = session.exec(
        select(RequesterNote, author.name)
        .join(author, col(author.id) == RequesterNote.author_id, isouter=True)
        .where(RequesterNote.requester_id == coerce_id(user_id, PERSON_NOT_FOUND))
        .order_by(col(RequesterNote.created_at).desc(), col(RequesterNote.id).desc())
    ).all()
    return [
        NoteView(
            id=n.id,  # type: ignore[arg-type]
            body=n.body,
            author_name=name or "",
            created_at=n.created_at,
            updated_at=n.updated_at,
            can_edit=_can_edit(actor, n),
        )
        for n, name in rows
    ]


def _clean_body(body: object) -> str:
    text = str(body or "").strip()
    if not text:
        raise ValidationError("Write the note first.", "body")
    if len(text) > MAX_NOTE:
        raise ValidationError("Keep the note under {max:,} characters.", "body", max=MAX_NOTE)
    return text


def add_note(session: Session, actor: Actor, user_id: object, body: object) -> int:
    """Staff add a note about a person; its id."""
    require_staff(actor)
    user = _person(session, user_id)
    note = RequesterNote(requester_id=user.id, author_id=actor.id, body=_clean_body(body))  # type: ignore[arg-type]
    session.add(note)
    session.flush()
    assert note.id is not None
    return note.id


def edit_note(session: Session, actor: Actor, note_id: object, body: object) -> None:
    """Its author or a manager rewrites a note (the time of the edit is kept)."""
    require_staff(actor)
    note = session.get(RequesterNote, coerce_id(note_id, NOTE_NOT_FOUND))
    if note is None:
        raise NotFound(NOTE_NOT_FOUND)
    if not _can_edit(actor, note):
        raise PermissionDenied("Only its author or a manager can edit this note.")
    note.body = _clean_body(body)
    note.updated_at = utcnow()
    session.add(note)
    session.flush()
