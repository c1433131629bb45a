"""inbound texts: every text a debtor sends is kept, with what a person must act on

Until now only a STOP left a trace (its opt-out); a reply saying "this is not my debt" or "I have
a lawyer" was answered 200 and dropped.

Revision ID: outreach_0002_inbound_texts
Revises: outreach_0001_messages
Create Date: 2026-11-30 15:34:16.371316
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "outreach_0002_inbound_texts"
down_revision: str | Sequence[str] | None = "outreach_0001_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outreach_inbound_text",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("to_address", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("concern", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("handled_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("handled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outreach_inbound_text", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outreach_inbound_text_concern"), ["concern"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outreach_inbound_text_received_at"), ["received_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outreach_inbound_text_sender"), ["sender"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outreach_inbound_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreach_inbound_text_sender"))
        batch_op.drop_index(batch_op.f("ix_outreach_inbound_text_received_at"))
        batch_op.drop_index(batch_op.f("ix_outreach_inbound_text_concern"))

    op.drop_table("outreach_inbound_text")
