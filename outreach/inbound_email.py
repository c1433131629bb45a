"""An email a debtor sends us, read from the raw message the mail provider forwards.

Only what the person wrote counts: the quoted follow-up under a reply ("> You owe...", "On 1 Dec,
Concord wrote:") is ours, and its words ("dispute", "stop") would flag every reply. The body is
the plain-text part, or the HTML part with its tags dropped when a client sent no plain text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

# Where a reply's quotation of our message starts, as the common mail clients write it.
_QUOTE_HEADER = re.compile(
    r"^(on .{4,200}wrote:|el .{4,200}escribi[oó]:|-{2,}\s*original message\s*-{2,}"
    r"|from:\s.+|de:\s.+|sent from my \w+)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|br|li|tr|h\d)\s*>|<br\s*/?>", re.IGNORECASE)


class NotAnEmail(ValueError):
    """The forwarded message cannot be read as an email; the message says what is missing."""


@dataclass(frozen=True, slots=True)
class Reply:
    sender: str  # the From address, lowercase
    to: str
    subject: str
    body: str  # what the person wrote, without the quoted message

    @property
    def text(self) -> str:
        """Subject and body, as the reader and the concern rules see them."""
        return f"{self.subject}\n\n{self.body}".strip() if self.subject else self.body


def _plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", content)))
    return content


def own_words(body: str) -> str:
    """The reply above the quoted message, without quoted ("> ") lines."""
    found = _QUOTE_HEADER.search(body)
    if found:
        body = body[: found.start()]
    kept = [line for line in body.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(kept).strip()


def read_reply(raw: bytes) -> Reply:
    """The sender, subject and own words of a raw RFC 5322 message; NotAnEmail names what is
    missing."""
    if not raw.strip():
        raise NotAnEmail("the body is empty: send the raw message (message/rfc822)")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    _, sender = parseaddr(str(message.get("From", "")))
    if "@" not in sender:
        raise NotAnEmail("no sender address in the From header")
    _, to = parseaddr(str(message.get("To", "")))
    subject = str(message.get("Subject", "")).strip()
    return Reply(sender.lower(), to.lower(), subject, own_words(_plain(message)))
