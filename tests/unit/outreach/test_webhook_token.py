"""The SMS webhook's shared token: its default is public (the README shows it), so a console
outside development refuses to start with it; anyone could write texts into the record."""

from __future__ import annotations

import pytest

from console.app import create_app
from core.settings import Settings
from outreach.config import DEV_WEBHOOK_TOKEN, refuse_dev_token


def test_the_public_default_is_refused_outside_development_and_tests() -> None:
    refuse_dev_token("development", DEV_WEBHOOK_TOKEN)
    refuse_dev_token("production", "a-token-the-provider-sends")
    with pytest.raises(ValueError, match="CONCORD_OUTREACH_SMS_WEBHOOK_TOKEN"):
        refuse_dev_token("production", DEV_WEBHOOK_TOKEN)


def test_a_production_console_with_the_default_token_does_not_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONCORD_OUTREACH_SMS_WEBHOOK_TOKEN", raising=False)
    settings = Settings(environment="production", secret_key="a-real-secret-of-some-length")
    with pytest.raises(ValueError, match="still the development default"):
        create_app(settings)
