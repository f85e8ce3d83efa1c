"""abuse limits: sign-in hand-offs (the session cookie is HttpOnly, set by /auth/session)

Revision ID: abuse_limits
Revises: list_columns
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "abuse_limits"
down_revision: str | None = "list_columns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "session_handoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", S(length=64), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["auth_session.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["device_id"], ["trusted_device.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_session_handoff_code_hash", "session_handoff", ["code_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_session_handoff_code_hash", table_name="session_handoff")
    op.drop_table("session_handoff")
