"""phone wrong number: when an outcome said the number reaches someone else

Revision ID: core_0004_phone_wrong_number
Revises: core_0003_placed_balance
Create Date: 2026-11-30 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0004_phone_wrong_number"
down_revision: str | Sequence[str] | None = "core_0003_placed_balance"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable): no SQLite batch copy of a table others point at.
    op.add_column(
        "phone",
        sa.Column("wrong_number_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("phone", "wrong_number_at")
