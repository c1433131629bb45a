"""campaign challenger: a second script read to a share of a campaign's accounts

A new script replaced the old one on every call at once, and nothing could say whether it
collected better or worse.

Revision ID: core_0014_campaign_challenger
Revises: core_0013_attempt_message
Create Date: 2026-12-01 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0014_campaign_challenger"
down_revision: str | Sequence[str] | None = "core_0013_attempt_message"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "campaign",
        sa.Column(
            "challenger_script",
            sqlmodel.sql.sqltypes.AutoString(length=80),
            nullable=False,
            server_default="",
        ),
    )
    op.add_column(
        "campaign",
        sa.Column("challenger_share", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("campaign", "challenger_share")
    op.drop_column("campaign", "challenger_script")
