"""inbound email: a debtor's email reply kept and read like a text

A reply to a follow-up email ("I dispute this", "I have a lawyer", "stop contacting me") went to
an address nothing read: the debtor's writing, binding from when it arrives, was lost.

Revision ID: outreach_0004_inbound_email
Revises: outreach_0003_text_accounts
Create Date: 2026-12-01 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "outreach_0004_inbound_email"
down_revision: str | Sequence[str] | None = "outreach_0003_text_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outreach_inbound_text") as batch:
        batch.add_column(
            sa.Column(
                "channel",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="sms",
            )
        )
        batch.alter_column(
            "sender",
            type_=sqlmodel.sql.sqltypes.AutoString(length=254),
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=20),
            existing_nullable=False,
        )
        batch.alter_column(
            "to_address",
            type_=sqlmodel.sql.sqltypes.AutoString(length=254),
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=20),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("outreach_inbound_text") as batch:
        batch.alter_column(
            "to_address",
            type_=sqlmodel.sql.sqltypes.AutoString(length=20),
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=254),
            existing_nullable=False,
        )
        batch.alter_column(
            "sender",
            type_=sqlmodel.sql.sqltypes.AutoString(length=20),
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=254),
            existing_nullable=False,
        )
        batch.drop_column("channel")
