"""/tickets/new: file a ticket (requesters for themselves, staff on behalf of someone).

- Every field lives in this state and is mirrored, as JSON tagged with the user's id, into the
  tab's sessionStorage (`draft`): a reload of the same tab, or an error, loses nothing. Another
  user signing in in the same tab never gets it back (the id must match).
- Files are checked and parked on the server as soon as they are chosen (under the user's own
  folder, random names); they are read back and handed to create_ticket on submit.
- One idempotency key per form instance (kept in the draft): a double click, a resubmit after a
  lost answer or a queued second event all return the same ticket.
- While the title and description are typed, the best knowledge-base articles are suggested
  beside the form (deflection); "This solved my problem" records it and leaves without filing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import ClassVar, TypedDict

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from ticketapp import live
from ticketapp.components.form_fields import (
    VISUALLY_HIDDEN,
    labelled_select,
    labelled_textarea,
    prose,
)
from ticketapp.components.layout import field_error, labelled_input, page_frame
from ticketapp.config import settings
from ticketapp.db import run_in_session
from ticketapp.models import TYPE_LABELS, Priority, TicketType
from ticketapp.services import attachments, directory, kb, markdown, routing, tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError, ValidationError
from ticketapp.state import SIGNED_IN, SessionState

log = logging.getLogger(__name__)

UPLOAD_ID = "ticket-attachments"
MAX_FILES = 10
DRAFT_KEY = "ticketapp-new-ticket"
TYPE_OPTIONS = [(t.value, TYPE_LABELS[t]) for t in TicketType]
IMPACT_OPTIONS = [(p.value, p.value.capitalize()) for p in Priority]
NO_CATEGORY = "none"
DETAIL_NAMES = {name for fields in tickets.DETAIL_FIELDS.values() for name in fields}
TEXT_FIELDS = ("title", "description")
PARKED_FOR_SECONDS = 24 * 3600
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
ACCEPT = {
    "image/*": [".png", ".jpg", ".jpeg", ".gif", ".webp"],
    "application/pdf": [".pdf"],
    "text/plain": [".txt", ".log"],
    "text/csv": [".csv"],
    "text/markdown": [".md"],
    "application/zip": [".zip"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
    "application/vnd.oasis.opendocument.text": [".odt"],
    "application/vnd.oasis.opendocument.spreadsheet": [".ods"],
}


class Option(TypedDict):
    value: str
    label: str


class PendingFile(TypedDict):
    token: str
    name: str
    size: str


class Suggestion(TypedDict):
    id: int
    slug: str
    title: str
    title_html: str
    snippet_html: str
    category: str


class PersonOption(TypedDict):
    id: int
    label: str


def size_label(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _parking(user_id: int) -> Path:
    """Where chosen files wait for the submit: one folder per user, outside the web root."""
    return settings.data_dir / "pending-uploads" / str(int(user_id))


def _sweep(folder: Path, keep: set[str]) -> None:
    """Forget parked files abandoned for a day (a tab closed without filing)."""
    if not folder.is_dir():
        return
    cutoff = time.time() - PARKED_FOR_SECONDS
    for path in folder.iterdir():
        if path.name not in keep and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _read_parked(user_id: int, files: list[PendingFile]) -> list[tuple[str, bytes]] | None:
    """The chosen files' bytes (None if one has gone: expired or removed in another tab)."""
    folder = _parking(user_id)
    out = []
    for f in files:
        path = folder / f["token"]
        if not _TOKEN_RE.match(f["token"]) or not path.is_file():
            return None
        out.append((f["name"], path.read_bytes()))
    return out


def _park(folder: Path, data: bytes) -> str:
    token = secrets.token_hex(16)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / token).write_bytes(data)
    return token


def _hit(h: kb.SearchHit) -> Suggestion:
    return Suggestion(
        id=h.id,
        slug=h.slug,
        title=h.title,
        title_html=h.title_html,
        snippet_html=h.snippet_html,
        category=h.category,
    )


def _person(p: directory.Person) -> PersonOption:
    return PersonOption(id=p.id, label=f"{p.name} <{p.email}>")


class TicketNewState(SessionState):
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
        self._key = key if _TOKEN_RE.match(key) else secrets.token_hex(16)
        # Parked files come back only if they are still in this user's own folder.
        folder = _parking(actor.id)
        kept: list[PendingFile] = []
        for f in data.get("files") or []:
            if (
                isinstance(f, dict)
                and _TOKEN_RE.match(str(f.get("token", "")))
                and (folder / str(f["token"])).is_file()
            ):
                kept.append(
                    PendingFile(
                        token=str(f["token"]),
                        name=attachments.clean_filename(f.get("name")),
                        size=str(f.get("size", ""))[:20],
                    )
                )
        self.files = kept[:MAX_FILES]
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
        self.categories = [Option(value=NO_CATEGORY, label="Not sure")] + [
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
        self.requester_results = [_person(p) for p in people]

    @rx.event
    async def choose_requester(self, user_id: int):
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        chosen = await run_in_session(directory.person, actor, user_id, readonly=True)
        if chosen is None:
            self.errors = {**self.errors, "requester_id": "Choose an active person."}
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

    # -- attachments ------------------------------------------------------------------------

    @rx.event
    async def add_files(self, files: list[rx.UploadFile]):
        actor = await self.current_actor()
        if actor is None:
            return
        self._user_id = actor.id
        problems: list[str] = []
        folder = _parking(actor.id)
        _sweep(folder, {f["token"] for f in self.files})
        added = list(self.files)
        for upload in files:
            name = attachments.clean_filename(upload.name or upload.filename)
            if len(added) >= MAX_FILES:
                problems.append(f"{name}: at most {MAX_FILES} files per ticket.")
                continue
            data = await upload.read(attachments.MAX_BYTES + 1)
            try:
                attachments.sniff(name, data)
            except ValidationError as exc:
                problems.append(exc.message)
                continue
            token = await asyncio.to_thread(_park, folder, data)
            added.append(PendingFile(token=token, name=name, size=size_label(len(data))))
        self.files = added
        if problems:
            self.errors = {**self.errors, "attachments": " ".join(problems)}
        else:
            self._clear_error("attachments")
        self._save_draft()
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    def files_rejected(self, rejected: list[dict]):
        problems = []
        for item in rejected[:MAX_FILES] if isinstance(rejected, list) else []:
            file = item.get("file") if isinstance(item, dict) else None
            name = attachments.clean_filename((file or {}).get("path", "file"))
            codes = {e.get("code") for e in item.get("errors", []) if isinstance(e, dict)}
            if "file-too-large" in codes:
                problems.append(f"{name}: files can be at most 10 MB.")
            elif "too-many-files" in codes:
                problems.append(f"{name}: at most {MAX_FILES} files per ticket.")
            else:
                problems.append(
                    f"{name}: this file type is not accepted. Allowed: {attachments.ALLOWED_HINT}."
                )
        self.errors = {**self.errors, "attachments": " ".join(problems)}

    @rx.event
    async def remove_file(self, token: str):
        actor = await self.current_actor()
        if actor is None:
            return
        token = str(token)
        if _TOKEN_RE.match(token):
            (_parking(actor.id) / token).unlink(missing_ok=True)
        self.files = [f for f in self.files if f["token"] != token]
        self._clear_error("attachments")
        self._save_draft()

    def _discard_parked(self, actor: Actor) -> None:
        folder = _parking(actor.id)
        for f in self.files:
            if _TOKEN_RE.match(f["token"]):
                (folder / f["token"]).unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)

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
        files = await asyncio.to_thread(_read_parked, actor.id, list(self.files))
        if files is None:
            self.submitting = False
            self.files = [f for f in self.files if (_parking(actor.id) / f["token"]).is_file()]
            self.errors = {"attachments": "Some files expired: choose them again."}
            self._save_draft()
            return
        try:
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
            )
        except tickets.FormInvalid as exc:
            self.submitting = False
            self.errors = dict(exc.errors)
            yield [
                rx.toast.error("Some fields need your attention."),
                rx.call_script(
                    "setTimeout(() => document.querySelector("
                    "'#new-ticket-form [aria-invalid=\"true\"]')?.focus(), 50)"
                ),
            ]
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
        live.publish(live.Change(kind="ticket", ticket_ids=(ref.id,), actor_id=actor.id))
        self._discard_parked(actor)
        self._filed_number = ref.number
        self._reset_form()
        self.draft = ""
        self.submitting = False
        yield [
            rx.toast.success(f"Ticket #{ref.number} filed"),
            rx.redirect(f"/tickets/{ref.number}"),
        ]

    # -- deflection -------------------------------------------------------------------------

    async def _suggest(self, actor: Actor) -> None:
        if len((self.title + " " + self.description).strip()) < 3:
            self.suggestions = []
            self.suggested_category = self.suggested_category_id = ""
            return
        found = await run_in_session(  # ROUTING: suggested category
            routing.suggest_category, actor, f"{self.title}\n{self.description}", readonly=True
        )
        self.suggested_category = found[1] if found else ""
        self.suggested_category_id = str(found[0]) if found else ""
        hits = await run_in_session(
            kb.suggest_for_ticket, actor, self.title, self.description, 5, readonly=True
        )
        self.suggestions = [_hit(h) for h in hits]

    @rx.event
    async def open_article(self, article_id: int):
        actor = await self.current_actor()
        if actor is None:
            return
        self.article_open = True
        self.article_loading = True
        self.article_html = ""
        yield
        try:
            aid = int(article_id)
            view = await run_in_session(kb.get_article_by_id, actor, aid, readonly=True)
        except (ServiceError, TypeError, ValueError):
            self.article_open = False
            self.article_loading = False
            yield rx.toast.error("That article is no longer available.")
            return
        self.article_id = view.id
        self.article_slug = view.slug
        self.article_title = view.title
        self.article_html = markdown.render(view.body)
        self.article_loading = False

    @rx.event
    def still_need_help(self):
        self.article_open = False

    @rx.event
    def set_article_open(self, value: bool):
        self.article_open = bool(value)

    @rx.event
    async def solved(self):
        actor = await self.current_actor()
        if actor is None or not self.article_id:
            return
        query = " ".join(f"{self.title} {self.description}".split())[:500]
        try:
            await run_in_session(kb.record_deflection, actor, self.article_id, query)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        live.publish(live.Change(kind="deflection", actor_id=actor.id))
        self._discard_parked(actor)
        self._reset_form()
        self.draft = ""
        return [
            rx.toast.success("Glad that helped. No ticket was filed."),
            rx.redirect("/portal"),
        ]


# --- the page -------------------------------------------------------------------------------

S = TicketNewState


def _err(name: str) -> rx.Var[str]:
    return S.errors.get(name, "")


def _detail_text(name: str, label: str, multiline: bool = False, **props) -> rx.Component:
    field_id = f"detail-{name.replace('_', '-')}"
    value = S.details.get(name, "")
    on_change = lambda v: S.set_detail(name, v)  # noqa: E731
    if multiline:
        return labelled_textarea(
            label, field_id, _err(name), value=value, on_change=on_change, rows="3", **props
        )
    return labelled_input(label, field_id, _err(name), value=value, on_change=on_change, **props)


def _type_fields() -> rx.Component:
    incident = rx.vstack(
        _detail_text("affected_service", "Affected service", placeholder="e.g. VPN, e-mail"),
        _detail_text("started_at", "When it started", type="datetime-local"),
        width="100%",
    )
    problem = rx.vstack(
        _detail_text("steps", "Steps to reproduce", multiline=True),
        _detail_text("expected", "Expected result", multiline=True),
        _detail_text("actual", "Actual result", multiline=True),
        width="100%",
    )
    change = rx.vstack(
        _detail_text("desired_date", "Desired date", type="date"),
        _detail_text("justification", "Justification", multiline=True),
        width="100%",
    )
    return rx.match(
        S.ticket_type,
        (TicketType.INCIDENT.value, incident),
        (TicketType.PROBLEM.value, problem),
        (TicketType.CHANGE_REQUEST.value, change),
        rx.fragment(),
    )


def _description() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.el.label(
                "Description",
                html_for="ticket-description",
                style={"font-weight": "500", "font-size": "14px"},
            ),
            rx.spacer(),
            rx.segmented_control.root(
                rx.segmented_control.item("Write", value="write"),
                rx.segmented_control.item("Preview", value="preview"),
                value=S.desc_tab,
                on_change=S.set_desc_tab,
                size="1",
                aria_label="Description mode",
            ),
            width="100%",
            align="center",
        ),
        rx.box(
            rx.text_area(
                id="ticket-description",
                value=S.description,
                on_change=lambda v: S.set_text("description", v),
                debounce_timeout=300,
                rows="8",
                placeholder="What happened, what did you expect, what have you tried?",
                aria_invalid=rx.cond(_err("description") != "", "true", "false"),
                aria_describedby="ticket-description-hint ticket-description-error",
                width="100%",
            ),
            display=rx.cond(S.desc_tab == "write", "block", "none"),
            width="100%",
        ),
        rx.cond(
            S.desc_tab == "preview",
            rx.box(
                rx.cond(
                    S.preview_html != "",
                    prose(S.preview_html),
                    rx.text("Nothing to preview yet.", color_scheme="gray", size="2"),
                ),
                aria_label="Description preview",
                role="region",
                padding="0.75em",
                border="1px solid var(--gray-a6)",
                border_radius="var(--radius-2)",
                min_height="8em",
                width="100%",
            ),
        ),
        rx.text(
            "Markdown works: **bold**, lists, `code`, links.",
            id="ticket-description-hint",
            size="1",
            color_scheme="gray",
        ),
        field_error(_err("description"), "ticket-description"),
        spacing="1",
        width="100%",
    )


def _requester_picker() -> rx.Component:
    return rx.cond(
        S.is_staff,
        rx.vstack(
            rx.cond(
                S.requester_id != 0,
                rx.hstack(
                    rx.text("Requester: ", weight="medium", size="2"),
                    rx.badge(S.requester_label, size="2", high_contrast=True),
                    rx.button(
                        "Change",
                        size="1",
                        variant="soft",
                        type="button",
                        on_click=S.clear_requester,
                        aria_label="Change requester",
                    ),
                    align="center",
                ),
                rx.vstack(
                    labelled_input(
                        "Requester",
                        "requester-search",
                        _err("requester_id"),
                        hint="Search by name or email. Leave empty to file for yourself.",
                        value=S.requester_query,
                        on_change=S.search_requester,
                        debounce_timeout=250,
                        auto_complete="off",
                    ),
                    rx.cond(
                        S.requester_results.length() > 0,
                        rx.el.ul(
                            rx.foreach(
                                S.requester_results,
                                lambda p: rx.el.li(
                                    rx.button(
                                        p["label"],
                                        type="button",
                                        variant="ghost",
                                        size="2",
                                        on_click=S.choose_requester(p["id"]),
                                    )
                                ),
                            ),
                            aria_label="Matching people",
                            style={"list-style": "none", "padding": 0, "margin": 0},
                        ),
                        rx.cond(
                            S.requester_query != "",
                            rx.text("Nobody matches.", size="2", color_scheme="gray"),
                        ),
                    ),
                    width="100%",
                    spacing="1",
                ),
            ),
            width="100%",
        ),
    )


def _attachments() -> rx.Component:
    return rx.vstack(
        # The label wraps the dropzone, so it names the file input inside it; a click on it
        # opens the file picker natively (the dropzone's own click handler is off).
        rx.el.label(
            rx.text("Attachments", weight="medium", size="2"),
            rx.upload.root(
                rx.vstack(
                    rx.icon("paperclip", size=20, aria_hidden="true"),
                    rx.text("Drop files here, or ", rx.text.strong("choose files"), size="2"),
                    align="center",
                    spacing="1",
                ),
                id=UPLOAD_ID,
                multiple=True,
                max_files=MAX_FILES,
                max_size=attachments.MAX_BYTES,
                accept=ACCEPT,
                no_click=True,
                on_drop=S.add_files(rx.upload_files(upload_id=UPLOAD_ID)),
                on_drop_rejected=S.files_rejected,
                border="1px dashed var(--gray-a8)",
                border_radius="var(--radius-3)",
                padding="1em",
                width="100%",
                cursor="pointer",
            ),
            style={"display": "flex", "flex-direction": "column", "gap": "4px", "width": "100%"},
        ),
        rx.text(
            "Up to 10 files, 10 MB each: images, PDF, text and logs, Office documents, ZIP.",
            id="attachments-hint",
            size="1",
            color_scheme="gray",
        ),
        rx.cond(
            S.files.length() > 0,
            rx.el.ul(
                rx.foreach(
                    S.files,
                    lambda f: rx.el.li(
                        rx.hstack(
                            rx.icon("file", size=16, aria_hidden="true"),
                            rx.text(f["name"], size="2"),
                            rx.text(f["size"], size="1", color_scheme="gray"),
                            rx.icon_button(
                                rx.icon("x", size=14),
                                size="1",
                                variant="ghost",
                                color_scheme="red",
                                type="button",
                                aria_label="Remove " + f["name"],
                                on_click=S.remove_file(f["token"]),
                            ),
                            align="center",
                        )
                    ),
                ),
                aria_label="Chosen files",
                style={"list-style": "none", "padding": 0, "margin": 0},
            ),
        ),
        field_error(_err("attachments"), "attachments"),
        spacing="1",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.box(
        rx.vstack(
            _requester_picker(),
            labelled_input(
                "Title",
                "ticket-title",
                _err("title"),
                hint="One line that sums it up.",
                value=S.title,
                on_change=lambda v: S.set_text("title", v),
                debounce_timeout=300,
                max_length=tickets.MAX_TITLE,
                auto_complete="off",
            ),
            _description(),
            rx.grid(
                labelled_select(
                    "Type",
                    "ticket-type",
                    TYPE_OPTIONS,
                    S.ticket_type,
                    lambda v: S.set_choice("ticket_type", v),
                    _err("type"),
                ),
                rx.vstack(
                    labelled_select(
                        "Category",
                        "ticket-category",
                        S.categories,
                        S.category,
                        lambda v: S.set_choice("category", v),
                        _err("category_id"),
                    ),
                    _suggested_category(),  # ROUTING:
                    spacing="1",
                    width="100%",
                ),
                labelled_select(
                    "Impact",
                    "ticket-impact",
                    IMPACT_OPTIONS,
                    S.impact,
                    lambda v: S.set_choice("impact", v),
                    _err("impact"),
                    hint="How much it hurts your work.",
                ),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="3",
                width="100%",
            ),
            _type_fields(),
            _attachments(),
            rx.cond(
                _err("form") != "",
                rx.callout(_err("form"), icon="triangle-alert", color_scheme="red", role="alert"),
            ),
            rx.hstack(
                rx.button(
                    "Submit ticket",
                    type="button",
                    on_click=S.submit,
                    loading=S.submitting,
                    disabled=S.submitting,
                    size="3",
                ),
                rx.link("Cancel", href=S.home_path, size="2"),
                align="center",
                spacing="4",
            ),
            spacing="4",
            width="100%",
        ),
        id="new-ticket-form",
        width="100%",
    )


def _suggested_category() -> rx.Component:
    """ROUTING: "Suggested category: X" with a one-click "Use it", as the requester types."""
    return rx.box(
        rx.cond(
            (S.suggested_category != "") & (S.category != S.suggested_category_id),
            rx.hstack(
                rx.text("Suggested category: " + S.suggested_category, size="2"),
                rx.button(
                    "Use it",
                    size="1",
                    variant="soft",
                    type="button",
                    aria_label="Use suggested category " + S.suggested_category,
                    on_click=lambda: S.set_choice("category", S.suggested_category_id),
                ),
                align="center",
                spacing="2",
            ),
        ),
        aria_live="polite",
    )


def _suggestion(s: rx.Var[Suggestion]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.button(
                    rx.html(s["title_html"]),
                    type="button",
                    variant="ghost",
                    on_click=S.open_article(s["id"]),
                    aria_label="Open article: " + s["title"],
                    style={"height": "auto", "text-align": "left", "justify-content": "flex-start"},
                ),
                rx.html(s["snippet_html"], class_name="kb-snippet", style={"font-size": "13px"}),
                rx.cond(
                    s["category"] != "",
                    rx.badge(s["category"], variant="soft", high_contrast=True, size="1"),
                ),
                spacing="1",
                align="start",
            ),
            size="1",
            width="100%",
        ),
    )


def _suggestions() -> rx.Component:
    return rx.el.section(
        rx.heading("Suggested articles", as_="h2", size="4", id="suggested-heading"),
        rx.cond(
            S.suggestions.length() > 0,
            rx.vstack(
                rx.text("These may already answer your question:", size="2", color_scheme="gray"),
                rx.el.ul(
                    rx.foreach(S.suggestions, _suggestion),
                    style={
                        "list-style": "none",
                        "padding": 0,
                        "margin": 0,
                        "display": "flex",
                        "flex-direction": "column",
                        "gap": "0.5em",
                    },
                ),
                spacing="2",
            ),
            rx.text(
                "Start typing a title and articles that may already answer it appear here.",
                size="2",
                color_scheme="gray",
            ),
        ),
        rx.text(
            rx.cond(
                S.suggestions.length() > 0,
                S.suggestions.length().to_string() + " suggested articles",
                "",
            ),
            role="status",
            style=VISUALLY_HIDDEN,
        ),
        aria_labelledby="suggested-heading",
        style={"display": "flex", "flex-direction": "column", "gap": "0.5em", "width": "100%"},
    )


def _article_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(S.article_loading, "Loading article", S.article_title)),
            rx.dialog.description(
                "Does this article solve your problem?", size="2", color_scheme="gray"
            ),
            rx.cond(
                S.article_loading,
                rx.center(rx.spinner(), padding="2em"),
                rx.scroll_area(
                    prose(S.article_html, "markdown-body kb-prose"),
                    type="auto",
                    scrollbars="vertical",
                    style={"max-height": "55vh"},
                ),
            ),
            rx.hstack(
                rx.link(
                    "Open in the knowledge base",
                    href="/kb/" + S.article_slug,
                    is_external=True,
                    size="2",
                ),
                rx.spacer(),
                rx.button(
                    "I still need help",
                    variant="soft",
                    color_scheme="gray",
                    type="button",
                    on_click=S.still_need_help,
                ),
                rx.button(
                    "This solved my problem",
                    type="button",
                    on_click=S.solved,
                    disabled=S.article_loading,
                ),
                spacing="3",
                margin_top="1em",
                align="center",
                wrap="wrap",
            ),
            max_width="720px",
        ),
        open=S.article_open,
        on_open_change=S.set_article_open,
    )


def ticket_new_page() -> rx.Component:
    return page_frame(
        rx.grid(
            rx.box(_form(), grid_column=rx.breakpoints(initial="auto", md="span 2")),
            rx.box(_suggestions()),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="6",
            width="100%",
        ),
        _article_dialog(),
        title="New ticket",
        roles=SIGNED_IN,
    )
