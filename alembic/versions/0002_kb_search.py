"""knowledge-base search index

SQLite: an FTS5 table ``kb_search(title, tags, body)`` whose rowid is ``kb_article.id`` and
whose content is the Python-stemmed text (ticketapp.services.text), with 2- and 3-character
prefix indexes. PostgreSQL: a ``search_vector`` tsvector column on ``kb_article`` (filled from
the same stemmed text with weights A/B/C for title/tags/body) and a GIN index. Both: a
``kb_term`` vocabulary (stem -> number of articles) for the typo fallback. The service layer
(services/kb.py) writes all of it in the same transaction as the article.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kb_term",
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("doc_count", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("term"),
    )
    op.create_index("ix_kb_term_length", "kb_term", ["length"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE kb_search USING fts5("
            "title, tags, body, prefix='2 3', tokenize='unicode61 remove_diacritics 2')"
        )
    elif dialect == "postgresql":
        op.execute("ALTER TABLE kb_article ADD COLUMN search_vector tsvector")
        op.execute(
            "CREATE INDEX ix_kb_article_search_vector ON kb_article USING gin(search_vector)"
        )
    _backfill(dialect)


def _backfill(dialect: str) -> None:
    """Index articles that already exist (none on a fresh install)."""
    from ticketapp.services.text import stemmed_text, tag_list

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, title, tags, body FROM kb_article")).all()
    counts: dict[str, int] = {}
    for row in rows:
        title = stemmed_text(row.title)
        tags = stemmed_text(" ".join(tag_list(row.tags)))
        body = stemmed_text(row.body)
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
    if counts:
        bind.execute(
            sa.text("INSERT INTO kb_term(term, length, doc_count) VALUES (:t, :n, :c)"),
            [{"t": t, "n": len(t), "c": c} for t, c in counts.items()],
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS kb_search")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_kb_article_search_vector")
        op.execute("ALTER TABLE kb_article DROP COLUMN IF EXISTS search_vector")
    op.drop_index("ix_kb_term_length", table_name="kb_term")
    op.drop_table("kb_term")
