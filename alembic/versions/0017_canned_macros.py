"""canned macros: canned responses (personal or per team), their use, and macros

Revision ID: canned_macros
Revises: organisations
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "canned_macros"
down_revision: str | None = "organisations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "canned_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", S(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("canned_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_canned_response_owner_id"), ["owner_id"])
        batch_op.create_index(batch_op.f("ix_canned_response_team_id"), ["team_id"])
    op.create_table(
        "canned_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canned_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("used_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["canned_id"], ["canned_response.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("canned_use", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_canned_use_canned_id"), ["canned_id"])
        batch_op.create_index(batch_op.f("ix_canned_use_used_at"), ["used_at"])
    op.create_table(
        "macro",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=120), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("macro")
    with op.batch_alter_table("canned_use", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canned_use_used_at"))
        batch_op.drop_index(batch_op.f("ix_canned_use_canned_id"))
    op.drop_table("canned_use")
    with op.batch_alter_table("canned_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_canned_response_team_id"))
        batch_op.drop_index(batch_op.f("ix_canned_response_owner_id"))
    op.drop_table("canned_response")
