"""The webhooks' shared tokens: their defaults are public (the README shows them), so a console
outside development refuses to start with either; anyone could write texts or emails into the
record."""

from __future__ import annotations

import pytest

from console.app import create_app
from core.settings import Settings
from outreach.config import OutreachSettings, refuse_dev_token


def test_the_public_defaults_are_refused_outside_development_and_tests() -> None:
    defaults = OutreachSettings()
    refuse_dev_token("development", defaults)
    real = defaults.model_copy(
        update={"sms_webhook_token": "from-the-sms-provider", "email_webhook_token": "from-mail"}
    )
    refuse_dev_token("production", real)
    with pytest.raises(ValueError, match="CONCORD_OUTREACH_SMS_WEBHOOK_TOKEN"):
        refuse_dev_token("production", defaults)
    sms_only = defaults.model_copy(update={"sms_webhook_token": "from-the-sms-provider"})
    with pytest.raises(ValueError, match="CONCORD_OUTREACH_EMAIL_WEBHOOK_TOKEN"):
        refuse_dev_token("production", sms_only)


def test_a_production_console_with_the_default_token_does_not_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONCORD_OUTREACH_SMS_WEBHOOK_TOKEN", raising=False)
    settings = Settings(environment="production", secret_key="a-real-secret-of-some-length")
    with pytest.raises(ValueError, match="still the development default"):
        create_app(settings)
