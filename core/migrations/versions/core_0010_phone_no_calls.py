"""phone no calls: a number the debtor asked not to be called on

"Never call me at work, my employer does not allow it" could only be written in the notes; the
work number kept being dialled (1692c(a)(3)).

Revision ID: core_0010_phone_no_calls
Revises: core_0009_email_address_index
Create Date: 2026-11-30 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0010_phone_no_calls"
down_revision: str | Sequence[str] | None = "core_0009_email_address_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain nullable ADD COLUMN: no SQLite batch copy of a table others point at (core_0003).
    op.add_column(
        "phone", sa.Column("no_calls_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("phone", "no_calls_at")
