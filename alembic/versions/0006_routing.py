"""routing: triage rules, agent skills, team auto-assignment, notifications, e-mail outbox

Revision ID: routing
Revises: sla
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "routing"
down_revision: str | None = "sla"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.add_column(
        "team", sa.Column("auto_assign", S(length=20), nullable=False, server_default="off")
    )
    op.add_column("team", sa.Column("rr_cursor_user_id", sa.Integer(), nullable=True))
    op.add_column("ticket_event", sa.Column("reason", sa.Text(), nullable=True))
    op.create_table(
        "agent_skill",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["category_id"], ["category.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "category_id"),
    )
    op.create_table(
        "routing_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", S(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("cond_type", S(length=30), nullable=True),
        sa.Column("cond_category_id", sa.Integer(), nullable=True),
        sa.Column("cond_keywords", S(length=2000), nullable=False),
        sa.Column("cond_requester_id", sa.Integer(), nullable=True),
        sa.Column("set_category_id", sa.Integer(), nullable=True),
        sa.Column("set_priority", S(length=20), nullable=True),
        sa.Column("set_type", S(length=30), nullable=True),
        sa.Column("set_team_id", sa.Integer(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["cond_category_id"], ["category.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["cond_requester_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["set_category_id"], ["category.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["set_team_id"], ["team.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_routing_rule_position", "routing_rule", ["position"])
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", S(length=30), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("subject", S(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("read_at", T(), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notification_user_id", "notification", ["user_id"])
    op.create_index("ix_notification_created_at", "notification", ["created_at"])
    op.create_index("ix_notification_user_read", "notification", ["user_id", "read_at"])
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", S(length=30), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "kind"),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_addr", S(length=254), nullable=False),
        sa.Column("subject", S(length=250), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", S(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", T(), nullable=False),
        sa.Column("claimed_at", T(), nullable=True),
        sa.Column("last_error", S(length=1000), nullable=False),
        sa.Column("dedupe_key", S(length=100), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("sent_at", T(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index("ix_outbox_status_next", "outbox_message", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_status_next", table_name="outbox_message")
    op.drop_table("outbox_message")
    op.drop_table("notification_preference")
    op.drop_index("ix_notification_user_read", table_name="notification")
    op.drop_index("ix_notification_created_at", table_name="notification")
    op.drop_index("ix_notification_user_id", table_name="notification")
    op.drop_table("notification")
    op.drop_index("ix_routing_rule_position", table_name="routing_rule")
    op.drop_table("routing_rule")
    op.drop_table("agent_skill")
    with op.batch_alter_table("ticket_event") as batch:
        batch.drop_column("reason")
    with op.batch_alter_table("team") as batch:
        batch.drop_column("rr_cursor_user_id")
        batch.drop_column("auto_assign")
