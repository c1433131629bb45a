"""The development mail catcher keeps what the worker sends, as a debtor's mailbox would."""

from __future__ import annotations

import mailbox
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from core.localservices import free_port, wait_for_port

pytestmark = pytest.mark.integration


def test_an_email_sent_over_smtp_lands_in_the_maildir(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "core.cli", "outreach", "mailcatcher", "--port", str(port),
         "--mail-dir", str(tmp_path / "mail")],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=30)
        message = EmailMessage()
        message["From"] = "no-reply@concord.local"
        message["To"] = "ana@example.com"
        message["Subject"] = "Your payment arrangement"
        message.set_content("Thank you, Ana.")
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(message)
        box = mailbox.Maildir(tmp_path / "mail", create=False)
        deadline = time.monotonic() + 10
        while not len(box) and time.monotonic() < deadline:
            time.sleep(0.05)
        (stored,) = list(box)
        assert stored["Subject"] == "Your payment arrangement"
        assert stored["To"] == "ana@example.com"
    finally:
        process.terminate()
        process.wait(10)
