"""inbound texts: the accounts a lead said a text is about

A number two clients' debtors share hides its texts from both clients' screens (either debt may
be the one spoken of); once a lead ticks the accounts a text is about, it shows on those.

Revision ID: outreach_0003_text_accounts
Revises: outreach_0002_inbound_texts
Create Date: 2026-11-30 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "outreach_0003_text_accounts"
down_revision: str | Sequence[str] | None = "outreach_0002_inbound_texts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "outreach_inbound_text",
        sa.Column("account_ids", sa.JSON(), nullable=False, server_default="[]"),
    )


def downgrade() -> None:
    op.drop_column("outreach_inbound_text", "account_ids")
