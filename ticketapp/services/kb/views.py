"""The read models the knowledge base hands out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    slug: str
    title: str
    category_id: int | None
    category: str
    tags: tuple[str, ...]
    status: str
    audience: str
    language: str
    updated_at: datetime
    helpful_yes: int
    helpful_no: int


@dataclass(frozen=True)
class ArticleView:
    id: int
    slug: str
    title: str
    body: str  # markdown as written; the page renders (and sanitises) it
    category_id: int | None
    category: str
    tags: tuple[str, ...]
    status: str
    audience: str
    language: str
    author_name: str
    created_at: datetime
    updated_at: datetime  # pass back to update_article(expected_updated_at=...)
    helpful_yes: int
    helpful_no: int
    my_vote: bool | None  # this actor's "Was this helpful?" answer, None if not voted
    can_edit: bool


@dataclass(frozen=True)
class SearchHit:
    id: int
    slug: str
    title: str
    title_html: str  # escaped title with <mark> around matched words
    snippet_html: str  # escaped body excerpt with <mark> around matched words
    category_id: int | None
    category: str
    score: float  # relevance, higher is better; the list order is the ranking


@dataclass(frozen=True)
class VersionInfo:
    version_no: int
    title: str
    body: str
    tags: tuple[str, ...]
    editor_name: str  # who replaced this version
    created_at: datetime  # when it was replaced


@dataclass(frozen=True)
class FeedbackResult:
    helpful_yes: int
    helpful_no: int
    my_vote: bool | None


@dataclass(frozen=True)
class CategoryCount:
    id: int
    name: str
    article_count: int
