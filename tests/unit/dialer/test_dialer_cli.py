"""`concord dialer` and `concord dialer softphones` with no Asterisk: one line naming where."""

from __future__ import annotations

import pytest
import typer

from core.localservices import free_port
from core.settings import get_settings
from dialer.cli import connect_ami


async def test_an_asterisk_that_does_not_answer_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("CONCORD_AMI_PORT", str(port))
    get_settings.cache_clear()
    try:
        with pytest.raises(typer.Exit) as stopped:
            await connect_ami(timeout=0.5)
    finally:
        get_settings.cache_clear()
    assert stopped.value.exit_code == 1
    err = capsys.readouterr().err
    assert f"cannot reach Asterisk's AMI at 127.0.0.1:{port} within 0.5 s" in err
    assert "Traceback" not in err
