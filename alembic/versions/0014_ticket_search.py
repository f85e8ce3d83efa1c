"""ticket search: one full-text document per ticket, back-filled

SQLite: an FTS5 table ``ticket_search(title, body, replies, people, files, tags, notes)`` whose
rowid is ``ticket.id``, holding the Python-stemmed text (ticketapp.services.text), with 2- and
3-character prefix indexes. PostgreSQL: a table ``ticket_search(ticket_id, doc, public_doc)``
of weighted tsvectors from the same stemmed text, ``doc`` GIN-indexed (staff search),
``public_doc`` without internal notes (a requester's search over their own tickets). Both: the
``ticket_term`` vocabulary for typo correction. Kept current by
ticketapp/services/tickets/search_index.py in the transaction of each write.

Revision ID: ticket_search
Revises: mail_channel
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "ticket_search"
down_revision: str | None = "mail_channel"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_term",
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("doc_count", sa.Integer(), nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("term"),
    )
    op.create_index("ix_ticket_term_length", "ticket_term", ["length"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE ticket_search USING fts5("
            "title, body, replies, people, files, tags, notes, "
            "prefix='2 3', tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "CREATE TABLE ticket_search ("
            "ticket_id INTEGER PRIMARY KEY REFERENCES ticket(id) ON DELETE CASCADE, "
            "doc tsvector NOT NULL, public_doc tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_ticket_search_doc ON ticket_search USING gin(doc)")

    from ticketapp.services.tickets.search_index import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS ticket_search")
    op.drop_index("ix_ticket_term_length", table_name="ticket_term")
    op.drop_table("ticket_term")
