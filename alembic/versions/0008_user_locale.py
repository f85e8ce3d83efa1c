"""user locale: each user's interface language ("" until chosen)

Revision ID: user_locale
Revises: merged_into_index
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "user_locale"
down_revision: str | None = "merged_into_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.add_column("user", sa.Column("locale", S(length=8), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("locale")
