"""analytics: covering indexes for the dashboard's aggregates

Revision ID: analytics
Revises: board

Each index holds every column its query reads, so the aggregates are index-only (no random
reads of ticket rows): 100k tickets stay well under the dashboard's time budget.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "analytics"
down_revision: str | None = "board"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: list[tuple[str, str, list[str]]] = [
    # Backlog snapshot: GROUP BY status, priority, type, category (+ filters, age, overdue).
    (
        "ix_ticket_backlog",
        "ticket",
        [
            "status",
            "priority",
            "type",
            "category_id",
            "merged_into_id",
            "team_id",
            "assignee_id",
            "created_at",
            "due_at",
        ],
    ),
    # Created per day, first-response median.
    (
        "ix_ticket_created_cover",
        "ticket",
        ["created_at", "merged_into_id", "first_response_at", "team_id", "category_id"],
    ),
    # Resolved per day, resolution-time median and distribution, resolved per agent; status
    # first, so "status IN (resolved, closed) AND resolved_at in range" is two index seeks
    # (and SQLite picks it over ix_ticket_status even without ANALYZE statistics).
    (
        "ix_ticket_resolved_cover",
        "ticket",
        [
            "status",
            "resolved_at",
            "merged_into_id",
            "created_at",
            "assignee_id",
            "team_id",
            "category_id",
        ],
    ),
    # Reopen rate: moves to Resolved in the period ...
    (
        "ix_ticket_event_kind_new_created",
        "ticket_event",
        ["kind", "new_value", "created_at", "ticket_id"],
    ),
    # ... and, per ticket, any later move back out of Resolved/Closed.
    (
        "ix_ticket_event_ticket_kind",
        "ticket_event",
        ["ticket_id", "kind", "created_at", "old_value", "new_value"],
    ),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
