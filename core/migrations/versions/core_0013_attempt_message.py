"""attempt message: a message a debtor left after calling in and finding no agent free

A call in that no agent took in time heard "please try again later" and nothing was kept but a
missed call: a debtor with a question, a payment or a dispute had no way to leave word.

Revision ID: core_0013_attempt_message
Revises: core_0012_email_work
Create Date: 2026-12-01 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0013_attempt_message"
down_revision: str | Sequence[str] | None = "core_0012_email_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "contactattempt",
        sa.Column(
            "message_ref",
            sqlmodel.sql.sqltypes.AutoString(length=255),
            nullable=False,
            server_default="",
        ),
    )


def downgrade() -> None:
    op.drop_column("contactattempt", "message_ref")
