"""redact bank accounts: account numbers out of texts and emails kept before they were refused

outreach_0005 took card numbers and SSNs out of the kept texts; bank account numbers ("pay from
my checking account 123456789") came into core.sensitive after it had run on live databases, so
texts kept before then still hold them, shown to leads, agents and client viewers. This runs the
redaction again over what is kept; nothing else in a text changes. No way back: the numbers are
what must not be kept.

Revision ID: outreach_0006_redact_bank
Revises: outreach_0005_redact_inbound
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.sensitive import redact

revision: str = "outreach_0006_redact_bank"
down_revision: str | Sequence[str] | None = "outreach_0005_redact_inbound"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    texts = sa.table("outreach_inbound_text", sa.column("id"), sa.column("body"))
    for row_id, body in bind.execute(sa.select(texts.c.id, texts.c.body)).all():
        clean = redact(body or "")
        if clean != (body or ""):
            bind.execute(texts.update().where(texts.c.id == row_id).values(body=clean))


def downgrade() -> None:
    """Nothing to restore: the numbers taken out are not kept anywhere."""
