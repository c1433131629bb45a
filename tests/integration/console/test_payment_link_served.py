"""A payment link in a follow-up message opens the payment page on the console's own server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from console_floor import Floor, pk

from core.settings import Settings
from outreach.links import PaymentLink, sign_payment

pytestmark = pytest.mark.integration


def test_a_payment_link_opens_on_the_console_and_prefills_the_amount_after_identity_check(
    client: httpx.Client, floor_data: Floor, app_settings: Settings
) -> None:
    link = PaymentLink(
        account_id=pk(floor_data.account),
        amount_minor=12_345,
        expires_at=datetime.now(UTC) + timedelta(days=3),
    )
    token = sign_payment(app_settings.secret_key, link)
    page = client.get(f"/pay/{token}")
    assert page.status_code == 200
    assert "Confirm it" in page.text
    form = client.post(f"/pay/{token}/verify", data={"dob": "1984-03-09", "postal_code": "20001"})
    assert form.status_code == 200
    assert 'value="123.45"' in form.text


def test_a_tampered_payment_link_is_refused(client: httpx.Client) -> None:
    assert client.get("/pay/not-a-real-token").status_code in {400, 404, 410}
