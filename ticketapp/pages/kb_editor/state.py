"""KbEditorState: the form's values and errors, Write / Preview, save (with its Conflict check)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import reflex as rx

from ticketapp import live
from ticketapp.db import run_in_session
from ticketapp.i18n import N_, _
from ticketapp.pages.kb_article.view_model import slug_from_path
from ticketapp.pages.kb_editor.view_model import (
    NO_CATEGORY,
    current_updated_at,
    load_edit,
    load_new,
)
from ticketapp.services import kb, markdown
from ticketapp.services.errors import Conflict, NotFound, ServiceError, ValidationError
from ticketapp.state import STAFF, SessionState

FIELD_ALIASES = {"category_id": "category"}


class KbEditorState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = STAFF

    mode: str = "new"  # "new" | "edit"
    loading: bool = True
    not_found: bool = False
    slug: str = ""
    title: str = ""
    body: str = ""
    category: str = NO_CATEGORY
    tags: str = ""
    status: str = "draft"
    audience: str = "public"
    language: str = "en"
    categories: list[list[str]] = [[NO_CATEGORY, N_("No category")]]  # until on_load
    errors: dict[str, str] = {}
    conflict: str = ""
    notice: str = ""  # e.g. "Prefilled from ticket #1042"
    tab: str = "write"
    preview_html: str = ""
    saving: bool = False

    _article_id: int = 0
    _expected: datetime | None = None

    @rx.var
    def heading(self) -> str:
        if self.mode == "edit":
            return _("Article not found") if self.not_found else _("Edit article")
        return _("New article")

    def _reset_form(self):
        self.title, self.body, self.tags = "", "", ""
        self.category, self.status, self.audience, self.language = (
            NO_CATEGORY,
            "draft",
            "public",
            "en",
        )
        self.errors, self.conflict, self.notice = {}, "", ""
        self.tab, self.preview_html = "write", ""
        self.not_found, self.saving, self.slug = False, False, ""
        self._article_id, self._expected = 0, None

    @rx.event
    async def on_load(self):
        self.loading = True
        self._reset_form()
        path = (self.router.url.path or "").rstrip("/")
        self.mode = "edit" if path.endswith("/edit") else "new"
        yield
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        if self.mode == "edit":
            try:
                data = await run_in_session(
                    load_edit, actor, slug_from_path(path, "/edit"), readonly=True
                )
            except NotFound:
                self.not_found = True
                self.loading = False
                return
            self._article_id = data["id"]
            self._expected = data["updated_at"]
            self.slug = data["slug"]
            for key in ("title", "body", "category", "tags", "status", "audience", "language"):
                setattr(self, key, data[key])
            self.categories = data["categories"]
        else:
            from_ticket = str(self.router.url.query_parameters.get("from_ticket", ""))[:20]
            try:
                data = await run_in_session(load_new, actor, from_ticket, readonly=True)
            except ServiceError as exc:
                data = await run_in_session(load_new, actor, "", readonly=True)
                self.categories = data["categories"]
                self.loading = False
                yield rx.toast.error(
                    exc.message if not isinstance(exc, NotFound) else "Ticket not found."
                )
                return
            self.categories = data["categories"]
            if "ticket_number" in data:
                self.title = data["title"]
                self.body = data["body"]
                self.category = data["category"]
                self.notice = _(
                    "Prefilled from ticket #{number}: its description and "
                    "public replies (internal notes are left out). Remove anything personal "
                    "before publishing.",
                    number=data["ticket_number"],
                )
        self.loading = False

    # Field setters: plain strings, length-capped; the service validates on save.
    @rx.event
    def set_title(self, value: str):
        self.title = str(value)[: kb.MAX_TITLE + 50]
        self.errors.pop("title", None)

    @rx.event
    def set_body(self, value: str):
        self.body = str(value)[: kb.MAX_BODY + 1]
        self.errors.pop("body", None)

    @rx.event
    def set_tags(self, value: str):
        self.tags = str(value)[: kb.MAX_TAGS + 50]
        self.errors.pop("tags", None)

    @rx.event
    def set_category(self, value: str):
        self.category = str(value)[:20]
        self.errors.pop("category", None)

    @rx.event
    def set_status(self, value: str):
        self.status = str(value)[:20]

    @rx.event
    def set_audience(self, value: str):
        self.audience = str(value)[:20]

    @rx.event
    def set_language(self, value: str):
        self.language = str(value)[:8]

    @rx.event
    def insert_link(self, link: str):
        """From the KB link picker: append "[Title](/kb/slug)" to the body."""
        if isinstance(link, str) and link.startswith("[") and len(link) < 400:
            self.body = (self.body.rstrip() + "\n\n" + link + "\n").lstrip()
            self.tab = "write"

    @rx.event
    def set_tab(self, value: str):
        self.tab = "preview" if value == "preview" else "write"
        if self.tab == "preview":
            self.preview_html = markdown.render(self.body)

    def _fields(self) -> dict:
        return {
            "title": self.title,
            "body": self.body,
            "category_id": None if self.category == NO_CATEGORY else self.category,
            "tags": self.tags,
            "status": self.status,
            "audience": self.audience,
            "language": self.language,
        }

    @rx.event
    async def save(self):
        actor = await self.current_actor()
        self.errors = {}
        self.saving = True
        yield
        try:
            if self.mode == "edit":
                if not self._article_id:
                    raise NotFound("Article not found.")
                article = await run_in_session(
                    kb.update_article,
                    actor,
                    self._article_id,
                    expected_updated_at=self._expected,
                    **self._fields(),
                )
            else:
                article = await run_in_session(kb.create_article, actor, **self._fields())
        except ValidationError as exc:
            self.saving = False
            field = FIELD_ALIASES.get(exc.field or "", exc.field or "")
            if field in ("title", "body", "tags", "category", "status", "audience", "language"):
                self.errors = {field: exc.message}
                self.tab = "write" if field == "body" else self.tab
            else:
                yield rx.toast.error(exc.message)
            return
        except Conflict as exc:
            self.saving = False
            self.conflict = exc.message
            return
        except ServiceError as exc:
            self.saving = False
            yield rx.toast.error(exc.message)
            return
        live.publish(live.Change(kind="kb", actor_id=actor.id))
        self.saving = False
        self.conflict = ""
        yield rx.toast.success(
            _("Article saved.") if self.mode == "edit" else _("Article created.")
        )
        yield rx.redirect(f"/kb/{article.slug}")

    @rx.event
    async def overwrite(self):
        """After a Conflict: save this text over the newer version (which stays in history)."""
        actor = await self.current_actor()
        try:
            self._expected = await run_in_session(
                current_updated_at, actor, self._article_id, readonly=True
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        self.conflict = ""
        yield KbEditorState.save
