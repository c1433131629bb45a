"""client message contact: the person each client's limited-content message names

Reg F 1006.2(j)(1)(iii) asks a limited-content message for the name of a person the consumer
can reply to. One agency-wide name (CONCORD_MESSAGE_CONTACT_NAME) served every client's desk;
a BPO runs a desk per client, each with its own people answering its callback number.

Revision ID: core_0016_client_message_contact
Revises: core_0015_missed_calls_index
Create Date: 2026-12-01 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "core_0016_client_message_contact"
down_revision: str | Sequence[str] | None = "core_0015_missed_calls_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "client",
        sa.Column(
            "message_contact",
            sqlmodel.sql.sqltypes.AutoString(length=80),
            nullable=False,
            server_default="",
        ),
    )


def downgrade() -> None:
    op.drop_column("client", "message_contact")
