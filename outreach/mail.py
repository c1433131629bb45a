"""Email over real SMTP (smtplib), plain-text and HTML parts, STARTTLS and login from settings.

SMTP has no idempotency key, so the Message-ID is derived from the message key: if a worker dies
after the server accepted the mail but before we recorded it, the resend carries the same
Message-ID and mail stores that deduplicate on it (most do) show one message. See
`outreach.delivery` for the crash-window reasoning.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from outreach.sms import ProviderRejectedError, ProviderTemporaryError


def message_id_for(key: str, domain: str = "concord.local") -> str:
    """The stable Message-ID of a message key."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    key: str
    unsubscribe_url: str
    # Shown on the From line over the configured address: the debtor sees who is writing
    # (1692e(14): the collector's true name), not the software's.
    sender_name: str = ""


@dataclass
class SmtpMailer:
    """One SMTP session per send: simple, and a broken connection never poisons the next mail."""

    host: str
    port: int
    sender: str
    starttls: bool = False
    user: str = ""
    password: str = ""
    timeout: float = 30.0
    reply_to: str = ""  # where replies go, when not to the From address

    def build(self, mail: Email) -> EmailMessage:
        message = EmailMessage()
        name, address = parseaddr(self.sender)
        message["From"] = formataddr((mail.sender_name or name, address))
        message["To"] = mail.to
        if self.reply_to:
            message["Reply-To"] = self.reply_to
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = message_id_for(mail.key)
        message["X-Concord-Key"] = mail.key
        # RFC 2369 / RFC 8058: mail clients show their own unsubscribe button for these.
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(mail.text)
        message.add_alternative(mail.html, subtype="html")
        return message

    def send(self, mail: Email) -> str:
        """Send and return the Message-ID; only a recipient refused with 5xx is final."""
        message = self.build(mail)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(code >= 500 for code in codes):
                raise ProviderRejectedError(f"SMTP refused {mail.to}: {exc.recipients}") from exc
            raise ProviderTemporaryError(f"SMTP deferred {mail.to}: {exc.recipients}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            # Anything but a refused recipient (auth, TLS, a full disk) is ours to fix and retry,
            # so it ends in the failed list for an admin rather than silently dropped.
            raise ProviderTemporaryError(f"SMTP server unreachable: {exc!r}") from exc
        return str(message["Message-ID"])
