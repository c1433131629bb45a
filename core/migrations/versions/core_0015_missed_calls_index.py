"""missed calls index: the lead's missed calls in of 7 days without a week-long scan

Revision ID: core_0015_missed_calls_index
Revises: core_0014_campaign_challenger
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "core_0015_missed_calls_index"
down_revision: str | Sequence[str] | None = "core_0014_campaign_challenger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_contactattempt_direction_outcome",
        "contactattempt",
        ["direction", "outcome", "started_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_contactattempt_direction_outcome", table_name="contactattempt")
