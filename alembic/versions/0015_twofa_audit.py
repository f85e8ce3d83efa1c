"""twofa audit: two-factor sign-in (TOTP, recovery codes, trusted devices), team settings and
the append-only security audit log

Revision ID: twofa_audit
Revises: reset_alerts
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "twofa_audit"
down_revision: str | None = "reset_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "two_factor",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", S(length=64), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("enabled_at", T(), nullable=True),
        sa.Column("last_step", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", S(length=64), nullable=False),
        sa.Column("used_at", T(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_code_user_id"), ["user_id"], unique=False)
    op.create_table(
        "trusted_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", S(length=64), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("expires_at", T(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("trusted_device", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trusted_device_token_hash"), ["token_hash"], unique=True
        )
        batch_op.create_index(batch_op.f("ix_trusted_device_user_id"), ["user_id"], unique=False)
    op.create_table(
        "app_setting",
        sa.Column("key", S(length=60), nullable=False),
        sa.Column("value", S(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "security_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_email", S(length=254), nullable=False),
        sa.Column("action", S(length=60), nullable=False),
        sa.Column("target", S(length=300), nullable=False),
        sa.Column("detail", S(length=1000), nullable=False),
        sa.Column("ip", S(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("security_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_security_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_security_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_security_event_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("security_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_security_event_created_at"))
        batch_op.drop_index(batch_op.f("ix_security_event_actor_id"))
        batch_op.drop_index(batch_op.f("ix_security_event_action"))
    op.drop_table("security_event")
    op.drop_table("app_setting")
    with op.batch_alter_table("trusted_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trusted_device_user_id"))
        batch_op.drop_index(batch_op.f("ix_trusted_device_token_hash"))
    op.drop_table("trusted_device")
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_code_user_id"))
    op.drop_table("recovery_code")
    op.drop_table("two_factor")
