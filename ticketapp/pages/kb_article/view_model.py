"""One article and its version history as the browser gets them, what the page loads, and the
slug in an article URL (shared with the editor)."""

from __future__ import annotations

from typing import TypedDict

from ticketapp.i18n import _
from ticketapp.pages.kb.view_model import article_rows, fmt_date, fmt_datetime
from ticketapp.services import kb, markdown
from ticketapp.services.actor import Actor


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


def _article_data(view, staff: bool) -> ArticleData:
    return ArticleData(
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


def _version_rows(session, actor: Actor, article_id: int) -> list[VersionRow]:
    return [
        VersionRow(
            no=v.version_no,
            title=v.title,
            html=markdown.render(v.body),
            tags=", ".join(v.tags),
            editor=v.editor_name or _("Unknown"),
            when=fmt_datetime(v.created_at),
        )
        for v in kb.list_versions(session, actor, article_id)
    ]


def load_article(session, actor: Actor, slug: str) -> dict:
    """The article, the reader's vote, related articles and (editors) its versions."""
    view = kb.get_article(session, actor, slug)
    staff = actor.is_staff
    article = _article_data(view, staff)
    versions = _version_rows(session, actor, view.id) if view.can_edit else []
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
