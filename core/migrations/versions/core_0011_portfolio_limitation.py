"""portfolio limitation years: when its debts may be time-barred

Reg F 1006.26(b) forbids suing or threatening suit on a time-barred debt; nothing said which
debts might be. Each portfolio now states its period, 3 years by default.

Revision ID: core_0011_portfolio_limitation
Revises: core_0010_phone_no_calls
Create Date: 2026-12-01 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0011_portfolio_limitation"
down_revision: str | Sequence[str] | None = "core_0010_phone_no_calls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a server default fills every stored portfolio (core_0003: no batch
    # copy of a table others point at).
    op.add_column(
        "portfolio",
        sa.Column("limitation_years", sa.Integer(), nullable=False, server_default="3"),
    )


def downgrade() -> None:
    op.drop_column("portfolio", "limitation_years")
