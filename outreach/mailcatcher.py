"""A local SMTP server for development that keeps every email in a Maildir under var/mail.

`concord up` points the worker's SMTP settings at it, so a demo sends real SMTP and the admin can
read each confirmation as the debtor would get it, without a mail relay on the machine.
"""

from __future__ import annotations

import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox


def run_mailcatcher(host: str, port: int, mail_dir: Path) -> None:
    """Serve SMTP on host:port until interrupted, storing each message in `mail_dir` (Maildir)."""
    mail_dir.parent.mkdir(parents=True, exist_ok=True)
    for part in ("tmp", "new", "cur"):  # Maildir makes these only for a folder it creates
        (mail_dir / part).mkdir(parents=True, exist_ok=True)
    controller = Controller(Mailbox(mail_dir), hostname=host, port=port)
    controller.start()
    print(f"mail catcher on {host}:{port}, messages in {mail_dir}/new", flush=True)
    try:
        threading.Event().wait()
    finally:
        controller.stop()
