"""Creating, editing (each edit keeps the previous content as a version) and deleting articles;
staff only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ticketapp.models import (
    KbArticle,
    KbArticleVersion,
    KbAudience,
    KbStatus,
    utcnow,
)
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.errors import Conflict, NotFound, ValidationError
from ticketapp.services.kb.common import (
    LANGUAGES,
    MAX_BODY,
    MAX_TITLE,
    as_utc,
    clean_category,
    clean_choice,
    clean_str,
    clean_tags,
    unique_slug,
)
from ticketapp.services.kb.index import article_doc, write_index

EDITABLE = frozenset({"title", "body", "category_id", "tags", "status", "audience", "language"})


# --------------------------------------------------------------------------- writes


def create_article(
    session: Session,
    actor: Actor,
    *,
    title: str,
    body: str,
    category_id: int | None = None,
    tags: str | list[str] = "",
    status: str = KbStatus.DRAFT,
    audience: str = KbAudience.PUBLIC,
    language: str = "en",
) -> KbArticle:
    """Create (and index) an article. Agents and managers only."""
    require_staff(actor)
    title = clean_str(title, "title", MAX_TITLE)
    body = clean_str(body, "body", MAX_BODY)
    article = KbArticle(
        slug=unique_slug(session, title),
        title=title,
        body=body,
        category_id=clean_category(session, category_id),
        tags=clean_tags(tags),
        status=clean_choice(status, "status", KbStatus),
        audience=clean_choice(audience, "audience", KbAudience),
        language=clean_choice(language, "language", LANGUAGES),
        author_id=actor.id,
    )
    session.add(article)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("An article with this address was just created; save again.") from None
    assert article.id is not None
    write_index(session, article.id, article_doc(article.title, article.tags, article.body), None)
    return article


def update_article(
    session: Session,
    actor: Actor,
    article_id: int,
    expected_updated_at: datetime | None = None,
    **changes: Any,
) -> KbArticle:
    """Change an article; the previous title/body/tags are kept as a KbArticleVersion.

    `expected_updated_at` is the `updated_at` the editor loaded: if the article changed since,
    Conflict is raised instead of overwriting. The slug never changes (links stay valid).
    Each version row holds the content as it was before an edit, with who made that edit
    (`editor_id`) and when (`created_at`).
    """
    require_staff(actor)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError("Cannot change: {fields}.", fields=", ".join(sorted(unknown)))
    article = _locked_current(session, article_id, expected_updated_at)
    cleaned = _clean_changes(session, changes)
    cleaned = {k: v for k, v in cleaned.items() if getattr(article, k) != v}
    if not cleaned:
        return article

    old_doc = article_doc(article.title, article.tags, article.body)
    if {"title", "body", "tags"} & cleaned.keys():
        _keep_version(session, actor, article)
    for key, value in cleaned.items():
        setattr(article, key, value)
    article.updated_at = utcnow()
    session.add(article)
    session.flush()
    new_doc = article_doc(article.title, article.tags, article.body)
    if new_doc != old_doc:
        write_index(session, article.id, new_doc, old_doc)
    return article


def _locked_current(
    session: Session, article_id: int, expected_updated_at: datetime | None
) -> KbArticle:
    """The article, row-locked, or NotFound; Conflict if it changed after the editor loaded it."""
    article = session.exec(
        select(KbArticle).where(KbArticle.id == article_id).with_for_update()
    ).first()
    if article is None:
        raise NotFound("Article not found.")
    if expected_updated_at is not None and as_utc(expected_updated_at) != as_utc(
        article.updated_at
    ):
        raise Conflict(
            "Someone else changed this article after you opened it. Reload to see their changes."
        )
    return article


def _clean_changes(session: Session, changes: dict[str, Any]) -> dict[str, Any]:
    """Each given field cleaned, checked in this order (the first bad one is reported)."""
    cleaners: dict[str, Any] = {
        "title": lambda v: clean_str(v, "title", MAX_TITLE),
        "body": lambda v: clean_str(v, "body", MAX_BODY),
        "tags": clean_tags,
        "category_id": lambda v: clean_category(session, v),
        "status": lambda v: clean_choice(v, "status", KbStatus),
        "audience": lambda v: clean_choice(v, "audience", KbAudience),
        "language": lambda v: clean_choice(v, "language", LANGUAGES),
    }
    return {name: clean(changes[name]) for name, clean in cleaners.items() if name in changes}


def _keep_version(session: Session, actor: Actor, article: KbArticle) -> None:
    """Store the content as it is before this edit, numbered after the last version."""
    last = session.exec(
        select(func.max(KbArticleVersion.version_no)).where(
            KbArticleVersion.article_id == article.id
        )
    ).one()
    session.add(
        KbArticleVersion(
            article_id=article.id,
            version_no=(last or 0) + 1,
            title=article.title,
            body=article.body,
            tags=article.tags,
            editor_id=actor.id,
        )
    )


def delete_article(session: Session, actor: Actor, article_id: int) -> None:
    """Delete an article with its history, feedback and deflections, and unindex it."""
    require_staff(actor)
    article = session.get(KbArticle, article_id)
    if article is None:
        raise NotFound("Article not found.")
    write_index(session, article_id, None, article_doc(article.title, article.tags, article.body))
    session.delete(article)
    session.flush()
