"""Ranked search: user input parsed into stemmed, quoted terms (never query syntax), ranked by
bm25 (SQLite) or ts_rank (PostgreSQL), typo correction from the vocabulary, suggestions for a
ticket being filed, related articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session, col, select

from ticketapp.models import (
    KbArticle,
    KbAudience,
    KbStatus,
)
from ticketapp.services import text as tx
from ticketapp.services.actor import Actor
from ticketapp.services.errors import NotFound
from ticketapp.services.kb import cache
from ticketapp.services.kb.common import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    MAX_SUGGEST_CHARS,
    MAX_SUGGEST_TERMS,
    category_names,
    clamp_limit,
    require_actor,
    summaries,
    visibility_filter,
    visible,
)
from ticketapp.services.kb.snippets import highlight, plain
from ticketapp.services.kb.views import ArticleSummary, SearchHit
from ticketapp.services.memo import db_key

# FTS5 bm25 column weights (title, tags, body) and ts_rank weights {D, C, B, A}.
_BM25 = "bm25(kb_search, 10.0, 4.0, 1.0)"
_TS_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"


# --------------------------------------------------------------------------- search


@dataclass
class _Query:
    # One group per word: its stems in the query's languages; an article matches the word when
    # it holds any of them.
    terms: list[tuple[str, ...]]
    prefix: tuple[str, ...] = ()  # the word being typed: any term starting with one of these

    @property
    def empty(self) -> bool:
        return not self.terms and not self.prefix

    def key(self) -> tuple:
        """What the query asks, for the cache (two spellings with the same stems are one)."""
        return tuple(self.terms), self.prefix

    def highlight(self) -> tuple[set[str], tuple[str, ...]]:
        return {t for group in self.terms for t in group}, self.prefix


def _parse(query: Any, max_chars: int, max_terms: int, allow_prefix: bool = True) -> _Query:
    if not isinstance(query, str):
        return _Query([])
    query = query[:max_chars]
    langs = tx.query_languages(query)
    raw = tx.raw_words(query)
    prefix: tuple[str, ...] = ()
    if allow_prefix and raw and query[-1:].isalnum():
        last = raw.pop()
        if len(last) >= 2 and (tx.is_indexable(last, langs) or not raw):
            prefix = tuple(sorted({tx.fold(last), *tx.alternatives(last, langs)}))
    terms: list[tuple[str, ...]] = []
    for word in raw:
        if tx.is_indexable(word, langs):
            group = tx.alternatives(word, langs)
            if group not in terms:
                terms.append(group)
                if len(terms) >= max_terms:
                    break
    if prefix and any(t.startswith(p) for group in terms for t in group for p in prefix):
        prefix = ()  # already covered by a whole word
    return _Query(terms[:max_terms], prefix)


def _fts5_expr(q: _Query, mode: str) -> str:
    def quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def any_of(items: list[str]) -> str:
        return items[0] if len(items) == 1 else "(" + " OR ".join(items) + ")"

    parts = [any_of([quote(t) for t in group]) for group in q.terms]
    if q.prefix:
        parts.append(any_of([quote(p) + " *" for p in q.prefix]))
    return (" AND " if mode == "and" else " OR ").join(parts)


def _tsquery_expr(q: _Query, mode: str) -> str:
    def quote(term: str) -> str:
        return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"

    def any_of(items: list[str]) -> str:
        return items[0] if len(items) == 1 else "(" + " | ".join(items) + ")"

    parts = [any_of([quote(t) for t in group]) for group in q.terms]
    if q.prefix:
        parts.append(any_of([quote(p) + ":*" for p in q.prefix]))
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


def _known_terms(session: Session, terms: Sequence[str], vocab: str = "kb_term") -> set[str]:
    if vocab == "kb_term":  # remembered per term until the knowledge base changes
        db = db_key(session)
        return {
            t
            for t in terms
            if cache.cached_for(session, ("known", db, t), partial(_is_known, session, t))
        }
    return _query_known(session, terms, vocab)


def _is_known(session: Session, term: str) -> bool:
    return bool(_query_known(session, [term], "kb_term"))


def _query_known(session: Session, terms: Sequence[str], vocab: str) -> set[str]:
    if not terms:
        return set()
    rows = session.execute(
        text(f"SELECT term FROM {vocab} WHERE doc_count > 0 AND term IN :terms").bindparams(
            bindparam("terms", expanding=True)
        ),
        {"terms": list(terms)},
    )
    return {r[0] for r in rows}


def _known_prefix(session: Session, prefix: str, vocab: str = "kb_term") -> bool:
    if vocab == "kb_term":
        key = ("prefix", db_key(session), prefix)
        return cache.cached_for(session, key, partial(_query_prefix, session, prefix, vocab))
    return _query_prefix(session, prefix, vocab)


def _query_prefix(session: Session, prefix: str, vocab: str) -> bool:
    row = session.execute(
        text(f"SELECT 1 FROM {vocab} WHERE term >= :lo AND term < :hi AND doc_count > 0 LIMIT 1"),
        {"lo": prefix, "hi": prefix + "\U0010ffff"},
    ).first()
    return row is not None


def _correct(session: Session, word: str, vocab: str = "kb_term") -> str | None:
    """The indexed term closest to `word` (a stem), or None when nothing is close enough.
    `vocab`: the vocabulary table (kb_term; ticket_term for ticket search). Only words not in
    the index come here; the knowledge base's answers are remembered until it changes."""
    if vocab == "kb_term":
        key = ("correct", db_key(session), word)
        return cache.cached_for(session, key, partial(_closest, session, word, vocab))
    return _closest(session, word, vocab)


def _closest(session: Session, word: str, vocab: str) -> str | None:
    n = len(word)
    if n < 3 or any(c.isdigit() for c in word):
        return None  # a number or a code is not a misspelt word (and each is new: no cache)
    max_dist = 1 if n <= 5 else 2
    rows = session.execute(
        text(
            f"SELECT term, doc_count FROM {vocab} WHERE length BETWEEN :lo AND :hi "
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


def _corrected(session: Session, q: _Query, vocab: str = "kb_term") -> _Query | None:
    """`q` with unknown words replaced by their closest indexed term (None: nothing to fix)."""
    known = _known_terms(session, [t for group in q.terms for t in group], vocab)
    changed = False
    terms: list[tuple[str, ...]] = []
    for group in q.terms:
        fixed: tuple[str, ...] = tuple(t for t in group if t in known)
        if not fixed:
            changed = True
            fixed = tuple(
                dict.fromkeys(f for f in map(partial(_correct, session, vocab=vocab), group) if f)
            )
        if fixed and fixed not in terms:
            terms.append(fixed)
    prefix = q.prefix
    if prefix and not any(_known_prefix(session, p, vocab) for p in prefix):
        changed = True
        word = max(prefix, key=len)
        fixed_word = _correct(session, tx.stem(word), vocab) or _correct(session, word, vocab)
        prefix = ()
        if fixed_word and (fixed_word,) not in terms:
            terms.append((fixed_word,))
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
    require_actor(actor)
    q = _parse(query, MAX_QUERY_CHARS, MAX_QUERY_TERMS)
    limit = clamp_limit(limit)

    def compute() -> list[SearchHit]:
        hits, used = _search_ids(session, actor, q, limit, category_id)
        return _hits(session, hits, used)

    key = ("search", db_key(session), actor.is_staff, q.key(), limit, category_id)
    return list(cache.cached_for(session, key, compute))


def suggest_for_ticket(
    session: Session, actor: Actor, title: str, description: str, limit: int = 5
) -> list[SearchHit]:
    """Articles that may answer a ticket being typed (deflection): any-word match over the
    title and description, typos corrected."""
    require_actor(actor)
    title = title if isinstance(title, str) else ""
    description = description if isinstance(description, str) else ""
    text_in = f"{title[:MAX_QUERY_CHARS]}\n{description[:MAX_SUGGEST_CHARS]}".strip()
    q = _parse(text_in, MAX_SUGGEST_CHARS + MAX_QUERY_CHARS + 1, MAX_SUGGEST_TERMS)
    if q.empty:
        return []
    limit = clamp_limit(limit, 5)

    # Keyed by the corrected query (its word look-ups are remembered): words the index does
    # not know and cannot correct (a ticket number, a name) match nothing, so two texts that
    # differ only in those share their suggestions.
    fixed = _corrected(session, q) or q

    def compute() -> list[SearchHit]:
        return _hits(session, _ranked(session, actor, fixed, "or", limit), fixed)

    key = ("suggest", db_key(session), actor.is_staff, fixed.key(), limit)
    return list(cache.cached_for(session, key, compute))


def related_articles(
    session: Session, actor: Actor, article_id: int, limit: int = 5
) -> list[ArticleSummary]:
    """Articles sharing words with this one's title and tags, then same-category ones."""
    require_actor(actor)
    article = session.get(KbArticle, article_id) if isinstance(article_id, int) else None
    if article is None or not visible(actor, article):
        raise NotFound("Article not found.")
    limit = clamp_limit(limit, 5)
    q = _parse(
        f"{article.title} {' '.join(tx.tag_list(article.tags))}",
        MAX_QUERY_CHARS,
        MAX_SUGGEST_TERMS,
        allow_prefix=False,
    )
    ids = [i for i, _ in _ranked(session, actor, q, "or", limit, exclude_id=article.id)]
    if len(ids) < limit and article.category_id is not None:
        stmt = visibility_filter(select(KbArticle.id), actor).where(
            KbArticle.category_id == article.category_id,
            KbArticle.id != article.id,
            KbArticle.status == KbStatus.PUBLISHED,
        )
        if ids:
            stmt = stmt.where(col(KbArticle.id).not_in(ids))
        stmt = stmt.order_by(col(KbArticle.helpful_yes).desc()).limit(limit - len(ids))
        ids += list(session.exec(stmt))
    by_id = load(session, ids)
    return summaries(session, [by_id[i] for i in ids if i in by_id])


def load(session: Session, ids: Sequence[int]) -> dict[int, KbArticle]:
    if not ids:
        return {}
    rows = session.exec(select(KbArticle).where(col(KbArticle.id).in_(list(ids)))).all()
    return {a.id: a for a in rows if a.id is not None}


def _hits(session: Session, hits: list[tuple[int, float]], q: _Query) -> list[SearchHit]:
    by_id = load(session, [i for i, _ in hits])
    names = category_names(session, (a.category_id for a in by_id.values()))
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
                snippet_html=highlight(plain(a.body), stems, prefixes),
                category_id=a.category_id,
                category=names.get(a.category_id or 0, ""),
                score=score,
            )
        )
    return out
