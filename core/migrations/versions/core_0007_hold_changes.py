"""hold changes: every hold set or lifted, with who, when and why

The flags keep only the present: a lifted dispute left no trace of who lifted it or why.

Revision ID: core_0007_hold_changes
Revises: core_0006_phone_extension
Create Date: 2026-11-30 17:26:54.529722
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0007_hold_changes"
down_revision: str | Sequence[str] | None = "core_0006_phone_extension"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hold_change",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("hold", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hold_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hold_change_account_id"), ["account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hold_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hold_change_account_id"))

    op.drop_table("hold_change")
