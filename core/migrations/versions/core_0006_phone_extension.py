"""phone extension: the digits to ask for once a workplace switchboard answers

Placement files wrote "(212) 555-0100 x204"; the extension was dropped without a word, and the
dialer called the switchboard predictively.

Revision ID: core_0006_phone_extension
Revises: core_0005_payment_reference_once
Create Date: 2026-11-30 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0006_phone_extension"
down_revision: str | Sequence[str] | None = "core_0005_payment_reference_once"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default for the rows there: no SQLite batch copy of a table
    # others point at (core_0003 says why).
    op.add_column(
        "phone",
        sa.Column(
            "extension",
            sqlmodel.sql.sqltypes.AutoString(length=10),
            nullable=False,
            server_default="",
        ),
    )


def downgrade() -> None:
    op.drop_column("phone", "extension")
