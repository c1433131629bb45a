"""validation notice: the day each account's validation notice was sent

Nothing recorded whether the notice FDCPA 1692g and Reg F 1006.34 require within five business
days of the first conversation was ever sent; collection went on regardless.

Revision ID: core_0008_validation_notice
Revises: core_0007_hold_changes
Create Date: 2026-11-30 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0008_validation_notice"
down_revision: str | Sequence[str] | None = "core_0007_hold_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain nullable ADD COLUMN: no SQLite batch copy of a table others point at (core_0003).
    op.add_column("account", sa.Column("validation_notice_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("account", "validation_notice_on")
