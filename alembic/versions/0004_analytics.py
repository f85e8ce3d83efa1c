"""analytics: indexes for the dashboard's aggregates

Revision ID: analytics
Revises: board
"""

from collections.abc import Sequence

from alembic import op

revision: str = "analytics"
down_revision: str | None = "board"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Resolved per day / median resolution time: range over the last move to Resolved.
    op.create_index("ix_ticket_resolved_at", "ticket", ["resolved_at"])
    # Reopen rate: moves to Resolved within the period.
    op.create_index("ix_ticket_event_kind_created", "ticket_event", ["kind", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_event_kind_created", table_name="ticket_event")
    op.drop_index("ix_ticket_resolved_at", table_name="ticket")
