"""stopped number: the agency's own do-not-call list, by number

A 9 pressed at our message stopped the phone rows holding the number at that moment. A debtor
placed later with the same number, or the number typed into a preview dial, was still called:
the request belongs to the line, not to the debtors on file.

Revision ID: core_0017_stopped_number
Revises: core_0016_client_message_contact
Create Date: 2026-12-01 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0017_stopped_number"
down_revision: str | Sequence[str] | None = "core_0016_client_message_contact"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stopped_number",
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("how", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("lifted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("lifted_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("lift_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stopped_number_number", "stopped_number", ["number"])
    op.create_index(
        "ix_stopped_number_in_force",
        "stopped_number",
        ["number"],
        unique=True,
        sqlite_where=sa.text("lifted_at IS NULL"),
        postgresql_where=sa.text("lifted_at IS NULL"),
    )
    # Numbers already stopped by a key pressed at the message become entries of the list.
    op.execute(
        sa.text(
            "INSERT INTO stopped_number (created_at, updated_at, updated_by, number, since, how,"
            " detail, lifted_by, lift_reason)"
            " SELECT MIN(no_calls_at), MIN(no_calls_at), 'migration', number, MIN(no_calls_at),"
            " 'keypad', 'pressed 9 at the message', '', '' FROM phone"
            " WHERE no_calls_at IS NOT NULL AND updated_by = 'dialer: keypad opt-out'"
            " GROUP BY number"
        )
    )
    # The list holds those requests now; the rows' own stamp is for the debtor's requests.
    op.execute(
        sa.text(
            "UPDATE phone SET no_calls_at = NULL"
            " WHERE no_calls_at IS NOT NULL AND updated_by = 'dialer: keypad opt-out'"
        )
    )


def downgrade() -> None:
    # The rows holding a number on the list take the request back, as before the list.
    op.execute(
        sa.text(
            "UPDATE phone SET no_calls_at = (SELECT s.since FROM stopped_number s"
            " WHERE s.number = phone.number AND s.lifted_at IS NULL),"
            " updated_by = 'dialer: keypad opt-out'"
            " WHERE no_calls_at IS NULL AND number IN"
            " (SELECT number FROM stopped_number WHERE lifted_at IS NULL)"
        )
    )
    op.drop_index("ix_stopped_number_in_force", table_name="stopped_number")
    op.drop_index("ix_stopped_number_number", table_name="stopped_number")
    op.drop_table("stopped_number")
