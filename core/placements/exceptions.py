"""The one error that refuses a whole placement file (exit code 2, nothing written)."""

from __future__ import annotations


class PlacementFileError(Exception):
    """The file cannot be imported at all: empty, binary, not UTF-8, wrong header, huge field.

    Row-level problems are never raised; they become `RowError`s so good rows still import.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)
