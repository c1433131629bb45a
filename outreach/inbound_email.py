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

# The line a reply's ">" quotation of our message follows, as the common mail clients write it.
_WROTE = re.compile(r"^(on .{4,200}wrote:|el .{4,200}escribi[oó]:)$", re.IGNORECASE)
# Where a quotation with no ">" marks starts (Outlook's forward header, a phone's signature):
# everything under it is ours, or nothing the person wrote.
_UNMARKED = re.compile(
    r"^(-{2,}\s*original message\s*-{2,}|from:\s.+|de:\s.+|sent from my \w+)$", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]+>")
# HTML mail quotes in a <blockquote> with no ">" marks: from the first one to the last closing
# tag (quotes nest) is ours; what the person wrote above or below it stays.
_BLOCKQUOTE = re.compile(r"<blockquote\b.*</blockquote\s*>", re.IGNORECASE | re.DOTALL)
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
        content = _BLOCKQUOTE.sub("\n", content)
        content = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", content)))
    return content


def own_words(body: str) -> str:
    """What the person wrote, above or below our quoted message: without the ">" lines and
    the "On ... wrote:" line that introduces them, and without anything under an unmarked
    quotation's header. A dispute written under the quote (bottom-posting) once went."""
    kept: list[str] = []
    for line in body.splitlines():
        said = line.strip()
        if _UNMARKED.match(said):
            break
        if not said.startswith(">") and not _WROTE.match(said):
            kept.append(line)
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
