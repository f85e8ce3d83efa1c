"""Reading articles: one article, its versions, lists, the most helpful, categories."""

from __future__ import annotations

from functools import partial

from sqlalchemy import func
from sqlmodel import Session, col, select

from ticketapp.models import (
    Category,
    KbArticle,
    KbArticleVersion,
    KbFeedback,
    KbStatus,
    User,
)
from ticketapp.services import text as tx
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.errors import NotFound
from ticketapp.services.kb import cache
from ticketapp.services.kb.common import (
    category_names,
    clamp_limit,
    clean_choice,
    require_actor,
    summaries,
    visibility_filter,
    visible,
)
from ticketapp.services.kb.views import ArticleSummary, ArticleView, CategoryCount, VersionInfo
from ticketapp.services.memo import db_key

# --------------------------------------------------------------------------- reads


def get_article(session: Session, actor: Actor, slug: str) -> ArticleView:
    """One article as this actor may see it; NotFound also when the actor may not see it."""
    require_actor(actor)
    if not isinstance(slug, str) or not slug or len(slug) > 160:
        raise NotFound("Article not found.")
    article = session.exec(select(KbArticle).where(KbArticle.slug == slug)).first()
    if article is None or not visible(actor, article):
        raise NotFound("Article not found.")
    return _view(session, actor, article)


def get_article_by_id(session: Session, actor: Actor, article_id: int) -> ArticleView:
    require_actor(actor)
    article = session.get(KbArticle, article_id) if isinstance(article_id, int) else None
    if article is None or not visible(actor, article):
        raise NotFound("Article not found.")
    return _view(session, actor, article)


def _view(session: Session, actor: Actor, article: KbArticle) -> ArticleView:
    author = session.get(User, article.author_id) if article.author_id else None
    vote = session.exec(
        select(KbFeedback.helpful).where(
            KbFeedback.article_id == article.id, KbFeedback.user_id == actor.id
        )
    ).first()
    names = category_names(session, [article.category_id])
    return ArticleView(
        id=article.id or 0,
        slug=article.slug,
        title=article.title,
        body=article.body,
        category_id=article.category_id,
        category=names.get(article.category_id or 0, ""),
        tags=tuple(tx.tag_list(article.tags)),
        status=article.status,
        audience=article.audience,
        language=article.language,
        author_name=author.name if author else "",
        created_at=article.created_at,
        updated_at=article.updated_at,
        helpful_yes=article.helpful_yes,
        helpful_no=article.helpful_no,
        my_vote=vote,
        can_edit=actor.is_staff,
    )


def list_versions(session: Session, actor: Actor, article_id: int) -> list[VersionInfo]:
    """Edit history, newest first (agents and managers)."""
    require_staff(actor)
    rows = session.exec(
        select(KbArticleVersion, User.name)
        .join(User, col(User.id) == col(KbArticleVersion.editor_id), isouter=True)
        .where(KbArticleVersion.article_id == article_id)
        .order_by(col(KbArticleVersion.version_no).desc())
    ).all()
    return [
        VersionInfo(
            version_no=v.version_no,
            title=v.title,
            body=v.body,
            tags=tuple(tx.tag_list(v.tags)),
            editor_name=name or "",
            created_at=v.created_at,
        )
        for v, name in rows
    ]


def list_articles(
    session: Session,
    actor: Actor,
    category_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
    status: str | None = None,
) -> list[ArticleSummary]:
    """Visible articles, most recently updated first (`status` narrows it, e.g. "draft")."""
    require_actor(actor)
    stmt = visibility_filter(select(KbArticle), actor)
    if category_id is not None:
        stmt = stmt.where(KbArticle.category_id == category_id)
    if status is not None:
        stmt = stmt.where(KbArticle.status == clean_choice(status, "status", KbStatus))
    stmt = stmt.order_by(col(KbArticle.updated_at).desc(), col(KbArticle.id).desc())
    stmt = stmt.offset(max(0, int(offset or 0))).limit(clamp_limit(limit, 50))
    return summaries(session, session.exec(stmt).all())


def most_helpful(
    session: Session, actor: Actor, category_id: int | None = None, limit: int = 10
) -> list[ArticleSummary]:
    """Visible published articles by net helpful votes (yes - no), then yes votes."""
    require_actor(actor)
    key = ("helpful", db_key(session), actor.is_staff, category_id, clamp_limit(limit))
    compute = partial(_most_helpful, session, actor, category_id, limit)
    return list(cache.cached_for(session, key, compute))


def _most_helpful(
    session: Session, actor: Actor, category_id: int | None, limit: int
) -> list[ArticleSummary]:
    stmt = visibility_filter(select(KbArticle), actor).where(KbArticle.status == KbStatus.PUBLISHED)
    if category_id is not None:
        stmt = stmt.where(KbArticle.category_id == category_id)
    stmt = stmt.order_by(
        (col(KbArticle.helpful_yes) - col(KbArticle.helpful_no)).desc(),
        col(KbArticle.helpful_yes).desc(),
        col(KbArticle.updated_at).desc(),
    ).limit(clamp_limit(limit))
    return summaries(session, session.exec(stmt).all())


def list_categories(session: Session, actor: Actor) -> list[CategoryCount]:
    """Every category with the number of articles this actor can see in it."""
    require_actor(actor)
    key = ("categories", db_key(session), actor.is_staff)
    return list(cache.cached_for(session, key, lambda: _list_categories(session, actor)))


def _list_categories(session: Session, actor: Actor) -> list[CategoryCount]:
    counted = visibility_filter(
        select(KbArticle.category_id, func.count(col(KbArticle.id))), actor
    ).group_by(col(KbArticle.category_id))
    counts = {cid: n for cid, n in session.exec(counted)}
    cats = session.exec(select(Category).order_by(col(Category.name))).all()
    return [
        CategoryCount(id=c.id or 0, name=c.name, article_count=counts.get(c.id, 0)) for c in cats
    ]
