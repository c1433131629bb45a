"""Placement import: the CSV a client sends, checked row by row, upserted in one transaction.

Reading (`source`), header mapping (`columns`), row checks (`rows`, `fields`) and the database
upsert (`store`) are separate so each can be tested alone; `service` strings them together.
"""

from core.placements.exceptions import PlacementFileError
from core.placements.rows import Placement, RowError

__all__ = ["Placement", "PlacementFileError", "RowError"]
