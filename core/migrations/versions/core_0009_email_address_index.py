"""email address index: a follow-up checks no other person on file has the address

Revision ID: core_0009_email_address_index
Revises: core_0008_validation_notice
Create Date: 2026-11-30 21:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0009_email_address_index"
down_revision: str | Sequence[str] | None = "core_0008_validation_notice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_email_address", "email", ["address"])


def downgrade() -> None:
    op.drop_index("ix_email_address", table_name="email")
