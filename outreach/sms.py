"""The SMS provider adapter: a generic HTTP API with idempotency keys and status webhooks.

The API (spoken by `sms_standin` too):
  POST {base}/v1/messages  Authorization: Bearer TOKEN, Idempotency-Key: KEY
       {"from", "to", "body", "reference", "status_callback"} -> 201/200 {"id", "status"}
  A repeated Idempotency-Key returns the first message instead of sending again; this is what
  lets a worker that died between the provider's answer and our commit retry without a second
  text. Status webhooks POST {"id", "reference", "status", "error"} to status_callback.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx


class ProviderTemporaryError(RuntimeError):
    """Worth retrying: the provider is down, slow, or asked us to back off."""


class ProviderRejectedError(RuntimeError):
    """The provider refused this message for good (bad number, blocked); retrying cannot help."""


@dataclass
class HttpSmsGateway:
    """Sends one SMS per call over a shared httpx client (connection reuse matters at volume)."""

    base_url: str
    token: str
    sender: str
    client: httpx.Client

    def send(self, to: str, body: str, idempotency_key: str, status_callback: str) -> str:
        """Send and return the provider's message id; raises the two errors above."""
        try:
            response = self.client.post(
                f"{self.base_url.rstrip('/')}/v1/messages",
                json={
                    "from": self.sender,
                    "to": to,
                    "body": body,
                    "reference": idempotency_key,
                    "status_callback": status_callback,
                },
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Idempotency-Key": idempotency_key,
                },
            )
        except httpx.HTTPError as exc:
            raise ProviderTemporaryError(f"SMS provider unreachable: {exc!r}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise ProviderTemporaryError(
                f"SMS provider answered {response.status_code}: {response.text[:200]}"
            )
        if response.status_code >= 400:
            raise ProviderRejectedError(
                f"SMS provider refused the message ({response.status_code}): {response.text[:200]}"
            )
        message_id = str(response.json()["id"])
        return message_id
