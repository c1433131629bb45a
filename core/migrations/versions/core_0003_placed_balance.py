"""placed balance: what the client last placed, so a re-import keeps payments booked here

Revision ID: core_0003_placed_balance
Revises: core_0002_callback_consent
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0003_placed_balance"
down_revision: str | Sequence[str] | None = "core_0002_callback_consent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: SQLite's batch copies the table and drops the old one,
    # which the payments' foreign keys refuse once accounts have payments.
    for name in ("placed_balance_minor", "placed_paid_minor"):
        op.add_column(
            "account", sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
        )
    # Every payment stored so far was booked here after the account was placed, so the
    # client's last figure is the balance with those payments put back, and none of them had
    # been paid by then.
    op.execute(
        "UPDATE account SET placed_balance_minor = balance_minor + COALESCE("
        "(SELECT SUM(payment.amount_minor) FROM payment WHERE payment.account_id = account.id), 0)"
    )


def downgrade() -> None:
    for name in ("placed_paid_minor", "placed_balance_minor"):
        op.drop_column("account", name)
