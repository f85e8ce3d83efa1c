"""/kb/new and /kb/[slug]/edit: write an article (agents and managers).

Markdown body with Write / Preview, category, tags, status, audience, language. Errors show next
to their field. If someone else saved the article after it was opened, the save is refused with
a Conflict message and everything typed stays on screen; the user can then overwrite (their
version stays in the history) or open the current article in a new tab.

`/kb/new?from_ticket=<number>` prefills title and body from a resolved ticket: its description
and public replies, never internal notes (services/kb_extras.draft_from_ticket).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import reflex as rx

from ticketapp import live
from ticketapp.components.kb_link_picker import kb_link_picker
from ticketapp.components.layout import field_error, labelled_input, page_frame, select_control
from ticketapp.db import run_in_session
from ticketapp.pages.kb_article.view_model import slug_from_path
from ticketapp.services import kb, kb_extras, markdown
from ticketapp.services.actor import Actor
from ticketapp.services.errors import Conflict, NotFound, ServiceError, ValidationError
from ticketapp.state import STAFF, SessionState

NO_CATEGORY = "none"
STATUS_OPTIONS = [("draft", "Draft (staff only)"), ("published", "Published")]
AUDIENCE_OPTIONS = [
    ("public", "Public (requesters and staff)"),
    ("internal", "Internal (staff only)"),
]
LANGUAGE_OPTIONS = [("en", "English"), ("ru", "Русский")]
FIELD_ALIASES = {"category_id": "category"}


def _categories(session, actor: Actor) -> list[list[str]]:
    return [[NO_CATEGORY, "No category"]] + [
        [str(c.id), c.name] for c in kb.list_categories(session, actor)
    ]


def _load_edit(session, actor: Actor, slug: str) -> dict:
    view = kb.get_article(session, actor, slug)
    return {
        "id": view.id,
        "slug": view.slug,
        "title": view.title,
        "body": view.body,
        "category": str(view.category_id) if view.category_id else NO_CATEGORY,
        "tags": ", ".join(view.tags),
        "status": view.status,
        "audience": view.audience,
        "language": view.language,
        "updated_at": view.updated_at,
        "categories": _categories(session, actor),
    }


def _load_new(session, actor: Actor, from_ticket: str) -> dict:
    data: dict = {"categories": _categories(session, actor)}
    if from_ticket:
        draft = kb_extras.draft_from_ticket(session, actor, from_ticket)
        data.update(
            title=draft.title,
            body=draft.body,
            category=str(draft.category_id) if draft.category_id else NO_CATEGORY,
            ticket_number=draft.ticket_number,
        )
    return data


def _current_updated_at(session, actor: Actor, article_id: int) -> datetime:
    return kb.get_article_by_id(session, actor, article_id).updated_at


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
    categories: list[list[str]] = [[NO_CATEGORY, "No category"]]
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
            return "Article not found" if self.not_found else "Edit article"
        return "New article"

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
                    _load_edit, actor, slug_from_path(path, "/edit"), readonly=True
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
                data = await run_in_session(_load_new, actor, from_ticket, readonly=True)
            except ServiceError as exc:
                data = await run_in_session(_load_new, actor, "", readonly=True)
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
                self.notice = (
                    f"Prefilled from ticket #{data['ticket_number']}: its description and "
                    "public replies (internal notes are left out). Remove anything personal "
                    "before publishing."
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
        verb = "saved" if self.mode == "edit" else "created"
        yield rx.toast.success(f"Article {verb}.")
        yield rx.redirect(f"/kb/{article.slug}")

    @rx.event
    async def overwrite(self):
        """After a Conflict: save this text over the newer version (which stays in history)."""
        actor = await self.current_actor()
        try:
            self._expected = await run_in_session(
                _current_updated_at, actor, self._article_id, readonly=True
            )
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        self.conflict = ""
        yield KbEditorState.save


# --------------------------------------------------------------------------- components


def _label(text: str, html_for: str) -> rx.Component:
    return rx.el.label(text, html_for=html_for, style={"font-weight": "500", "font-size": "14px"})


def _select_field(label: str, field: str, options, value, on_change) -> rx.Component:
    field_id = f"kb-{field}"
    return rx.vstack(
        _label(label, field_id),
        select_control(options, value, on_change, trigger_id=field_id),
        field_error(KbEditorState.errors.get(field, ""), field_id),
        spacing="1",
    )


def _conflict() -> rx.Component:
    return rx.cond(
        KbEditorState.conflict != "",
        rx.vstack(
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle-alert")),
                rx.callout.text(KbEditorState.conflict, weight="medium"),
                rx.callout.text(
                    "Your text is still here. Open the current article in a new tab to "
                    "compare, then save yours over it (the other version is kept in the history)."
                ),
                color_scheme="orange",
                high_contrast=True,
                role="alert",
                width="100%",
            ),
            rx.hstack(
                rx.link(
                    "Open the current article in a new tab",
                    href="/kb/" + KbEditorState.slug,
                    is_external=True,
                ),
                rx.button("Save mine anyway", size="2", on_click=KbEditorState.overwrite),
                spacing="4",
                align="center",
            ),
            spacing="2",
            width="100%",
        ),
    )


def _body_field() -> rx.Component:
    error = KbEditorState.errors.get("body", "")
    return rx.vstack(
        rx.hstack(
            rx.el.span(
                "Body", id="kb-body-label", style={"font-weight": "500", "font-size": "14px"}
            ),
            rx.text(
                "Markdown: **bold**, *italic*, # headings, - lists, [link](url)",
                size="1",
                color_scheme="gray",
                id="kb-body-hint",
            ),
            rx.spacer(),
            kb_link_picker(KbEditorState.insert_link, label="Link an article"),
            align="center",
            spacing="3",
            width="100%",
        ),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger("Write", value="write"),
                rx.tabs.trigger("Preview", value="preview"),
            ),
            rx.tabs.content(
                rx.text_area(
                    id="kb-body",
                    value=KbEditorState.body,
                    on_change=KbEditorState.set_body,
                    aria_labelledby="kb-body-label",
                    aria_describedby="kb-body-hint kb-body-error",
                    aria_invalid=rx.cond(error != "", "true", "false"),
                    rows="18",
                    resize="vertical",
                    width="100%",
                    class_name="kb-body-input",
                ),
                value="write",
                padding_top="0.75em",
            ),
            rx.tabs.content(
                rx.card(
                    rx.cond(
                        KbEditorState.body.strip() != "",
                        rx.html(KbEditorState.preview_html, class_name="kb-prose"),
                        rx.text("Nothing to preview yet.", color_scheme="gray"),
                    ),
                    min_height="12em",
                    width="100%",
                ),
                value="preview",
                padding_top="0.75em",
            ),
            value=KbEditorState.tab,
            on_change=KbEditorState.set_tab,
            width="100%",
        ),
        field_error(error, "kb-body"),
        spacing="1",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.cond(
            KbEditorState.notice != "",
            rx.callout(KbEditorState.notice, icon="info", width="100%"),
        ),
        _conflict(),
        labelled_input(
            "Title",
            "kb-title",
            KbEditorState.errors.get("title", ""),
            value=KbEditorState.title,
            on_change=KbEditorState.set_title,
            max_length=kb.MAX_TITLE,
            aria_required="true",
        ),
        _body_field(),
        rx.grid(
            _select_field(
                "Category",
                "category",
                KbEditorState.categories,
                KbEditorState.category,
                KbEditorState.set_category,
            ),
            _select_field(
                "Status", "status", STATUS_OPTIONS, KbEditorState.status, KbEditorState.set_status
            ),
            _select_field(
                "Audience",
                "audience",
                AUDIENCE_OPTIONS,
                KbEditorState.audience,
                KbEditorState.set_audience,
            ),
            _select_field(
                "Language",
                "language",
                LANGUAGE_OPTIONS,
                KbEditorState.language,
                KbEditorState.set_language,
            ),
            columns=rx.breakpoints(initial="1", sm="2", md="4"),
            spacing="4",
            width="100%",
        ),
        labelled_input(
            "Tags",
            "kb-tags",
            KbEditorState.errors.get("tags", ""),
            hint="Comma-separated, e.g. printer, offline. Tags weigh more than the body in search.",
            value=KbEditorState.tags,
            on_change=KbEditorState.set_tags,
        ),
        rx.hstack(
            rx.button(
                "Cancel",
                variant="soft",
                color_scheme="gray",
                type="button",
                on_click=rx.redirect(
                    rx.cond(KbEditorState.mode == "edit", "/kb/" + KbEditorState.slug, "/kb")
                ),
            ),
            rx.button(
                rx.cond(KbEditorState.mode == "edit", "Save changes", "Create article"),
                loading=KbEditorState.saving,
                on_click=KbEditorState.save,
            ),
            justify="end",
            spacing="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _editor() -> rx.Component:
    return rx.cond(
        KbEditorState.loading,
        rx.center(rx.spinner(size="3"), width="100%", aria_label="Loading"),
        rx.cond(
            KbEditorState.not_found,
            rx.vstack(
                rx.text("This article does not exist or was removed."),
                rx.link("Back to the knowledge base", href="/kb"),
            ),
            _form(),
        ),
    )


def kb_new_page() -> rx.Component:
    return page_frame(_editor(), title=KbEditorState.heading, roles=STAFF)


def kb_edit_page() -> rx.Component:
    return page_frame(_editor(), title=KbEditorState.heading, roles=STAFF)
