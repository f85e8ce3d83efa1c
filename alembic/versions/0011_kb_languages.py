"""kb languages: re-stem the knowledge-base index in each article's own language

Articles were stemmed as English (Latin script) or Russian (Cyrillic). Polish and Latvian
articles are now stemmed in their own language (ticketapp.services.text.language_of), so the
index and its vocabulary are rebuilt from the articles. No schema change.

Revision ID: kb_languages
Revises: api_tokens
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "kb_languages"
down_revision: str | None = "api_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from ticketapp.services.kb.index import article_doc

    bind = op.get_bind()
    dialect = bind.dialect.name
    rows = bind.execute(sa.text("SELECT id, title, tags, body FROM kb_article")).all()
    if not rows:
        return
    counts: dict[str, int] = {}
    if dialect == "sqlite":
        bind.execute(sa.text("DELETE FROM kb_search"))
    for row in rows:
        title, tags, body = article_doc(row.title, row.tags or "", row.body or "")
        for term in set(f"{title} {tags} {body}".split()):
            counts[term] = counts.get(term, 0) + 1
        params = {"id": row.id, "t": title, "g": tags, "b": body}
        if dialect == "sqlite":
            bind.execute(
                sa.text("INSERT INTO kb_search(rowid, title, tags, body) VALUES (:id, :t, :g, :b)"),
                params,
            )
        elif dialect == "postgresql":
            bind.execute(
                sa.text(
                    "UPDATE kb_article SET search_vector = "
                    "setweight(to_tsvector('simple', :t), 'A') || "
                    "setweight(to_tsvector('simple', :g), 'B') || "
                    "setweight(to_tsvector('simple', :b), 'C') WHERE id = :id"
                ),
                params,
            )
    bind.execute(sa.text("DELETE FROM kb_term"))
    bind.execute(
        sa.text("INSERT INTO kb_term(term, length, doc_count) VALUES (:t, :n, :c)"),
        [{"t": t, "n": len(t), "c": c} for t, c in counts.items() if len(t) <= 40],
    )


def downgrade() -> None:
    # The index stays as it is: the previous release's English/Russian queries still find
    # what they found before in English and Russian articles.
    pass
