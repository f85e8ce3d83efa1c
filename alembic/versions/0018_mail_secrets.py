"""mail secrets: mailbox passwords encrypted at rest; alert label rules; changes announced by
other processes (the ingest-mail pipe command) for the live views

Revision ID: mail_secrets
Revises: canned_macros
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op
from ticketapp import secret_box

revision: str = "mail_secrets"
down_revision: str | None = "canned_macros"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime
MAILBOX = sa.table("mailbox", sa.column("id", sa.Integer), sa.column("password", sa.String))


def _passwords(change) -> None:
    """Rewrite every stored mailbox password with `change` (seal or open)."""
    bind = op.get_bind()
    for row_id, stored in bind.execute(sa.select(MAILBOX.c.id, MAILBOX.c.password)).all():
        new = change(stored or "")
        if new != stored:
            bind.execute(MAILBOX.update().where(MAILBOX.c.id == row_id).values(password=new))


def _seal(stored: str) -> str:
    return stored if secret_box.is_sealed(stored) else secret_box.seal(stored)


def upgrade() -> None:
    with op.batch_alter_table("mailbox") as batch:
        batch.alter_column(
            "password", type_=S(length=1024), existing_type=S(length=500), existing_nullable=False
        )
    _passwords(_seal)
    op.add_column(
        "alert_integration",
        sa.Column("label_rules", sa.JSON(), nullable=False, server_default="[]"),
    )
    op.create_table(
        "outside_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", S(length=20), nullable=False),
        sa.Column("ticket_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outside_change_created_at", "outside_change", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_outside_change_created_at", table_name="outside_change")
    op.drop_table("outside_change")
    with op.batch_alter_table("alert_integration") as batch:
        batch.drop_column("label_rules")
    _passwords(secret_box.open_)
    with op.batch_alter_table("mailbox") as batch:
        batch.alter_column(
            "password", type_=S(length=500), existing_type=S(length=1024), existing_nullable=False
        )
