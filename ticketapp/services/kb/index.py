"""Index writes: an article's stemmed document and its search-index rows (FTS5 on SQLite, the
tsvector column on PostgreSQL) and vocabulary, updated in the article's transaction."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from ticketapp.services import text as tx
from ticketapp.services.kb.common import MAX_BODY

# --------------------------------------------------------------------------- index writes


def article_doc(title: str, tags: str, body: str) -> tuple[str, str, str]:
    """The stemmed (title, tags, body), every field in the language of the whole article."""
    lang = tx.language_of(f"{title}\n{body[:MAX_BODY]}")
    return (
        tx.stemmed_text(title, lang),
        tx.stemmed_text(" ".join(tx.tag_list(tags)), lang),
        tx.stemmed_text(body[:MAX_BODY], lang),
    )


def doc_terms(doc: tuple[str, str, str] | None) -> set[str]:
    return set(" ".join(doc).split()) if doc else set()


def write_index(
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

    old_terms, new_terms = doc_terms(old), doc_terms(new)
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
