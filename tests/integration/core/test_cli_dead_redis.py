"""A command that needs Redis, run while Redis is down, says so in one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from core.localservices import free_port

pytestmark = pytest.mark.integration


def test_a_dead_redis_is_named_with_its_url_and_no_traceback() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    result = subprocess.run(
        [sys.executable, "-m", "core.cli", "outreach", "failed"],
        env={**os.environ, "CONCORD_REDIS_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"cannot reach Redis at {url}" in result.stderr
    assert "Traceback" not in result.stderr
