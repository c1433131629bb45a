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

KEYPAD_BY = "dialer: keypad opt-out"  # who the keypad's stamps and history rows named
PRESSED = ": pressed 9 at the message"


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
    _keypad_stops_to_the_list()


def _keypad_stops_to_the_list() -> None:
    """Numbers a 9 stopped before the list become its entries, dated by their first request.
    Two sources: the phone rows still stamped by the keypad, and the hold history's "set" rows
    the keypad wrote ("NUMBER: pressed 9 at the message"), which a re-import restamping the
    row (its type, its extension) does not touch. The keypad's stamp on the rows then goes: it
    meant the line's request, which the list now holds (a restamped row keeps its own, which
    may be the debtor's request too)."""
    bind = op.get_bind()
    first: dict[str, object] = {}
    rows = bind.execute(
        sa.text(
            "SELECT number, no_calls_at FROM phone"
            " WHERE no_calls_at IS NOT NULL AND updated_by = :by"
        ),
        {"by": KEYPAD_BY},
    ).all()
    history = bind.execute(
        sa.text("SELECT reason, at FROM hold_change WHERE actor = :by AND action = 'set'"),
        {"by": KEYPAD_BY},
    ).all()
    found = [(number, at) for number, at in rows]
    found += [(reason.split(":")[0], at) for reason, at in history if reason.endswith(PRESSED)]
    for number, at in found:
        if number and (number not in first or str(at) < str(first[number])):
            first[number] = at
    table = sa.table(
        "stopped_number",
        *(sa.column(name) for name in ("created_at", "updated_at", "updated_by", "number")),
        *(sa.column(name) for name in ("since", "how", "detail", "lifted_by", "lift_reason")),
    )
    for number, at in sorted(first.items()):
        bind.execute(
            table.insert().values(
                created_at=at, updated_at=at, updated_by="migration", number=number, since=at,
                how="keypad", detail="pressed 9 at the message", lifted_by="", lift_reason="",
            )
        )  # fmt: skip
    bind.execute(
        sa.text(
            "UPDATE phone SET no_calls_at = NULL WHERE no_calls_at IS NOT NULL AND updated_by = :by"
        ),
        {"by": KEYPAD_BY},
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
