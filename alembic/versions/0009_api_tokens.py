"""api tokens (PLACEHOLDER in branch webhooks: the real migration comes from branch api)

Revision ID: api_tokens
Revises: user_locale
"""

from collections.abc import Sequence

revision: str = "api_tokens"
down_revision: str | None = "user_locale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
