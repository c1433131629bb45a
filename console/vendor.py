"""The browser libraries we serve ourselves: htmx, pinned, fetched from the npm registry.

The app refuses to start without them rather than render pages whose buttons silently do
nothing; `ensure_vendor()` runs the pinned fetch script when the file is missing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"
FETCH_SCRIPT = VENDOR_DIR / "fetch.sh"


def vendor_ready() -> bool:
    return (VENDOR_DIR / "htmx.min.js").is_file()


def ensure_vendor() -> None:
    """Fetch htmx with npm when it is not there yet (install step; idempotent)."""
    if not vendor_ready():
        subprocess.run(["sh", str(FETCH_SCRIPT)], check=True)
