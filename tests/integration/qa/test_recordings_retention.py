"""`concord qa prune-recordings`: a call's recording goes only when its account has been quiet
three years (Reg F 1006.100); the call then says it has no recording."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from core.cli import app as concord
from core.models import Account, Client, ContactAttempt, Debtor, Payment, Portfolio, utcnow
from core.settings import get_settings
from dialer.models import UnmatchedCall

pytestmark = [pytest.mark.integration, pytest.mark.db]
YEAR = timedelta(days=365)
Prune = tuple[Path, Callable[..., Result]]


@pytest.fixture
def prune(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Prune]:
    folder = tmp_path / "recordings"
    folder.mkdir()
    monkeypatch.setenv("CONCORD_DATABASE_URL", db_url)
    monkeypatch.setenv("CONCORD_RECORDINGS_DIR", str(folder))
    get_settings.cache_clear()

    def run(*options: str) -> Result:
        return CliRunner().invoke(concord, ["qa", "prune-recordings", *options])

    yield folder, run
    get_settings.cache_clear()


def _account(session: Session, number: str) -> Account:
    client = session.exec(select(Client)).first() or Client(code="acme", name="Acme")
    session.add(client)
    session.flush()
    portfolio = Portfolio(client_id=client.id or 0, name=f"p-{number}")
    debtor = Debtor(client_id=client.id or 0, first_name="Pat", last_name="Doe")
    session.add_all([portfolio, debtor])
    session.flush()
    account = Account(client_id=client.id or 0, portfolio_id=portfolio.id or 0,
                      debtor_id=debtor.id or 0, client_account_number=number,
                      balance_minor=10_000)  # fmt: skip
    session.add(account)
    session.flush()
    return account


def _call(session: Session, folder: Path, account: Account, ago: timedelta, name: str) -> int:
    (folder / f"{name}.wav").write_bytes(b"RIFF" + bytes(2_000))
    attempt = ContactAttempt(account_id=account.id or 0, debtor_id=account.debtor_id,
                             channel="call", started_at=utcnow() - ago, outcome="conversation",
                             call_id=name, recording_ref=f"/var/spool/x/{name}.wav")  # fmt: skip
    session.add(attempt)
    session.flush()
    return attempt.id or 0


def test_only_recordings_of_accounts_quiet_three_years_go(session: Session, prune: Prune) -> None:
    folder, run = prune
    quiet, worked, paying = (_account(session, n) for n in ("Q-1", "W-1", "P-1"))
    gone = _call(session, folder, quiet, 4 * YEAR, "old-quiet")
    _call(session, folder, worked, 4 * YEAR, "old-worked")
    _call(session, folder, worked, 10 * timedelta(days=1), "new-worked")  # still worked
    _call(session, folder, paying, 5 * YEAR, "old-paying")
    session.add(Payment(account_id=paying.id or 0, amount_minor=500, paid_at=utcnow() - YEAR))
    session.commit()

    counted = run("--dry-run")
    assert counted.exit_code == 0, counted.output
    assert "would delete 1 recordings" in counted.output and "of 1 accounts" in counted.output
    assert (folder / "old-quiet.wav").exists()

    done = run()

    assert done.exit_code == 0, done.output
    assert "deleted 1 recordings" in done.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "new-worked.wav", "old-paying.wav", "old-worked.wav"
    ]  # fmt: skip
    session.expire_all()
    assert session.get(ContactAttempt, gone).recording_ref == ""  # type: ignore[union-attr]


def test_recordings_of_calls_in_that_matched_no_account_go_three_years_after_the_call(
    session: Session, prune: Prune
) -> None:
    """No debt to follow: the call itself is the last activity its record shows."""
    folder, run = prune
    for name, ago in (("in-old", 4 * YEAR), ("in-new", YEAR)):
        for file in (name, f"msg-{name}"):  # the call, and the message left after the tone
            (folder / f"{file}.wav").write_bytes(b"RIFF" + bytes(1_000))
        session.add(UnmatchedCall(call_id=name, number="", outcome="abandoned",
                                  started_at=utcnow() - ago, recording_ref=f"/x/{name}.wav",
                                  message_ref=f"/x/msg-{name}.wav"))  # fmt: skip
    session.commit()

    done = run()
    assert done.exit_code == 0, done.output
    assert "deleted 2 recordings" in done.output
    assert "and of 1 calls in that matched no account, made before" in done.output
    assert sorted(p.name for p in folder.iterdir()) == ["in-new.wav", "msg-in-new.wav"]
    session.expire_all()
    kept = {
        c.call_id: (c.recording_ref, c.message_ref) for c in session.exec(select(UnmatchedCall))
    }
    assert kept == {"in-old": ("", ""), "in-new": ("/x/in-new.wav", "/x/msg-in-new.wav")}


def test_a_retention_under_three_years_is_refused(prune: Prune) -> None:
    _, run = prune
    refused = run("--years", "2")
    assert refused.exit_code == 2
    assert "Regulation F (1006.100) keeps records until 3 years" in refused.output


def test_a_recordings_directory_that_is_not_there_is_refused(prune: Prune) -> None:
    folder, run = prune
    folder.rmdir()
    refused = run("--dry-run")
    assert refused.exit_code == 2
    assert f"recordings directory {folder} does not exist" in refused.output
