"""tags and custom fields: tags on tickets (staff only) and managers' custom fields per ticket
type with their values (text, so a changed definition never loses one)

Revision ID: tags_fields
Revises: abuse_limits
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "tags_fields"
down_revision: str | None = "abuse_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=50), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_tag_name", "tag", ["name"], unique=True)
    op.create_table(
        "ticket_tag",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", "tag_id"),
    )
    op.create_index("ix_ticket_tag_tag_ticket", "ticket_tag", ["tag_id", "ticket_id"])
    op.create_table(
        "custom_field",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_type", S(length=30), nullable=False),
        sa.Column("label", S(length=80), nullable=False),
        sa.Column("kind", S(length=20), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_custom_field_ticket_type", "custom_field", ["ticket_type"])
    op.create_table(
        "custom_field_value",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["field_id"], ["custom_field.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", "field_id"),
    )
    op.create_index("ix_custom_field_value_field", "custom_field_value", ["field_id"])


def downgrade() -> None:
    op.drop_table("custom_field_value")
    op.drop_table("custom_field")
    op.drop_table("ticket_tag")
    op.drop_table("tag")
