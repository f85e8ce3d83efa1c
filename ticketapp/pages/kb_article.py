"""/kb/[slug]: one article, "Was this helpful?", related articles; for staff also edit, version
history and delete. A requester asking for an internal or draft article gets "Article not found"
(services/kb.py answers NotFound, so its existence is not revealed)."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp import live
from ticketapp.components.layout import page_frame
from ticketapp.db import run_in_session
from ticketapp.pages.kb import ArticleRow, article_rows, fmt_date, fmt_datetime, status_badges
from ticketapp.services import kb, markdown
from ticketapp.services.actor import Actor
from ticketapp.services.errors import NotFound, ServiceError
from ticketapp.state import SIGNED_IN, SessionState


class ArticleData(TypedDict):
    slug: str
    title: str
    html: str  # sanitised by services.markdown.render
    category: str
    category_id: str
    tags: list[str]
    status: str
    audience: str
    language: str
    author: str
    updated: str
    created: str
    helpful_yes: int
    helpful_no: int


class VersionRow(TypedDict):
    no: int
    title: str
    html: str
    tags: str
    editor: str
    when: str


EMPTY_ARTICLE = ArticleData(
    slug="",
    title="",
    html="",
    category="",
    category_id="",
    tags=[],
    status="",
    audience="",
    language="",
    author="",
    updated="",
    created="",
    helpful_yes=0,
    helpful_no=0,
)


def slug_from_path(path: str, suffix: str = "") -> str:
    """`/kb/<slug>` (or `/kb/<slug>/edit` with suffix="/edit") -> slug."""
    path = (path or "").rstrip("/")
    if suffix and path.endswith(suffix):
        path = path[: -len(suffix)]
    prefix = "/kb/"
    return path[len(prefix) :] if path.startswith(prefix) else ""


def _load(session, actor: Actor, slug: str) -> dict:
    view = kb.get_article(session, actor, slug)
    staff = actor.is_staff
    article = ArticleData(
        slug=view.slug,
        title=view.title,
        html=markdown.render(view.body),
        category=view.category,
        category_id=str(view.category_id or ""),
        tags=list(view.tags),
        status=view.status if staff else "",
        audience=view.audience if staff else "",
        language=view.language,
        author=view.author_name,
        updated=fmt_date(view.updated_at),
        created=fmt_date(view.created_at),
        helpful_yes=view.helpful_yes,
        helpful_no=view.helpful_no,
    )
    versions = (
        [
            VersionRow(
                no=v.version_no,
                title=v.title,
                html=markdown.render(v.body),
                tags=", ".join(v.tags),
                editor=v.editor_name or "Unknown",
                when=fmt_datetime(v.created_at),
            )
            for v in kb.list_versions(session, actor, view.id)
        ]
        if view.can_edit
        else []
    )
    related = article_rows(kb.related_articles(session, actor, view.id, limit=5), staff)
    vote = "" if view.my_vote is None else ("yes" if view.my_vote else "no")
    return {
        "id": view.id,
        "article": article,
        "vote": vote,
        "can_edit": view.can_edit,
        "versions": versions,
        "related": related,
    }


class KbArticleState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    article: ArticleData = EMPTY_ARTICLE
    found: bool = False
    loading: bool = True
    my_vote: str = ""  # "yes" | "no" | ""
    can_edit: bool = False
    related: list[ArticleRow] = []
    versions: list[VersionRow] = []
    version_open: int = 0  # version_no shown in the dialog, 0: none
    confirm_delete: bool = False
    deleting: bool = False
    voting: bool = False

    _article_id: int = 0

    @rx.var
    def heading(self) -> str:
        if self.loading:
            return ""
        return self.article["title"] if self.found else "Article not found"

    @rx.var
    def shown_version(self) -> VersionRow:
        for v in self.versions:
            if v["no"] == self.version_open:
                return v
        return VersionRow(no=0, title="", html="", tags="", editor="", when="")

    @rx.event
    async def on_load(self):
        self.loading = True
        self.found = False
        self.version_open = 0
        self.confirm_delete = False
        yield
        actor = await self.current_actor()
        if actor is None:
            return
        slug = slug_from_path(self.router.url.path)
        try:
            data = await run_in_session(_load, actor, slug, readonly=True)
        except NotFound:
            self._article_id = 0
            self.article = EMPTY_ARTICLE
            self.related, self.versions, self.my_vote, self.can_edit = [], [], "", False
            self.loading = False
            return
        self._article_id = data["id"]
        self.article = data["article"]
        self.my_vote = data["vote"]
        self.can_edit = data["can_edit"]
        self.versions = data["versions"]
        self.related = data["related"]
        self.found = True
        self.loading = False

    @rx.event
    async def vote(self, helpful: bool):
        if not isinstance(helpful, bool) or not self._article_id:
            return
        actor = await self.current_actor()
        self.voting = True
        yield
        try:
            result = await run_in_session(kb.record_feedback, actor, self._article_id, helpful)
        except ServiceError as exc:
            self.voting = False
            yield rx.toast.error(exc.message)
            return
        self.my_vote = "" if result.my_vote is None else ("yes" if result.my_vote else "no")
        self.article["helpful_yes"] = result.helpful_yes
        self.article["helpful_no"] = result.helpful_no
        self.voting = False
        yield rx.toast.success(
            "Thanks for your feedback!"
            if helpful
            else "Thanks for telling us. We will improve this article."
        )

    @rx.event
    def show_version(self, version_no: int):
        self.version_open = version_no if isinstance(version_no, int) else 0

    @rx.event
    def set_version_open(self, open_: bool):
        if not open_:
            self.version_open = 0

    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = bool(value)

    @rx.event
    async def delete(self):
        actor = await self.current_actor()
        if not self._article_id:
            return
        self.deleting = True
        yield
        title = self.article["title"]
        try:
            await run_in_session(kb.delete_article, actor, self._article_id)
        except ServiceError as exc:
            self.deleting = False
            self.confirm_delete = False
            yield rx.toast.error(exc.message)
            return
        live.publish(live.Change(kind="kb", actor_id=actor.id))
        self._article_id = 0
        self.found = False
        self.deleting = False
        self.confirm_delete = False
        yield rx.toast.success(f"Deleted “{title}”.")
        yield rx.redirect("/kb")


# --------------------------------------------------------------------------- components


def _meta() -> rx.Component:
    a = KbArticleState.article
    return rx.flex(
        status_badges(a["status"], a["audience"]),
        rx.cond(a["category"] != "", rx.badge(a["category"], variant="surface")),
        rx.text("Updated ", a["updated"], size="2", color_scheme="gray"),
        rx.cond(a["author"] != "", rx.text("by ", a["author"], size="2", color_scheme="gray")),
        spacing="3",
        align="center",
        wrap="wrap",
    )


def _tags() -> rx.Component:
    tags = KbArticleState.article["tags"]
    return rx.cond(
        tags.length() > 0,
        rx.hstack(
            rx.text("Tags:", size="2", color_scheme="gray"),
            rx.el.ul(
                rx.foreach(
                    tags,
                    lambda t: rx.el.li(rx.badge(t, variant="soft", color_scheme="gray")),
                ),
                aria_label="Tags",
                style={
                    "display": "flex",
                    "gap": "6px",
                    "list-style": "none",
                    "padding": 0,
                    "margin": 0,
                    "flex-wrap": "wrap",
                },
            ),
            align="center",
        ),
    )


def _vote_button(label: str, value: bool, key: str, icon: str) -> rx.Component:
    chosen = KbArticleState.my_vote == key
    return rx.button(
        rx.icon(icon, size=16),
        label,
        variant=rx.cond(chosen, "solid", "outline"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        disabled=KbArticleState.voting,
        on_click=KbArticleState.vote(value),
    )


def _feedback() -> rx.Component:
    return rx.el.section(
        rx.card(
            rx.hstack(
                rx.heading("Was this helpful?", size="3", as_="h2", id="kb-helpful"),
                rx.el.div(
                    rx.hstack(
                        _vote_button("Yes", True, "yes", "thumbs-up"),
                        _vote_button("No", False, "no", "thumbs-down"),
                    ),
                    role="group",
                    aria_labelledby="kb-helpful",
                ),
                rx.cond(
                    KbArticleState.my_vote != "",
                    rx.text(
                        rx.cond(
                            KbArticleState.my_vote == "yes",
                            "You found this helpful.",
                            "You said this did not help.",
                        ),
                        size="2",
                        color_scheme="gray",
                        aria_live="polite",
                    ),
                ),
                align="center",
                spacing="4",
                wrap="wrap",
            ),
        ),
        width="100%",
    )


def _related() -> rx.Component:
    return rx.cond(
        KbArticleState.related.length() > 0,
        rx.el.section(
            rx.heading("Related articles", size="4", as_="h2"),
            rx.el.ul(
                rx.foreach(
                    KbArticleState.related,
                    lambda r: rx.el.li(
                        rx.hstack(
                            rx.link(r["title"], href="/kb/" + r["slug"]),
                            status_badges(r["status"], r["audience"]),
                            align="center",
                        ),
                        class_name="kb-list-item",
                    ),
                ),
                class_name="kb-list",
                aria_label="Related articles",
            ),
            width="100%",
        ),
    )


def _version_row(v: rx.Var[VersionRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell("Version ", v["no"].to_string()),
        rx.table.cell(v["title"]),
        rx.table.cell(v["editor"]),
        rx.table.cell(v["when"]),
        rx.table.cell(
            rx.button(
                "View",
                size="1",
                variant="soft",
                aria_label="View version " + v["no"].to_string(),
                on_click=KbArticleState.show_version(v["no"]),
            )
        ),
    )


def _history() -> rx.Component:
    return rx.el.section(
        rx.heading("Version history", size="4", as_="h2", id="kb-history-heading"),
        rx.cond(
            KbArticleState.versions.length() > 0,
            rx.vstack(
                rx.text(
                    "Each row is the text as it was before an edit, with who replaced it and when.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("Version", "Title", "Replaced by", "When")
                            ],
                            rx.table.column_header_cell(
                                rx.el.span("Actions", class_name="sr-only")
                            ),
                        )
                    ),
                    rx.table.body(rx.foreach(KbArticleState.versions, _version_row)),
                    width="100%",
                ),
                width="100%",
            ),
            rx.text(
                "No earlier versions: this article has not been edited.",
                size="2",
                color_scheme="gray",
            ),
        ),
        rx.dialog.root(
            rx.dialog.content(
                rx.dialog.title(
                    "Version ",
                    KbArticleState.shown_version["no"].to_string(),
                    ": ",
                    KbArticleState.shown_version["title"],
                ),
                rx.dialog.description(
                    "Replaced by ",
                    KbArticleState.shown_version["editor"],
                    " on ",
                    KbArticleState.shown_version["when"],
                    ".",
                    size="2",
                ),
                rx.scroll_area(
                    rx.html(KbArticleState.shown_version["html"], class_name="kb-prose"),
                    max_height="60vh",
                    type="auto",
                    margin_y="1em",
                ),
                rx.cond(
                    KbArticleState.shown_version["tags"] != "",
                    rx.text("Tags: ", KbArticleState.shown_version["tags"], size="2"),
                ),
                rx.hstack(
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    justify="end",
                ),
                max_width="760px",
            ),
            open=KbArticleState.version_open != 0,
            on_open_change=KbArticleState.set_version_open,
        ),
        aria_labelledby="kb-history-heading",
        width="100%",
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                rx.icon("trash-2", size=16),
                "Delete",
                color_scheme="red",
                variant="soft",
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this article?"),
            rx.alert_dialog.description(
                "“",
                KbArticleState.article["title"],
                "” will be removed with its version history and votes. "
                "Links to it will show “Article not found”. This cannot be undone.",
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(
                    "Delete article",
                    color_scheme="red",
                    loading=KbArticleState.deleting,
                    on_click=KbArticleState.delete,
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
        open=KbArticleState.confirm_delete,
        on_open_change=KbArticleState.set_confirm_delete,
    )


def _staff_actions() -> rx.Component:
    return rx.cond(
        KbArticleState.can_edit,
        rx.hstack(
            rx.button(
                rx.icon("pencil", size=16),
                "Edit",
                on_click=rx.redirect("/kb/" + KbArticleState.article["slug"] + "/edit"),
            ),
            _delete_dialog(),
            spacing="3",
        ),
    )


def _not_found() -> rx.Component:
    return rx.vstack(
        rx.text("This article does not exist, was removed, or is not available to you."),
        rx.link("Search the knowledge base", href="/kb"),
        spacing="2",
    )


def kb_article_page() -> rx.Component:
    return page_frame(
        rx.cond(
            KbArticleState.loading,
            rx.center(rx.spinner(size="3"), width="100%", aria_label="Loading"),
            rx.cond(
                KbArticleState.found,
                rx.vstack(
                    rx.hstack(
                        _meta(),
                        rx.spacer(),
                        _staff_actions(),
                        width="100%",
                        align="center",
                        wrap="wrap",
                    ),
                    rx.el.article(
                        rx.html(KbArticleState.article["html"], class_name="kb-prose"),
                        aria_label=KbArticleState.article["title"],
                        lang=KbArticleState.article["language"],
                        width="100%",
                    ),
                    _tags(),
                    _feedback(),
                    _related(),
                    rx.cond(KbArticleState.can_edit, _history()),
                    rx.link("← All articles", href="/kb", size="2"),
                    spacing="5",
                    width="100%",
                ),
                _not_found(),
            ),
        ),
        title=KbArticleState.heading,
        roles=SIGNED_IN,
    )
