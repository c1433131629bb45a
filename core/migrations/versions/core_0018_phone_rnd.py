"""phone rnd: the reassigned-numbers database's last answer per number

A number the carrier gave to someone else kept its autodial consent and kept being dialled; the
database's answer (and the date asked about) is the evidence of the TCPA safe harbour.

Revision ID: core_0018_phone_rnd
Revises: core_0017_stopped_number
Create Date: 2026-12-02 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0018_phone_rnd"
down_revision: str | Sequence[str] | None = "core_0017_stopped_number"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: no SQLite batch copy of a table others point at (core_0003).
    op.add_column(
        "phone",
        sa.Column(
            "rnd_result", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False,
            server_default="",
        ),
    )  # fmt: skip
    op.add_column("phone", sa.Column("rnd_since", sa.Date(), nullable=True))
    op.add_column(
        "phone", sa.Column("rnd_checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )


def downgrade() -> None:
    for name in ("rnd_checked_at", "rnd_since", "rnd_result"):
        op.drop_column("phone", name)
