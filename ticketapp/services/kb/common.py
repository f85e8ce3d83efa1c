"""What the knowledge base's parts share: input caps, who sees which article (staff: all;
others: published public articles), input cleaning, summaries and slugs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from ticketapp.models import (
    Category,
    KbArticle,
    KbAudience,
    KbStatus,
)
from ticketapp.services import text as tx
from ticketapp.services.actor import Actor
from ticketapp.services.errors import PermissionDenied, ValidationError
from ticketapp.services.kb.views import ArticleSummary

# Input caps: hostile or pasted input stays cheap.
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 10
MAX_SUGGEST_CHARS = 4000
MAX_SUGGEST_TERMS = 24
MAX_LIMIT = 50
MAX_TITLE = 200
MAX_BODY = 200_000
MAX_TAGS = 500
LANGUAGES = ("en", "ru")
SNIPPET_WORDS = 28


# --------------------------------------------------------------------------- helpers


def require_actor(actor: Actor | None) -> Actor:
    if actor is None:
        raise PermissionDenied()
    return actor


def visible(actor: Actor, article: KbArticle) -> bool:
    if actor.is_staff:
        return True
    return article.status == KbStatus.PUBLISHED and article.audience == KbAudience.PUBLIC


def visibility_filter(stmt, actor: Actor):
    if actor.is_staff:
        return stmt
    return stmt.where(
        col(KbArticle.status) == KbStatus.PUBLISHED, col(KbArticle.audience) == KbAudience.PUBLIC
    )


def clamp_limit(limit: Any, default: int = 10) -> int:
    try:
        value = int(limit)
    except (TypeError, ValueError):
        value = default
    return max(1, min(value, MAX_LIMIT))


def clean_str(value: Any, field: str, max_len: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError("Invalid value.", field=field)
    value = value.strip()
    if required and not value:
        raise ValidationError("This field is required.", field=field)
    if len(value) > max_len:
        raise ValidationError("At most {max:,} characters.", field=field, max=max_len)
    return value


def clean_tags(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | list | tuple):
        raise ValidationError("Invalid tags.", field="tags")
    joined = ", ".join(tx.tag_list(value))
    if len(joined) > MAX_TAGS:
        raise ValidationError("Tags: at most {max:,} characters.", field="tags", max=MAX_TAGS)
    return joined


def clean_choice(value: Any, field: str, choices: Iterable[str]) -> str:
    allowed = [str(c) for c in choices]
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError("Choose one of: {choices}.", field=field, choices=", ".join(allowed))
    return value


def clean_category(session: Session, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError("Unknown category.", field="category_id")
    try:
        category_id = int(value)
    except (TypeError, ValueError):
        raise ValidationError("Unknown category.", field="category_id") from None
    if session.get(Category, category_id) is None:
        raise ValidationError("Unknown category.", field="category_id")
    return category_id


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def category_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Category.id, Category.name).where(col(Category.id).in_(wanted)))
    return {cid: name for cid, name in rows}


def summaries(session: Session, articles: Sequence[KbArticle]) -> list[ArticleSummary]:
    names = category_names(session, (a.category_id for a in articles))
    return [
        ArticleSummary(
            id=a.id or 0,
            slug=a.slug,
            title=a.title,
            category_id=a.category_id,
            category=names.get(a.category_id or 0, ""),
            tags=tuple(tx.tag_list(a.tags)),
            status=a.status,
            audience=a.audience,
            language=a.language,
            updated_at=a.updated_at,
            helpful_yes=a.helpful_yes,
            helpful_no=a.helpful_no,
        )
        for a in articles
    ]


def unique_slug(session: Session, title: str) -> str:
    base = tx.slugify(title) or "article"
    taken = set(
        session.exec(
            select(KbArticle.slug).where(
                (col(KbArticle.slug) == base) | col(KbArticle.slug).startswith(base + "-")
            )
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
