"""The filing form's state: the fields, the tab's draft, the requester picker, the submit.

- Every field lives in this state and is mirrored, as JSON tagged with the user's id, into the
  tab's sessionStorage (`draft`): a reload of the same tab, or an error, loses nothing. Another
  user signing in in the same tab never gets it back (the id must match).
- One idempotency key per form instance (kept in the draft): a double click, a resubmit after a
  lost answer or a queued second event all return the same ticket.

Attachments (attachment_events.py, parking.py) and deflection (deflection_events.py) have
their handlers in mixins; all vars are declared here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import ClassVar

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from ticketapp import live
from ticketapp.components.custom_fields import FilingFieldsState
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import Priority, TicketType
from ticketapp.pages.ticket_new.attachment_events import AttachmentEvents
from ticketapp.pages.ticket_new.constants import (
    DETAIL_NAMES,
    DRAFT_KEY,
    IMPACT_OPTIONS,
    MAX_FILES,
    NO_CATEGORY,
    TEXT_FIELDS,
    TYPE_OPTIONS,
)
from ticketapp.pages.ticket_new.deflection_events import DeflectionEvents
from ticketapp.pages.ticket_new.duplicate_finder import DuplicateItem
from ticketapp.pages.ticket_new.parking import (
    TOKEN_RE,
    discard_parked,
    parking_folder,
    read_parked,
    still_parked,
)
from ticketapp.pages.ticket_new.view_model import (
    Option,
    PendingFile,
    PersonOption,
    Suggestion,
    person_option,
)
from ticketapp.services import directory, markdown, tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import SIGNED_IN, SessionState

log = logging.getLogger(__name__)


class TicketNewState(AttachmentEvents, DeflectionEvents, SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    # The tab's draft (JSON with the user's id); see the module docstring.
    draft: str = rx.SessionStorage("", name=DRAFT_KEY)

    title: str = ""
    description: str = ""
    ticket_type: str = TicketType.QUESTION.value
    category: str = NO_CATEGORY
    impact: str = Priority.NORMAL.value
    details: dict[str, str] = {}
    files: list[PendingFile] = []
    errors: dict[str, str] = {}
    # Changed to move the focus to the first invalid field (components/browser_bridge.py).
    focus_request: str = ""
    desc_tab: str = "write"
    preview_html: str = ""
    submitting: bool = False
    categories: list[Option] = []

    # Staff: on behalf of whom.
    requester_id: int = 0
    requester_label: str = ""
    requester_query: str = ""
    requester_results: list[PersonOption] = []

    # Deflection.
    suggestions: list[Suggestion] = []
    duplicates: list[DuplicateItem] = []  # ORGS: staff: similar open tickets
    # ROUTING: the category the triage rules would pick for this text.
    suggested_category: str = ""
    suggested_category_id: str = ""
    article_open: bool = False
    article_id: int = 0
    article_slug: str = ""
    article_title: str = ""
    article_html: str = ""
    article_loading: bool = False

    _key: str = ""
    _user_id: int = 0
    _filed_number: int = 0

    # -- draft ------------------------------------------------------------------------------

    def _reset_form(self) -> None:
        self.title = ""
        self.description = ""
        self.ticket_type = TicketType.QUESTION.value
        self.category = NO_CATEGORY
        self.impact = Priority.NORMAL.value
        self.details = {}
        self.files = []
        self.errors = {}
        self.desc_tab = "write"
        self.preview_html = ""
        self.requester_id = 0
        self.requester_label = ""
        self.requester_query = ""
        self.requester_results = []
        self.suggestions = []
        self.duplicates = []
        self.article_open = False
        self._key = secrets.token_hex(16)

    def _save_draft(self) -> None:
        # An edit makes this a new form: a submit no longer means the one just filed. (Not
        # left to on_load alone: under load, Redis may drop an event's state writes.)
        self._filed_number = 0
        if not self._user_id:
            return
        self.draft = json.dumps(
            {
                "uid": self._user_id,
                "key": self._key,
                "title": self.title,
                "description": self.description,
                "type": self.ticket_type,
                "category": self.category,
                "impact": self.impact,
                "details": self.details,
                "files": self.files,
                "requester_id": self.requester_id,
                "requester_label": self.requester_label,
            }
        )

    def _restore(self, actor: Actor) -> bool:
        """Put the tab's draft back if it is this user's. True if there was one."""
        try:
            data = json.loads(self.draft) if self.draft else None
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("uid") != actor.id:
            return False

        def text(name: str, limit: int) -> str:
            value = data.get(name)
            return value[:limit] if isinstance(value, str) else ""

        self.title = text("title", tickets.MAX_TITLE + 50)
        self.description = text("description", tickets.MAX_DESCRIPTION)
        self.ticket_type = text("type", 40) or TicketType.QUESTION.value
        self.category = text("category", 12) or NO_CATEGORY
        self.impact = text("impact", 20) or Priority.NORMAL.value
        details = data.get("details")
        self.details = (
            {k: str(v)[: tickets.MAX_DETAIL] for k, v in details.items() if k in DETAIL_NAMES}
            if isinstance(details, dict)
            else {}
        )
        key = text("key", 64)
        self._key = key if TOKEN_RE.match(key) else secrets.token_hex(16)
        # Parked files come back only if they are still in this user's own folder.
        self.files = still_parked(actor.id, data.get("files"))[:MAX_FILES]
        if actor.is_staff and isinstance(data.get("requester_id"), int):
            self.requester_id = data["requester_id"]
            self.requester_label = text("requester_label", 300)
        return True

    # -- loading ----------------------------------------------------------------------------

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return
        self._filed_number = 0
        self.submitting = False
        if self._user_id != actor.id or not self._key:
            self._user_id = actor.id
            self._reset_form()
            self._restore(actor)
        elif self.draft == "":
            # The last form was filed or given up: start afresh.
            self._reset_form()
        self._user_id = actor.id
        cats = await run_in_session(directory.categories, actor, readonly=True)
        self.categories = [Option(value=NO_CATEGORY, label=_("Not sure"))] + [
            Option(value=str(i), label=n) for i, n in cats
        ]
        self._save_draft()
        await self._suggest(actor)

    # -- fields -----------------------------------------------------------------------------

    @rx.event
    async def set_text(self, name: str, value: str):
        if name not in TEXT_FIELDS:
            return
        limit = tickets.MAX_TITLE + 50 if name == "title" else tickets.MAX_DESCRIPTION + 1000
        setattr(self, name, str(value)[:limit])
        self._clear_error(name)
        self._save_draft()
        actor = await self.current_actor()
        if actor is not None:
            await self._suggest(actor)

    @rx.event
    def set_choice(self, name: str, value: str):
        value = str(value)[:40]
        if name == "ticket_type" and value in {v for v, _ in TYPE_OPTIONS}:
            self.ticket_type = value
            self._clear_error("type")
        elif name == "impact" and value in {v for v, _ in IMPACT_OPTIONS}:
            self.impact = value
            self._clear_error("impact")
        elif name == "category" and (value == NO_CATEGORY or value.isdigit()):
            self.category = value
            self._clear_error("category_id")
        self._save_draft()

    @rx.event
    def set_detail(self, name: str, value: str):
        if name not in DETAIL_NAMES:
            return
        self.details = {**self.details, name: str(value)[: tickets.MAX_DETAIL + 100]}
        self._clear_error(name)
        self._save_draft()

    @rx.event
    def set_desc_tab(self, tab: str | list[str]):
        self.desc_tab = "preview" if tab == "preview" else "write"
        if self.desc_tab == "preview":
            text = self.description.strip()
            self.preview_html = markdown.render(text) if text else ""

    def _clear_error(self, name: str) -> None:
        if name in self.errors:
            self.errors = {k: v for k, v in self.errors.items() if k != name}

    # -- requester picker (staff) -----------------------------------------------------------

    @rx.event
    async def search_requester(self, query: str):
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        self.requester_query = str(query)[:100]
        people = await run_in_session(
            directory.find_people, actor, self.requester_query, readonly=True
        )
        self.requester_results = [person_option(p) for p in people]

    @rx.event
    async def choose_requester(self, user_id: int):
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        chosen = await run_in_session(directory.person, actor, user_id, readonly=True)
        if chosen is None:
            self.errors = {**self.errors, "requester_id": _("Choose an active person.")}
            return
        self.requester_id = chosen.id
        self.requester_label = f"{chosen.name} <{chosen.email}>"
        self.requester_query = ""
        self.requester_results = []
        self._clear_error("requester_id")
        self._save_draft()

    @rx.event
    def clear_requester(self):
        self.requester_id = 0
        self.requester_label = ""
        self._save_draft()

    # -- submit -----------------------------------------------------------------------------

    @rx.event
    async def submit(self):
        actor = await self.current_actor()
        if actor is None or self.submitting:
            return
        if self._filed_number:  # a queued second click: the ticket is filed already
            yield rx.redirect(f"/tickets/{self._filed_number}")
            return
        self.submitting = True
        self.errors = {}
        yield
        files = await asyncio.to_thread(read_parked, actor.id, list(self.files))
        if files is None:
            self._files_expired(actor)
            return
        try:
            ref = await self._create_ticket(actor, files)
        except tickets.FormInvalid as exc:
            self.submitting = False
            self.errors = dict(exc.errors)
            self.focus_request = secrets.token_hex(4)  # the form's first invalid field
            yield rx.toast.error("Some fields need your attention.")
            return
        except ServiceError as exc:
            self.submitting = False
            self.errors = {exc.field or "form": exc.message}
            yield rx.toast.error(exc.message)
            return
        except SQLAlchemyError:
            # The database is unreachable (restarting, failing over): keep the form and its
            # idempotency key so the next click files once, and let the button work again.
            log.warning("filing failed on a database error", exc_info=True)
            self.submitting = False
            self._save_draft()
            yield rx.toast.error("Could not file the ticket just now. Nothing is lost: try again.")
            return
        yield self._filed(actor, ref)

    def _files_expired(self, actor: Actor) -> None:
        """A parked file has gone (expired, or removed in another tab): keep the others."""
        self.submitting = False
        self.files = [f for f in self.files if (parking_folder(actor.id) / f["token"]).is_file()]
        self.errors = {"attachments": _("Some files expired: choose them again.")}
        self._save_draft()

    async def _create_ticket(self, actor: Actor, files: list[tuple[str, bytes]]):
        fields = await self.get_state(FilingFieldsState)  # FIELDS: the type's custom fields
        ref = await run_in_session(
            tickets.create_ticket,
            actor,
            title=self.title,
            description=self.description,
            type=self.ticket_type,
            category_id=None if self.category == NO_CATEGORY else self.category,
            impact=self.impact,
            details={k: v for k, v in self.details.items()},
            requester_id=self.requester_id or None,
            idempotency_key=self._key,
            attachments=files,
            idempotent=True,  # the key makes a re-run return the ticket a cut commit filed
            custom_fields=fields._payload(),
        )
        fields.clear()
        return ref

    def _filed(self, actor: Actor, ref: tickets.TicketRef) -> list:
        """The ticket is filed: tell the live views, start afresh, go to the ticket."""
        live.publish(live.Change(kind="ticket", ticket_ids=(ref.id,), actor_id=actor.id))
        discard_parked(actor.id, self.files)
        self._filed_number = ref.number
        self._reset_form()
        self.draft = ""
        self.submitting = False
        return [
            rx.toast.success(f"Ticket #{ref.number} filed"),
            rx.redirect(f"/tickets/{ref.number}"),
        ]
