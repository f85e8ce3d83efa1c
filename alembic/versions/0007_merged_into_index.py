"""merged-into index: the ticket page lists the tickets merged into it

Without it, that lookup scanned the whole ticket table on every ticket page load (35 of the
45 ms of a page at 100,000 tickets, found by profiling `make load`). Partial (only merged
tickets): with a full index, ANALYZE counts all the NULLs as one value and SQLite's planner
still chose the scan.

Revision ID: merged_into_index
Revises: routing
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "merged_into_index"
down_revision: str | None = "routing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    where = sa.text("merged_into_id IS NOT NULL")
    op.create_index(
        "ix_ticket_merged_into_id",
        "ticket",
        ["merged_into_id"],
        sqlite_where=where,
        postgresql_where=where,
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_merged_into_id", table_name="ticket")
