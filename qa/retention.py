"""How long call recordings are kept: until three years after the last activity on the debt.

Regulation F (12 CFR 1006.100) has a debt collector keep the records that show it complied,
recordings included, from its first collection activity on a debt until three years after its
last. So a recording is deleted only with the whole account gone quiet that long: a call from
four years ago stays while the debt is still being worked, since it may answer a complaint
about the account's history. Recordings are about a megabyte a minute; a floor of ten agents
fills some gigabytes a day, and without this the disk decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.models import ContactAttempt, Payment
from dialer.models import UnmatchedCall

#: The shortest retention the regulation allows, in years after the last activity.
MINIMUM_YEARS = 3


class RetentionRefused(ValueError):
    """A retention shorter than the regulation allows, or no recordings directory; the
    message says which."""


@dataclass
class PruneReport:
    """What a prune found (and, unless a dry run, did)."""

    quiet_since: datetime  # accounts with no activity since then
    accounts: int = 0
    files: list[Path] = field(default_factory=list)  # to delete, once the database says so
    bytes: int = 0
    # Recordings a stored call names but the directory lacks (moved, or deleted by hand).
    missing: list[str] = field(default_factory=list)
    calls_in: int = 0  # recorded calls in that matched no account, older than the cutoff


def quiet_since(now: datetime, years: int) -> datetime:
    """The cutoff: an account with no call, text, email or payment after it has been quiet
    `years` years. Refused under MINIMUM_YEARS."""
    if years < MINIMUM_YEARS:
        raise RetentionRefused(
            f"--years {years}: Regulation F (1006.100) keeps records until {MINIMUM_YEARS} "
            "years after the last activity on the debt"
        )
    # Calendar years, not days: 365 * 3 + 3 // 4 days fell a day short whenever the three
    # years held a 29 February. 29 February itself goes back to 28 February, earlier still.
    year = now.year - years
    day = min(now.day, 28) if now.month == 2 and now.day == 29 else now.day
    return now.replace(year=year, day=day)


def recordings_due(db: Session, cutoff: datetime) -> Sequence[ContactAttempt]:
    """Recorded calls of accounts with no contact attempt or payment after `cutoff`."""
    last_contact = (
        select(ContactAttempt.account_id)
        .group_by(col(ContactAttempt.account_id))
        .having(func.max(ContactAttempt.started_at) < cutoff)
    )
    paid_since = select(Payment.account_id).where(col(Payment.paid_at) >= cutoff)
    return db.exec(
        select(ContactAttempt)
        .where(
            ContactAttempt.recording_ref != "",
            col(ContactAttempt.account_id).in_(last_contact),
            col(ContactAttempt.account_id).not_in(paid_since),
        )
        .order_by(col(ContactAttempt.account_id), col(ContactAttempt.id))
    ).all()


def unmatched_due(db: Session, cutoff: datetime) -> Sequence[UnmatchedCall]:
    """Recorded calls in that matched no account, made before `cutoff`: with no debt to follow,
    the call itself is the last activity its record can show."""
    return db.exec(
        select(UnmatchedCall)
        .where(UnmatchedCall.recording_ref != "", col(UnmatchedCall.started_at) < cutoff)
        .order_by(col(UnmatchedCall.id))
    ).all()


def prune(
    db: Session, recordings_dir: Path, now: datetime, years: int, dry_run: bool, actor: str
) -> PruneReport:
    """Clears the `recording_ref` of the calls `recordings_due` and `unmatched_due` find (QA
    then says the call has no recording, instead of pointing at a file that is gone) and lists
    their files; the caller commits, then `delete_files`: a failed commit leaves every
    recording in place. A dry run changes nothing."""
    cutoff = quiet_since(now, years)
    if not recordings_dir.is_dir():  # a nightly job pointed at the wrong place must fail
        raise RetentionRefused(
            f"recordings directory {recordings_dir} does not exist; set CONCORD_RECORDINGS_DIR "
            "to where this machine sees the PBX's recordings"
        )
    report = PruneReport(cutoff)
    due = recordings_due(db, cutoff)
    report.accounts = len({attempt.account_id for attempt in due})
    calls_in = unmatched_due(db, cutoff)
    report.calls_in = len(calls_in)
    rows: list[ContactAttempt | UnmatchedCall] = [*due, *calls_in]
    for row in rows:
        # The call's recording, and the message a caller left after the tone, if any. Only the
        # stored name is used, so no stored path reaches outside the directory.
        for ref in filter(None, (row.recording_ref, row.message_ref)):
            name = PurePosixPath(ref).name
            path = recordings_dir / name
            if path.is_file():
                report.bytes += path.stat().st_size
                report.files.append(path)
            else:
                report.missing.append(name)
        if not dry_run:
            row.recording_ref = row.message_ref = ""
            row.updated_at, row.updated_by = now, actor
            db.add(row)
    return report


def delete_files(report: PruneReport) -> None:
    """Deletes the listed recordings (after the commit that forgot them)."""
    for path in report.files:
        path.unlink(missing_ok=True)
