"""With Redis gone (sessions and the live floor live there), a page says so in words."""

from __future__ import annotations

import httpx
import pytest
from console_floor import PASSWORD, Floor, csrf_of

from core.localservices import free_port
from core.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def app_settings(app_settings: Settings) -> Settings:
    """The console pointed at a Redis port nothing listens on."""
    return app_settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})


def test_a_login_with_redis_down_is_answered_in_words_not_a_server_error(
    client: httpx.Client, floor_data: Floor
) -> None:
    token = csrf_of(client.get("/login").text)

    response = client.post(
        "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 503
    assert "Concord cannot reach Redis" in response.text and "Nothing was lost" in response.text
