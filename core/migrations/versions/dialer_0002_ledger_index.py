"""campaign ledger index: a campaign's answered calls of 30 days, read from the index alone

Revision ID: dialer_0002_ledger_index
Revises: dialer_0001_pacing_memory
Create Date: 2026-11-29 23:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "dialer_0002_ledger_index"  # alembic keeps at most 32 characters
down_revision: str | Sequence[str] | None = "dialer_0001_pacing_memory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contactattempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contactattempt_campaign_ledger",
            ["campaign_id", "started_at", "outcome", "disposition_code_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("contactattempt", schema=None) as batch_op:
        batch_op.drop_index("ix_contactattempt_campaign_ledger")
