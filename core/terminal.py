"""The admin commands' terminal: where they print their tables, and who is running them."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Annotated

import typer
from rich.console import Console


def console() -> Console:
    """The terminal's own width; piped or captured output (a log, a test) is not cut to the
    80 columns Rich assumes when it cannot ask."""
    return Console() if sys.stdout.isatty() else Console(width=200)


def operator() -> str:
    """Who runs an admin command, for the audit when `--by` is not given: sudo's caller, else
    the login name. A fixed "concord" said nothing when a complaint asked who lifted a hold."""
    try:
        return os.environ.get("SUDO_USER") or getpass.getuser()
    except (OSError, KeyError):  # no login name anywhere (a bare container)
        return "concord"


def audit_name(given: str) -> str:
    """`--by`'s value, or the person running the command when it is not given."""
    return given.strip() or operator()


#: `--by NAME` on a command that changes records: who did it, named in the audit.
By = Annotated[
    str,
    typer.Option(
        "--by",
        callback=audit_name,
        help="who makes the change, for the audit (default: whoever runs the command, "
        "sudo's caller first)",
    ),
]
