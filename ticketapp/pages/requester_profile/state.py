"""The profile page's state. Every event derives the person from the URL and the signed-in
user, through services/ (which check that the actor is staff)."""

from __future__ import annotations

import re
from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp import clock
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import ROLE_LABELS, Role
from ticketapp.services import organisations, requesters
from ticketapp.services.actor import Actor
from ticketapp.services.errors import NotFound, ServiceError, ValidationError
from ticketapp.state import STAFF, SessionState

_PATH_RE = re.compile(r"^/people/(\d{1,9})/?$")
NO_ORGANISATION = "none"


class PersonHeader(TypedDict):
    name: str
    email: str
    role_label: str  # a msgid
    active: bool
    since: str
    last_seen: str
    organisation: str
    organisation_id: str
    ticket_count: int
    open_count: int


class TicketItem(TypedDict):
    number: int
    title: str
    status: str
    status_label: str  # a msgid
    updated: str


class RatingItem(TypedDict):
    number: int
    title: str
    score: int
    comment: str
    when: str


class NoteItem(TypedDict):
    id: int
    body: str
    author: str
    when: str
    edited: str
    can_edit: bool


class Option(TypedDict):
    value: str
    label: str


EMPTY = PersonHeader(
    name="",
    email="",
    role_label="",
    active=True,
    since="",
    last_seen="",
    organisation="",
    organisation_id=NO_ORGANISATION,
    ticket_count=0,
    open_count=0,
)


def _header(p: requesters.Profile) -> PersonHeader:
    return PersonHeader(
        name=p.name,
        email=p.email,
        role_label=ROLE_LABELS.get(Role(p.role), p.role) if p.role in set(Role) else p.role,
        active=p.active,
        since=clock.local_label(p.created_at),
        last_seen=clock.local_label(p.last_login_at),
        organisation=p.organisation_name,
        organisation_id=str(p.organisation_id) if p.organisation_id else NO_ORGANISATION,
        ticket_count=p.ticket_count,
        open_count=p.open_count,
    )


def _note(n: requesters.NoteView) -> NoteItem:
    return NoteItem(
        id=n.id,
        body=n.body,
        author=n.author_name,
        when=clock.local_label(n.created_at),
        edited=clock.local_label(n.updated_at),
        can_edit=n.can_edit,
    )


def _load(session, actor: Actor, person_id: str) -> dict:
    p = requesters.profile(session, actor, person_id)
    orgs = organisations.choices(session, actor) if actor.is_manager else []
    return {
        "person": _header(p),
        "tickets": [
            TicketItem(
                number=t.number,
                title=t.title,
                status=t.status,
                status_label=t.status_label,
                updated=clock.local_label(t.updated_at),
            )
            for t in p.tickets
        ],
        "ratings": [
            RatingItem(
                number=r.ticket_number,
                title=r.ticket_title,
                score=r.score,
                comment=r.comment,
                when=clock.local_label(r.created_at),
            )
            for r in p.ratings
        ],
        "notes": [_note(n) for n in p.notes],
        "organisation_options": [Option(value=v, label=lbl) for v, lbl in orgs],
    }


class RequesterProfileState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = STAFF

    person: PersonHeader = EMPTY
    tickets: list[TicketItem] = []
    ratings: list[RatingItem] = []
    notes: list[NoteItem] = []
    organisation_options: list[Option] = []
    loading: bool = True
    missing: bool = False
    note_error: str = ""
    note_draft: str = ""
    saving: bool = False
    editing_id: int = 0
    edit_error: str = ""

    def _person_id(self) -> str:
        match = _PATH_RE.match(self.router.url.path or "")
        return match.group(1) if match else ""

    async def _reload(self, actor: Actor) -> None:
        try:
            data = await run_in_session(_load, actor, self._person_id(), readonly=True)
        except NotFound:
            self.missing, self.loading = True, False
            return
        for name, value in data.items():
            setattr(self, name, value)
        self.missing = self.loading = False

    @rx.event
    async def on_load(self):
        self.loading, self.missing = True, False
        self.person, self.tickets, self.ratings, self.notes = EMPTY, [], [], []
        self.note_error = self.edit_error = ""
        self.editing_id = 0
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            self.loading = False
            return
        yield
        await self._reload(actor)

    @rx.event
    def set_note_draft(self, value: str):
        self.note_draft = str(value)[: requesters.MAX_NOTE + 1]
        self.note_error = ""

    @rx.event
    async def add_note(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return
        body = str(form.get("body", ""))
        self.saving = True
        yield
        try:
            await run_in_session(requesters.add_note, actor, self._person_id(), body)
        except ValidationError as exc:
            self.note_error, self.saving = exc.message, False
            return
        except ServiceError as exc:
            self.saving = False
            yield rx.toast.error(exc.message)
            return
        self.note_draft, self.note_error, self.saving = "", "", False
        await self._reload(actor)
        yield rx.toast.success(_("Note added."))

    @rx.event
    def start_edit(self, note_id: int):
        self.editing_id = int(note_id) if str(note_id).isdigit() else 0
        self.edit_error = ""

    @rx.event
    def cancel_edit(self):
        self.editing_id = 0
        self.edit_error = ""

    @rx.event
    async def save_edit(self, form: dict):
        actor = await self.current_actor()
        if actor is None or not self.editing_id:
            return None
        try:
            await run_in_session(
                requesters.edit_note, actor, self.editing_id, str(form.get("body", ""))
            )
        except ValidationError as exc:
            self.edit_error = exc.message
            return None
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.editing_id = 0
        await self._reload(actor)
        return rx.toast.success(_("Note saved."))

    @rx.event
    async def set_organisation(self, value: str):
        actor = await self.current_actor()
        if actor is None:
            return None
        chosen = "" if value == NO_ORGANISATION else str(value)[:12]
        try:
            await run_in_session(organisations.set_organisation, actor, self._person_id(), chosen)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        await self._reload(actor)
        return rx.toast.success(_("Organisation changed."))
