"""unmatched message: the message left by a caller whose number matched no account

Revision ID: dialer_0004_unmatched_message
Revises: dialer_0003_unmatched_calls
Create Date: 2026-12-01 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "dialer_0004_unmatched_message"
down_revision: str | Sequence[str] | None = "dialer_0003_unmatched_calls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "dialer_unmatched_call",
        sa.Column(
            "message_ref",
            sqlmodel.sql.sqltypes.AutoString(length=255),
            nullable=False,
            server_default="",
        ),
    )


def downgrade() -> None:
    op.drop_column("dialer_unmatched_call", "message_ref")
