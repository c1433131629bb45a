"""redact inbound: card numbers, SSNs and security codes out of texts and emails kept so far

Debtors texted and emailed card numbers to pay, and they were stored as sent, shown to leads,
agents and client viewers. New texts are stored without them (core.sensitive.redact); this
takes them out of the ones already kept. Nothing else in a text changes. No way back: the
numbers are what must not be kept.

Revision ID: outreach_0005_redact_inbound
Revises: outreach_0004_inbound_email
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.sensitive import redact

revision: str = "outreach_0005_redact_inbound"
down_revision: str | Sequence[str] | None = "outreach_0004_inbound_email"
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
