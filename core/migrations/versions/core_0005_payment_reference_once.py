"""payment reference once: one booking per processor charge on an account

Two payment-page requests carrying one charge (a retry, two tabs) both passed record_payment's
check and booked the charge twice. A unique index makes the database refuse the second; copies
already booked are removed first, keeping the first booking of each charge.

Revision ID: core_0005_payment_reference_once
Revises: core_0004_phone_wrong_number
Create Date: 2026-11-30 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "core_0005_payment_reference_once"
down_revision: str | Sequence[str] | None = "core_0004_phone_wrong_number"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFERENCED = sa.text("reference <> ''")


def upgrade() -> None:
    op.execute(
        "DELETE FROM payment WHERE reference <> '' AND id NOT IN "
        "(SELECT MIN(id) FROM payment WHERE reference <> '' GROUP BY account_id, reference)"
    )
    op.create_index(
        "uq_payment_account_reference",
        "payment",
        ["account_id", "reference"],
        unique=True,
        sqlite_where=_REFERENCED,
        postgresql_where=_REFERENCED,
    )


def downgrade() -> None:
    op.drop_index("uq_payment_account_reference", table_name="payment")
