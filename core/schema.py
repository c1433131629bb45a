"""The refusal of a command that only reads, when the database's schema is not this Concord's.

Apart from core.db so the `concord` entry point can name it without importing SQLAlchemy and
Alembic at every start.
"""

from __future__ import annotations


class SchemaNotCurrent(RuntimeError):
    """The database's schema is not the one this Concord expects, and the command only reads."""
