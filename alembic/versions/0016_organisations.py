"""organisations: requesters' organisations (with the e-mail domains that put new requesters
in them) and staff notes about requesters

Revision ID: organisations
Revises: ticket_search
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "organisations"
down_revision: str | None = "ticket_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=120), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "organisation_domain",
        sa.Column("domain", S(length=253), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("domain"),
    )
    op.create_index(
        "ix_organisation_domain_organisation_id", "organisation_domain", ["organisation_id"]
    )
    op.create_table(
        "organisation_member",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index(
        "ix_organisation_member_organisation_id", "organisation_member", ["organisation_id"]
    )
    op.create_table(
        "requester_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["requester_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_requester_note_requester_id", "requester_note", ["requester_id"])


def downgrade() -> None:
    op.drop_index("ix_requester_note_requester_id", table_name="requester_note")
    op.drop_table("requester_note")
    op.drop_index("ix_organisation_member_organisation_id", table_name="organisation_member")
    op.drop_table("organisation_member")
    op.drop_index("ix_organisation_domain_organisation_id", table_name="organisation_domain")
    op.drop_table("organisation_domain")
    op.drop_table("organisation")
