"""Outreach knobs that are not the integrator's to hold: leases, sweeps, reminder timing.

Read from CONCORD_OUTREACH_* so a worker subprocess in a test can shorten the lease without any
code path that exists only for tests.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_WEBHOOK_TOKEN = "dev-sms-webhook-token"
DEV_EMAIL_WEBHOOK_TOKEN = "dev-email-webhook-token"


def refuse_dev_token(environment: str, settings: OutreachSettings) -> None:
    """ValueError outside development and tests while a webhook token is the public default."""
    if environment in {"development", "test"}:
        return
    for name, token, default, who in (
        ("SMS", settings.sms_webhook_token, DEV_WEBHOOK_TOKEN, "SMS provider"),
        ("EMAIL", settings.email_webhook_token, DEV_EMAIL_WEBHOOK_TOKEN, "mail provider"),
    ):
        if token == default:
            raise ValueError(
                f"CONCORD_OUTREACH_{name}_WEBHOOK_TOKEN is still the development default; set "
                f"the token your {who} sends before running with CONCORD_ENVIRONMENT="
                f"{environment}"
            )


class OutreachSettings(BaseSettings):
    """Timing of claims, sweeps, links and reminders."""

    model_config = SettingsConfigDict(env_prefix="CONCORD_OUTREACH_", extra="ignore")

    queue_name: str = "outreach"
    # A claimed message is another worker's for this long; past it, the claim is presumed dead.
    # Longer than the slowest send (SMTP and HTTP time out at 30 s) so a live send is never raced.
    lease_seconds: int = Field(90, ge=1)
    # How often a worker looks for messages whose job was lost (Redis wiped, worker killed).
    sweep_interval_seconds: int = Field(60, ge=1)
    # A due message still unsent this long after its due time is presumed to have lost its job.
    stale_after_seconds: int = Field(300, ge=1)
    retry_intervals: tuple[int, ...] = (10, 60, 300)
    reminder_days_before: int = Field(2, ge=0)
    # Local hour of the debtor's first address at which reminders and follow-ups are due.
    send_hour: int = Field(10, ge=0, le=23)
    broken_promise_grace_days: int = Field(1, ge=1)
    link_days_after_due: int = Field(14, ge=1)
    sms_timeout_seconds: float = 10.0
    smtp_timeout_seconds: float = 30.0
    # Shared secret the SMS provider puts in the X-Concord-Token header of its webhooks. The
    # default is public (it is in the README): anyone could write "debtor texts" and delivery
    # receipts into the record, so a console outside development refuses to start with it.
    sms_webhook_token: str = DEV_WEBHOOK_TOKEN
    # The same for the mail provider that forwards replies to our emails (its inbound route
    # posts the raw message to /webhooks/email/inbound).
    email_webhook_token: str = DEV_EMAIL_WEBHOOK_TOKEN
    # The agency's own message template sets (<set>/<lang>/<trigger>.<part>), searched before
    # the built-in ones; a portfolio names its set in the portfolios file.
    templates_dir: Path | None = None
