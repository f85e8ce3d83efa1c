"""Knowledge base search hits, articles and categories as the browser gets them, the date formats,
and what the /kb page loads. The article page (pages/kb_article) uses these rows too."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from ticketapp.services import kb, kb_extras
from ticketapp.services.actor import Actor

ALL = "all"  # the category select's "All categories"


class HitRow(TypedDict):
    slug: str
    title: str
    title_html: str  # escaped by the service, <mark> around matched words
    snippet_html: str
    category: str
    status: str  # "" for requesters: everything they see is published and public
    audience: str


class ArticleRow(TypedDict):
    slug: str
    title: str
    category: str
    status: str
    audience: str
    helpful_yes: int
    updated: str


class CategoryRow(TypedDict):
    id: str
    name: str
    count: int


def fmt_date(value: datetime | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return f"{value.day} {value:%b %Y, %H:%M} UTC" if value else ""


def parse_category(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else None


def article_rows(summaries: list[kb.ArticleSummary], staff: bool) -> list[ArticleRow]:
    return [
        ArticleRow(
            slug=a.slug,
            title=a.title,
            category=a.category,
            status=a.status if staff else "",
            audience=a.audience if staff else "",
            helpful_yes=a.helpful_yes,
            updated=fmt_date(a.updated_at),
        )
        for a in summaries
    ]


def search_rows(session, actor: Actor, query: str, category_id: int | None, limit: int = 10):
    hits = kb.search(session, actor, query, category_id=category_id, limit=limit)
    flags = kb_extras.article_flags(session, actor, [h.id for h in hits])
    rows = []
    for h in hits:
        flag = flags.get(h.id)
        rows.append(
            HitRow(
                slug=h.slug,
                title=h.title,
                title_html=h.title_html,
                snippet_html=h.snippet_html,
                category=h.category,
                status=flag.status if flag else "",
                audience=flag.audience if flag else "",
            )
        )
    return rows


def overview(session, actor: Actor, category_id: int | None) -> dict:
    """Categories and the article lists shown without a query (one category's, when given)."""
    staff = actor.is_staff
    cats = [
        CategoryRow(id=str(c.id), name=c.name, count=c.article_count)
        for c in kb.list_categories(session, actor)
    ]
    if category_id is not None:
        listed = kb.list_articles(session, actor, category_id=category_id, limit=50)
        return {
            "categories": cats,
            "helpful": [],
            "recent": [],
            "listed": article_rows(listed, staff),
        }
    helpful = article_rows(kb.most_helpful(session, actor, limit=8), staff)
    recent = article_rows(kb.list_articles(session, actor, limit=8), staff) if staff else []
    return {"categories": cats, "helpful": helpful, "recent": recent, "listed": []}
