"""mail channel: the ticket's channel, e-mails seen and sent, quarantine, followers, mailboxes

Revision ID: mail_channel
Revises: twofa_audit
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "mail_channel"
down_revision: str | None = "twofa_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.add_column(
        "ticket", sa.Column("channel", S(length=20), nullable=False, server_default="web")
    )
    op.create_index("ix_ticket_channel", "ticket", ["channel"])
    op.add_column(
        "outbox_message", sa.Column("headers", sa.JSON(), nullable=False, server_default="{}")
    )
    op.create_table(
        "mail_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", S(length=255), nullable=False),
        sa.Column("direction", S(length=3), nullable=False),
        sa.Column("outcome", S(length=20), nullable=False),
        sa.Column("reason", S(length=200), nullable=False),
        sa.Column("from_addr", S(length=254), nullable=False),
        sa.Column("mailbox", S(length=80), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_mail_message_from_created", "mail_message", ["from_addr", "created_at"])
    op.create_table(
        "mail_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox", S(length=80), nullable=False),
        sa.Column("reason", S(length=500), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "ticket_follower",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", "user_id"),
    )

    op.create_table(
        "mailbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=80), nullable=False),
        sa.Column("host", S(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", S(length=10), nullable=False),
        sa.Column("username", S(length=255), nullable=False),
        sa.Column("password", S(length=500), nullable=False),
        sa.Column("folder", S(length=255), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_polled_at", T(), nullable=True),
        sa.Column("last_error", S(length=500), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("mailbox")
    op.drop_table("ticket_follower")
    op.drop_table("mail_quarantine")
    op.drop_index("ix_mail_message_from_created", table_name="mail_message")
    op.drop_table("mail_message")
    op.drop_column("outbox_message", "headers")
    op.drop_index("ix_ticket_channel", table_name="ticket")
    op.drop_column("ticket", "channel")
