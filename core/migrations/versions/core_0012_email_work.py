"""email work: an address the debtor's employer provides is never written to

Reg F 1006.22(f)(3): a collector must not email a consumer at an address it knows the employer
provides. Nothing could record that an address was one.

Revision ID: core_0012_email_work
Revises: core_0011_portfolio_limitation
Create Date: 2026-12-01 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0012_email_work"
down_revision: str | Sequence[str] | None = "core_0011_portfolio_limitation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "email", sa.Column("work", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.drop_column("email", "work")
