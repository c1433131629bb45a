"""Where the admin commands print their tables."""

from __future__ import annotations

import sys

from rich.console import Console


def console() -> Console:
    """The terminal's own width; piped or captured output (a log, a test) is not cut to the
    80 columns Rich assumes when it cannot ask."""
    return Console() if sys.stdout.isatty() else Console(width=200)
