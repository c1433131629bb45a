"""What the AMI client raises. Each says whether the action may have run, which is what a
caller needs to decide between retrying and reconciling."""

from __future__ import annotations

from .message import Message


class AmiError(Exception):
    """Base class for AMI client errors."""


class AmiActionError(AmiError):
    """Asterisk answered `Response: Error`; `.response` holds its message."""

    def __init__(self, action: str, response: Message) -> None:
        super().__init__(f"AMI {action} failed: {response.get('Message', '(no message)')}")
        self.response = response


class AmiConnectionLost(AmiError):
    """The connection dropped before the response came; the action may or may not have run."""


class AmiLoginError(AmiError):
    """Asterisk refused the credentials (not retried: a wrong secret does not heal itself)."""
