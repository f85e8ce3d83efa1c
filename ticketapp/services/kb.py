"""Knowledge base: articles, version history, helpfulness, deflection and ranked search.

One interface over two index implementations (both created by Alembic revision 0002):
- SQLite: FTS5 table ``kb_search(title, tags, body)``, rowid = article id, ranked by
  ``bm25(kb_search, 10, 4, 1)`` (title > tags > body);
- PostgreSQL: stored ``kb_article.search_vector`` tsvector (weights A/B/C) with a GIN index,
  ranked by ``ts_rank`` with weights {D 0.1, C 0.2, B 0.5, A 1.0}.
Both store text stemmed in Python (services/text.py: English + Russian Snowball), so queries
are stemmed the same way. ``kb_term`` is the vocabulary (stem -> article count) used to correct
typos when nothing matches exactly.

User queries are never passed through as query syntax: they are split into words, each word
is stemmed (letters and digits only) and quoted; input length and term count are capped.
Every write updates the index in the same transaction as the article. Services flush, never
commit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ticketapp.models import (
    Category,
    KbArticle,
    KbArticleVersion,
    KbAudience,
    KbDeflection,
    KbFeedback,
    KbStatus,
    User,
    utcnow,
)
from ticketapp.services import text as tx
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.errors import Conflict, NotFound, PermissionDenied, ValidationError

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

# FTS5 bm25 column weights (title, tags, body) and ts_rank weights {D, C, B, A}.
_BM25 = "bm25(kb_search, 10.0, 4.0, 1.0)"
_TS_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"

_EDITABLE = frozenset({"title", "body", "category_id", "tags", "status", "audience", "language"})


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


# --------------------------------------------------------------------------- helpers


def _require_actor(actor: Actor | None) -> Actor:
    if actor is None:
        raise PermissionDenied()
    return actor


def _visible(actor: Actor, article: KbArticle) -> bool:
    if actor.is_staff:
        return True
    return article.status == KbStatus.PUBLISHED and article.audience == KbAudience.PUBLIC


def _visibility_filter(stmt, actor: Actor):
    if actor.is_staff:
        return stmt
    return stmt.where(
        col(KbArticle.status) == KbStatus.PUBLISHED, col(KbArticle.audience) == KbAudience.PUBLIC
    )


def _clamp_limit(limit: Any, default: int = 10) -> int:
    try:
        value = int(limit)
    except (TypeError, ValueError):
        value = default
    return max(1, min(value, MAX_LIMIT))


def _clean_str(value: Any, field: str, max_len: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError("Invalid value.", field=field)
    value = value.strip()
    if required and not value:
        raise ValidationError("This field is required.", field=field)
    if len(value) > max_len:
        raise ValidationError(f"At most {max_len} characters.", field=field)
    return value


def _clean_tags(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | list | tuple):
        raise ValidationError("Invalid tags.", field="tags")
    joined = ", ".join(tx.tag_list(value))
    if len(joined) > MAX_TAGS:
        raise ValidationError(f"Tags: at most {MAX_TAGS} characters.", field="tags")
    return joined


def _clean_choice(value: Any, field: str, choices: Iterable[str]) -> str:
    allowed = [str(c) for c in choices]
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(f"Choose one of: {', '.join(allowed)}.", field=field)
    return value


def _clean_category(session: Session, value: Any) -> int | None:
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


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def _category_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(Category.id, Category.name).where(col(Category.id).in_(wanted)))
    return {cid: name for cid, name in rows}


def _summaries(session: Session, articles: Sequence[KbArticle]) -> list[ArticleSummary]:
    names = _category_names(session, (a.category_id for a in articles))
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


def _unique_slug(session: Session, title: str) -> str:
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


# --------------------------------------------------------------------------- index writes


def _doc(title: str, tags: str, body: str) -> tuple[str, str, str]:
    return (
        tx.stemmed_text(title),
        tx.stemmed_text(" ".join(tx.tag_list(tags))),
        tx.stemmed_text(body[:MAX_BODY]),
    )


def _doc_terms(doc: tuple[str, str, str] | None) -> set[str]:
    return set(" ".join(doc).split()) if doc else set()


def _write_index(
    session: Session,
    article_id: int,
    new: tuple[str, str, str] | None,
    old: tuple[str, str, str] | None,
) -> None:
    """Replace the article's index entry (new=None removes it) and adjust the vocabulary."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.execute(text("DELETE FROM kb_search WHERE rowid = :id"), {"id": article_id})
        if new is not None:
            session.execute(
                text("INSERT INTO kb_search(rowid, title, tags, body) VALUES (:id, :t, :g, :b)"),
                {"id": article_id, "t": new[0], "g": new[1], "b": new[2]},
            )
    elif new is not None:
        session.execute(
            text(
                "UPDATE kb_article SET search_vector = "
                "setweight(to_tsvector('simple', :t), 'A') || "
                "setweight(to_tsvector('simple', :g), 'B') || "
                "setweight(to_tsvector('simple', :b), 'C') WHERE id = :id"
            ),
            {"id": article_id, "t": new[0], "g": new[1], "b": new[2]},
        )
    # (PostgreSQL: a deleted row takes its tsvector with it.)

    old_terms, new_terms = _doc_terms(old), _doc_terms(new)
    added = sorted(t for t in new_terms - old_terms if len(t) <= tx.MAX_TOKEN_LEN)
    removed = sorted(t for t in old_terms - new_terms if len(t) <= tx.MAX_TOKEN_LEN)
    if added:  # sorted, so concurrent writers lock vocabulary rows in one order
        session.execute(
            text(
                "INSERT INTO kb_term(term, length, doc_count) VALUES (:t, :n, 1) "
                "ON CONFLICT (term) DO UPDATE SET doc_count = kb_term.doc_count + 1"
            ),
            [{"t": t, "n": len(t)} for t in added],
        )
    if removed:
        session.execute(
            text("UPDATE kb_term SET doc_count = doc_count - 1 WHERE term = :t"),
            [{"t": t} for t in removed],
        )
        session.execute(
            text("DELETE FROM kb_term WHERE term = :t AND doc_count <= 0"),
            [{"t": t} for t in removed],
        )


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
    title = _clean_str(title, "title", MAX_TITLE)
    body = _clean_str(body, "body", MAX_BODY)
    article = KbArticle(
        slug=_unique_slug(session, title),
        title=title,
        body=body,
        category_id=_clean_category(session, category_id),
        tags=_clean_tags(tags),
        status=_clean_choice(status, "status", KbStatus),
        audience=_clean_choice(audience, "audience", KbAudience),
        language=_clean_choice(language, "language", LANGUAGES),
        author_id=actor.id,
    )
    session.add(article)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("An article with this address was just created; save again.") from None
    assert article.id is not None
    _write_index(session, article.id, _doc(article.title, article.tags, article.body), None)
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
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise ValidationError(f"Cannot change: {', '.join(sorted(unknown))}.")
    article = session.exec(
        select(KbArticle).where(KbArticle.id == article_id).with_for_update()
    ).first()
    if article is None:
        raise NotFound("Article not found.")
    if expected_updated_at is not None and _as_utc(expected_updated_at) != _as_utc(
        article.updated_at
    ):
        raise Conflict(
            "Someone else changed this article after you opened it. Reload to see their changes."
        )

    cleaned: dict[str, Any] = {}
    if "title" in changes:
        cleaned["title"] = _clean_str(changes["title"], "title", MAX_TITLE)
    if "body" in changes:
        cleaned["body"] = _clean_str(changes["body"], "body", MAX_BODY)
    if "tags" in changes:
        cleaned["tags"] = _clean_tags(changes["tags"])
    if "category_id" in changes:
        cleaned["category_id"] = _clean_category(session, changes["category_id"])
    if "status" in changes:
        cleaned["status"] = _clean_choice(changes["status"], "status", KbStatus)
    if "audience" in changes:
        cleaned["audience"] = _clean_choice(changes["audience"], "audience", KbAudience)
    if "language" in changes:
        cleaned["language"] = _clean_choice(changes["language"], "language", LANGUAGES)
    cleaned = {k: v for k, v in cleaned.items() if getattr(article, k) != v}
    if not cleaned:
        return article

    old_doc = _doc(article.title, article.tags, article.body)
    if {"title", "body", "tags"} & cleaned.keys():
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
    for key, value in cleaned.items():
        setattr(article, key, value)
    article.updated_at = utcnow()
    session.add(article)
    session.flush()
    new_doc = _doc(article.title, article.tags, article.body)
    if new_doc != old_doc:
        _write_index(session, article.id, new_doc, old_doc)
    return article


def delete_article(session: Session, actor: Actor, article_id: int) -> None:
    """Delete an article with its history, feedback and deflections, and unindex it."""
    require_staff(actor)
    article = session.get(KbArticle, article_id)
    if article is None:
        raise NotFound("Article not found.")
    _write_index(session, article_id, None, _doc(article.title, article.tags, article.body))
    session.delete(article)
    session.flush()


# --------------------------------------------------------------------------- reads


def get_article(session: Session, actor: Actor, slug: str) -> ArticleView:
    """One article as this actor may see it; NotFound also when the actor may not see it."""
    _require_actor(actor)
    if not isinstance(slug, str) or not slug or len(slug) > 160:
        raise NotFound("Article not found.")
    article = session.exec(select(KbArticle).where(KbArticle.slug == slug)).first()
    if article is None or not _visible(actor, article):
        raise NotFound("Article not found.")
    return _view(session, actor, article)


def get_article_by_id(session: Session, actor: Actor, article_id: int) -> ArticleView:
    _require_actor(actor)
    article = session.get(KbArticle, article_id) if isinstance(article_id, int) else None
    if article is None or not _visible(actor, article):
        raise NotFound("Article not found.")
    return _view(session, actor, article)


def _view(session: Session, actor: Actor, article: KbArticle) -> ArticleView:
    author = session.get(User, article.author_id) if article.author_id else None
    vote = session.exec(
        select(KbFeedback.helpful).where(
            KbFeedback.article_id == article.id, KbFeedback.user_id == actor.id
        )
    ).first()
    names = _category_names(session, [article.category_id])
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
    _require_actor(actor)
    stmt = _visibility_filter(select(KbArticle), actor)
    if category_id is not None:
        stmt = stmt.where(KbArticle.category_id == category_id)
    if status is not None:
        stmt = stmt.where(KbArticle.status == _clean_choice(status, "status", KbStatus))
    stmt = stmt.order_by(col(KbArticle.updated_at).desc(), col(KbArticle.id).desc())
    stmt = stmt.offset(max(0, int(offset or 0))).limit(_clamp_limit(limit, 50))
    return _summaries(session, session.exec(stmt).all())


def most_helpful(
    session: Session, actor: Actor, category_id: int | None = None, limit: int = 10
) -> list[ArticleSummary]:
    """Visible published articles by net helpful votes (yes - no), then yes votes."""
    _require_actor(actor)
    stmt = _visibility_filter(select(KbArticle), actor).where(
        KbArticle.status == KbStatus.PUBLISHED
    )
    if category_id is not None:
        stmt = stmt.where(KbArticle.category_id == category_id)
    stmt = stmt.order_by(
        (col(KbArticle.helpful_yes) - col(KbArticle.helpful_no)).desc(),
        col(KbArticle.helpful_yes).desc(),
        col(KbArticle.updated_at).desc(),
    ).limit(_clamp_limit(limit))
    return _summaries(session, session.exec(stmt).all())


def list_categories(session: Session, actor: Actor) -> list[CategoryCount]:
    """Every category with the number of articles this actor can see in it."""
    _require_actor(actor)
    counted = _visibility_filter(
        select(KbArticle.category_id, func.count(col(KbArticle.id))), actor
    ).group_by(col(KbArticle.category_id))
    counts = {cid: n for cid, n in session.exec(counted)}
    cats = session.exec(select(Category).order_by(col(Category.name))).all()
    return [
        CategoryCount(id=c.id or 0, name=c.name, article_count=counts.get(c.id, 0)) for c in cats
    ]


# --------------------------------------------------------------------------- search


@dataclass
class _Query:
    terms: list[str]  # stems that must match exactly
    prefix: tuple[str, ...] = ()  # the word being typed: any term starting with one of these

    @property
    def empty(self) -> bool:
        return not self.terms and not self.prefix

    def highlight(self) -> tuple[set[str], tuple[str, ...]]:
        return set(self.terms), self.prefix


def _parse(query: Any, max_chars: int, max_terms: int, allow_prefix: bool = True) -> _Query:
    if not isinstance(query, str):
        return _Query([])
    query = query[:max_chars]
    raw = tx.words(query)
    prefix: tuple[str, ...] = ()
    if allow_prefix and raw and query[-1:].isalnum():
        last = raw.pop()
        if len(last) >= 2 and (last not in tx.STOP_WORDS or not raw):
            prefix = tuple(sorted({last, tx.stem(last)}))
    terms: list[str] = []
    for word in raw:
        if tx.is_indexable(word):
            term = tx.stem(word)
            if term not in terms:
                terms.append(term)
                if len(terms) >= max_terms:
                    break
    if prefix and any(t.startswith(p) for t in terms for p in prefix):
        prefix = ()  # already covered by a whole word
    return _Query(terms[:max_terms], prefix)


def _fts5_expr(q: _Query, mode: str) -> str:
    def quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    parts = [quote(t) for t in q.terms]
    if q.prefix:
        parts.append("(" + " OR ".join(quote(p) + " *" for p in q.prefix) + ")")
    return (" AND " if mode == "and" else " OR ").join(parts)


def _tsquery_expr(q: _Query, mode: str) -> str:
    def quote(term: str) -> str:
        return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"

    parts = [quote(t) for t in q.terms]
    if q.prefix:
        parts.append("(" + " | ".join(quote(p) + ":*" for p in q.prefix) + ")")
    return (" & " if mode == "and" else " | ").join(parts)


def _ranked(
    session: Session,
    actor: Actor,
    q: _Query,
    mode: str,
    limit: int,
    category_id: int | None = None,
    exclude_id: int | None = None,
) -> list[tuple[int, float]]:
    """(article id, score) best first; score is higher-is-better."""
    if q.empty:
        return []
    params: dict[str, Any] = {"limit": limit}
    where: list[str] = []
    if not actor.is_staff:
        where.append("a.status = :published AND a.audience = :public")
        params.update(published=str(KbStatus.PUBLISHED), public=str(KbAudience.PUBLIC))
    if category_id is not None:
        where.append("a.category_id = :category_id")
        params["category_id"] = int(category_id)
    if exclude_id is not None:
        where.append("a.id <> :exclude_id")
        params["exclude_id"] = int(exclude_id)
    extra = "".join(f" AND {w}" for w in where)
    if session.get_bind().dialect.name == "sqlite":
        params["q"] = _fts5_expr(q, mode)
        sql = (
            f"SELECT a.id, {_BM25} AS score FROM kb_search "
            "JOIN kb_article a ON a.id = kb_search.rowid "
            f"WHERE kb_search MATCH :q{extra} ORDER BY score, a.id LIMIT :limit"
        )
        return [(row[0], -float(row[1])) for row in session.execute(text(sql), params)]
    params["q"] = _tsquery_expr(q, mode)
    sql = (
        f"SELECT a.id, ts_rank({_TS_WEIGHTS}, a.search_vector, q, 1) AS score "
        "FROM kb_article a, to_tsquery('simple', :q) q "
        f"WHERE a.search_vector @@ q{extra} ORDER BY score DESC, a.id LIMIT :limit"
    )
    return [(row[0], float(row[1])) for row in session.execute(text(sql), params)]


def _known_terms(session: Session, terms: Sequence[str]) -> set[str]:
    if not terms:
        return set()
    rows = session.execute(
        text("SELECT term FROM kb_term WHERE doc_count > 0 AND term IN :terms").bindparams(
            bindparam("terms", expanding=True)
        ),
        {"terms": list(terms)},
    )
    return {r[0] for r in rows}


def _known_prefix(session: Session, prefix: str) -> bool:
    row = session.execute(
        text("SELECT 1 FROM kb_term WHERE term >= :lo AND term < :hi AND doc_count > 0 LIMIT 1"),
        {"lo": prefix, "hi": prefix + "\U0010ffff"},
    ).first()
    return row is not None


def _correct(session: Session, word: str) -> str | None:
    """The indexed term closest to `word` (a stem), or None when nothing is close enough."""
    n = len(word)
    if n < 3:
        return None
    max_dist = 1 if n <= 5 else 2
    rows = session.execute(
        text(
            "SELECT term, doc_count FROM kb_term WHERE length BETWEEN :lo AND :hi "
            "AND doc_count > 0 AND (substr(term, 1, 1) = :c1 OR substr(term, 2, 1) = :c2)"
        ),
        {"lo": n - max_dist, "hi": n + max_dist, "c1": word[0], "c2": word[1]},
    ).all()
    best: tuple[int, int, str] | None = None
    for term, count in rows:
        dist = tx.edit_distance(word, term, cap=max_dist)
        if dist <= max_dist:
            key = (dist, -int(count), term)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def _corrected(session: Session, q: _Query) -> _Query | None:
    """`q` with unknown words replaced by their closest indexed term (None: nothing to fix)."""
    known = _known_terms(session, q.terms)
    changed = False
    terms: list[str] = []
    for term in q.terms:
        if term in known:
            fixed: str | None = term
        else:
            changed = True
            fixed = _correct(session, term)
        if fixed and fixed not in terms:
            terms.append(fixed)
    prefix = q.prefix
    if prefix and not any(_known_prefix(session, p) for p in prefix):
        changed = True
        word = max(prefix, key=len)
        fixed = _correct(session, tx.stem(word)) or _correct(session, word)
        prefix = ()
        if fixed and fixed not in terms:
            terms.append(fixed)
    if not changed:
        return None
    fixed_q = _Query(terms, prefix)
    return None if fixed_q.empty else fixed_q


def _search_ids(
    session: Session,
    actor: Actor,
    q: _Query,
    limit: int,
    category_id: int | None = None,
) -> tuple[list[tuple[int, float]], _Query]:
    """Articles with all words first; if none, the same with typos corrected; when that leaves
    room, articles with any of the words follow. Returns hits and the query that produced them
    (for highlighting)."""
    if q.empty:
        return [], q
    hits = _ranked(session, actor, q, "and", limit, category_id)
    if not hits:
        fixed = _corrected(session, q)
        if fixed is not None:
            q = fixed
            hits = _ranked(session, actor, q, "and", limit, category_id)
    if len(hits) < limit and len(q.terms) + bool(q.prefix) > 1:
        seen = {i for i, _ in hits}
        more = _ranked(session, actor, q, "or", limit, category_id)
        hits += [h for h in more if h[0] not in seen][: limit - len(hits)]
    return hits, q


def search(
    session: Session,
    actor: Actor,
    query: str,
    category_id: int | None = None,
    limit: int = 10,
) -> list[SearchHit]:
    """Ranked, highlighted search over the articles this actor may see.

    Any string is accepted: it is never interpreted as query syntax. The last word is matched
    as a prefix while it is being typed (no trailing space).
    """
    _require_actor(actor)
    q = _parse(query, MAX_QUERY_CHARS, MAX_QUERY_TERMS)
    hits, used = _search_ids(session, actor, q, _clamp_limit(limit), category_id)
    return _hits(session, hits, used)


def suggest_for_ticket(
    session: Session, actor: Actor, title: str, description: str, limit: int = 5
) -> list[SearchHit]:
    """Articles that may answer a ticket being typed (deflection): any-word match over the
    title and description, typos corrected."""
    _require_actor(actor)
    title = title if isinstance(title, str) else ""
    description = description if isinstance(description, str) else ""
    text_in = f"{title[:MAX_QUERY_CHARS]}\n{description[:MAX_SUGGEST_CHARS]}".strip()
    q = _parse(text_in, MAX_SUGGEST_CHARS + MAX_QUERY_CHARS + 1, MAX_SUGGEST_TERMS)
    if q.empty:
        return []
    fixed = _corrected(session, q)
    if fixed is not None:
        q = fixed
    hits = _ranked(session, actor, q, "or", _clamp_limit(limit, 5))
    return _hits(session, hits, q)


def related_articles(
    session: Session, actor: Actor, article_id: int, limit: int = 5
) -> list[ArticleSummary]:
    """Articles sharing words with this one's title and tags, then same-category ones."""
    _require_actor(actor)
    article = session.get(KbArticle, article_id) if isinstance(article_id, int) else None
    if article is None or not _visible(actor, article):
        raise NotFound("Article not found.")
    limit = _clamp_limit(limit, 5)
    q = _parse(
        f"{article.title} {' '.join(tx.tag_list(article.tags))}",
        MAX_QUERY_CHARS,
        MAX_SUGGEST_TERMS,
        allow_prefix=False,
    )
    ids = [i for i, _ in _ranked(session, actor, q, "or", limit, exclude_id=article.id)]
    if len(ids) < limit and article.category_id is not None:
        stmt = _visibility_filter(select(KbArticle.id), actor).where(
            KbArticle.category_id == article.category_id,
            KbArticle.id != article.id,
            KbArticle.status == KbStatus.PUBLISHED,
        )
        if ids:
            stmt = stmt.where(col(KbArticle.id).not_in(ids))
        stmt = stmt.order_by(col(KbArticle.helpful_yes).desc()).limit(limit - len(ids))
        ids += list(session.exec(stmt))
    by_id = _load(session, ids)
    return _summaries(session, [by_id[i] for i in ids if i in by_id])


def _load(session: Session, ids: Sequence[int]) -> dict[int, KbArticle]:
    if not ids:
        return {}
    rows = session.exec(select(KbArticle).where(col(KbArticle.id).in_(list(ids)))).all()
    return {a.id: a for a in rows if a.id is not None}


def _hits(session: Session, hits: list[tuple[int, float]], q: _Query) -> list[SearchHit]:
    by_id = _load(session, [i for i, _ in hits])
    names = _category_names(session, (a.category_id for a in by_id.values()))
    stems, prefixes = q.highlight()
    out = []
    for article_id, score in hits:
        a = by_id.get(article_id)
        if a is None:
            continue
        out.append(
            SearchHit(
                id=article_id,
                slug=a.slug,
                title=a.title,
                title_html=highlight(a.title, stems, prefixes, max_words=None),
                snippet_html=highlight(_plain(a.body), stems, prefixes),
                category_id=a.category_id,
                category=names.get(a.category_id or 0, ""),
                score=score,
            )
        )
    return out


# --------------------------------------------------------------------------- snippets

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(^|\n)\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)|[*_`~|]+")


def _plain(markdown: str) -> str:
    """Markdown -> roughly plain text for excerpts (links keep their text)."""
    plain = _MD_LINK.sub(r"\1", markdown[:20_000])
    plain = _MD_MARKUP.sub(" ", plain)
    return " ".join(plain.split())


def highlight(
    text_in: str,
    stems: set[str],
    prefixes: tuple[str, ...] = (),
    max_words: int | None = SNIPPET_WORDS,
) -> str:
    """HTML-escaped `text_in` (or its best window of `max_words` words) with matching words
    wrapped in <mark>."""
    spans: list[tuple[int, int, bool, str]] = []  # start, end, matched, stem
    for m in tx.WORD_RE.finditer(text_in):
        word = tx.fold(m.group())[: tx.MAX_TOKEN_LEN]
        term = tx.stem(word)
        hit = (tx.is_indexable(word) and term in stems) or any(
            word.startswith(p) or term.startswith(p) for p in prefixes
        )
        spans.append((m.start(), m.end(), hit, term))
    if not spans:
        return html.escape(text_in[: (max_words or 10_000) * 12])

    lo, hi = 0, len(spans)
    if max_words is not None and len(spans) > max_words:
        best_start, best_score = 0, -1
        hit_idx = [i for i, s in enumerate(spans) if s[2]]
        for i in hit_idx:
            start = max(0, i - 4)
            window = spans[start : start + max_words]
            score = len({s[3] for s in window if s[2]})
            if score > best_score:
                best_start, best_score = start, score
        lo, hi = best_start, min(len(spans), best_start + max_words)

    start_char = spans[lo][0] if lo > 0 else 0
    end_char = spans[hi - 1][1] if hi < len(spans) else len(text_in)
    out: list[str] = ["…" if lo > 0 else ""]
    pos = start_char
    for s_start, s_end, hit, _ in spans[lo:hi]:
        if not hit:
            continue
        out.append(html.escape(text_in[pos:s_start]))
        out.append("<mark>" + html.escape(text_in[s_start:s_end]) + "</mark>")
        pos = s_end
    out.append(html.escape(text_in[pos:end_char]))
    if hi < len(spans):
        out.append("…")
    return "".join(out)


# --------------------------------------------------------------------------- feedback


def record_feedback(
    session: Session, actor: Actor, article_id: int, helpful: bool
) -> FeedbackResult:
    """ "Was this helpful?": one vote per user and article; voting again changes the vote."""
    _require_actor(actor)
    if not isinstance(helpful, bool):
        raise ValidationError("Answer yes or no.", field="helpful")
    article = session.get(KbArticle, article_id) if isinstance(article_id, int) else None
    if article is None or not _visible(actor, article):
        raise NotFound("Article not found.")

    def current() -> KbFeedback | None:
        return session.exec(
            select(KbFeedback)
            .where(KbFeedback.article_id == article_id, KbFeedback.user_id == actor.id)
            .with_for_update()
        ).first()

    existing = current()
    delta_yes = delta_no = 0
    if existing is None:
        try:
            with session.begin_nested():
                session.add(KbFeedback(article_id=article_id, user_id=actor.id, helpful=helpful))
            delta_yes, delta_no = (1, 0) if helpful else (0, 1)
        except IntegrityError:  # the same user voted in a parallel request
            existing = current()
    if existing is not None and existing.helpful != helpful:
        existing.helpful = helpful
        existing.created_at = utcnow()
        session.add(existing)
        delta_yes, delta_no = (1, -1) if helpful else (-1, 1)
    if delta_yes or delta_no:
        session.execute(
            update(KbArticle)
            .where(col(KbArticle.id) == article_id)
            .values(
                helpful_yes=col(KbArticle.helpful_yes) + delta_yes,
                helpful_no=col(KbArticle.helpful_no) + delta_no,
            )
            .execution_options(synchronize_session=False)
        )
    session.flush()
    yes, no = session.exec(
        select(KbArticle.helpful_yes, KbArticle.helpful_no).where(KbArticle.id == article_id)
    ).one()
    session.expire(article, ["helpful_yes", "helpful_no"])
    return FeedbackResult(helpful_yes=yes, helpful_no=no, my_vote=helpful)


def record_deflection(session: Session, actor: Actor, article_id: int, query: str = "") -> int:
    """ "This solved my problem" on the new-ticket form: store it for analytics. Returns its id."""
    _require_actor(actor)
    article = session.get(KbArticle, article_id) if isinstance(article_id, int) else None
    if article is None or not _visible(actor, article):
        raise NotFound("Article not found.")
    query = " ".join(query.split())[:500] if isinstance(query, str) else ""
    row = KbDeflection(article_id=article_id, user_id=actor.id, query=query)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id
