"""sla: SLA policies, business calendars, the per-ticket SLA clock log, escalation rules and
their firings, scheduler locks; ticket.sla_policy_id and ticket.sla_paused_at.

Revision ID: sla
Revises: analytics
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "sla"
down_revision: str | None = "analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_str = sqlmodel.sql.sqltypes.AutoString
_dt = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "business_calendar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _str(length=80), nullable=False),
        sa.Column("time_zone", _str(length=64), nullable=False),
        sa.Column("working_days", _str(length=20), nullable=False),
        sa.Column("start_hour", sa.Integer(), nullable=False),
        sa.Column("end_hour", sa.Integer(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "sla_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _str(length=120), nullable=False),
        sa.Column("priority", _str(length=20), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("business_hours", sa.Boolean(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _dt(), nullable=False),
        sa.Column("updated_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["category.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["calendar_id"], ["business_calendar.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sla_policy_priority", "sla_policy", ["priority"])
    op.create_table(
        "sla_clock_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", _str(length=30), nullable=False),
        sa.Column("target", _str(length=20), nullable=True),
        sa.Column("at", _dt(), nullable=False),
        sa.Column("detail", _str(length=300), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sla_clock_event_ticket_id", "sla_clock_event", ["ticket_id"])
    op.create_table(
        "escalation_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _str(length=120), nullable=False),
        sa.Column("target", _str(length=20), nullable=False),
        sa.Column("threshold_percent", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("notify_assignee", sa.Boolean(), nullable=False),
        sa.Column("notify_team_managers", sa.Boolean(), nullable=False),
        sa.Column("raise_priority", sa.Boolean(), nullable=False),
        sa.Column("reassign_team_id", sa.Integer(), nullable=True),
        sa.Column("reassign_user_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["policy_id"], ["sla_policy.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reassign_team_id"], ["team.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reassign_user_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "escalation_firing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("target", _str(length=20), nullable=False),
        sa.Column("fired_at", _dt(), nullable=False),
        sa.ForeignKeyConstraint(["rule_id"], ["escalation_rule.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id", "ticket_id", "target"),
    )
    op.create_index("ix_escalation_firing_rule_id", "escalation_firing", ["rule_id"])
    op.create_index("ix_escalation_firing_ticket_id", "escalation_firing", ["ticket_id"])
    op.create_table(
        "scheduler_lock",
        sa.Column("name", _str(length=40), nullable=False),
        sa.Column("holder", _str(length=120), nullable=False),
        sa.Column("expires_at", _dt(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.add_column("ticket", sa.Column("sla_policy_id", sa.Integer(), nullable=True))
    op.add_column("ticket", sa.Column("sla_paused_at", _dt(), nullable=True))
    op.create_index("ix_ticket_sla_policy_id", "ticket", ["sla_policy_id"])


def downgrade() -> None:
    op.drop_index("ix_ticket_sla_policy_id", table_name="ticket")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("sla_paused_at")
        batch.drop_column("sla_policy_id")
    op.drop_table("scheduler_lock")
    op.drop_table("escalation_firing")
    op.drop_table("escalation_rule")
    op.drop_table("sla_clock_event")
    op.drop_index("ix_sla_policy_priority", table_name="sla_policy")
    op.drop_table("sla_policy")
    op.drop_table("business_calendar")
