"""`concord qa audit`: the contact log of a period checked after the fact (qa.audit).

Exit 0 when every contact passes and no campaign's 30-day abandon rate passed its target, 1 when
something was found (so a nightly job can alert on it), 2 on a bad option.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

app = typer.Typer(help="Quality assurance: automated compliance checks.", no_args_is_help=True)
EXIT_FOUND, EXIT_REFUSED = 1, 2


def _instant(text: str) -> datetime:
    """--until as an aware UTC instant; a bad value exits 2 naming the option."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        typer.echo(f"refused: --until {text!r} is not an ISO 8601 date or date and time")
        raise typer.Exit(EXIT_REFUSED) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@app.command("audit")
def audit_command(
    days: Annotated[
        int, typer.Option("--days", min=1, max=90, help="the period: the last N days, to now")
    ] = 7,
    client: Annotated[
        str | None, typer.Option("--client", help="only this client's accounts (its code)")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="when the period ends, ISO 8601 (a date means its 00:00 UTC); default now",
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, help="findings listed in full, most serious first"),
    ] = 50,
) -> None:
    """Replay every outbound contact of the period against the whole contact log."""
    from core.admin_store import client_codes, listing
    from core.db import command_session
    from core.models import utcnow
    from core.settings import get_settings
    from qa.audit import Kind
    from qa.audit_store import audit

    end = utcnow() if until is None else _instant(until)
    with command_session(get_settings().database_url, reading=True) as db:
        clients = client_codes(db)
        if client is not None and client not in clients:
            known = listing(clients)
            typer.echo(f"refused: --client {client!r} is not a client code (known: {known})")
            raise typer.Exit(EXIT_REFUSED)
        client_id = None if client is None else clients[client]
        report = audit(db, end - timedelta(days=days), end, client_id, shown=limit)
    typer.echo(
        f"{report.contacts} contacts from {report.start:%Y-%m-%d %H:%M} to "
        f"{report.end:%Y-%m-%d %H:%M} UTC, {report.total_findings} findings"
    )
    for tally in report.portfolios:
        counts = [f"{tally.findings[kind]} {kind}" for kind in Kind if tally.findings[kind]]
        kinds = ", ".join(counts) or "clean"
        unchecked = ""
        if tally.unchecked:
            unchecked = f" ({tally.unchecked} not replayed: no phone or email)"
        typer.echo(
            f"  {tally.client} / {tally.portfolio}: {tally.contacts} contacts{unchecked}, {kinds}"
        )
    for row in report.findings:
        rules = ", ".join(code for code, _ in row.reasons)
        typer.echo(
            f"{row.at:%Y-%m-%d %H:%M} UTC ({row.local:%H:%M %Z} there) "
            f"attempt {row.attempt_id} account {row.account_id} "
            f"{row.channel} {row.to} ({row.agent}): {row.what}" + (f": {rules}" if rules else "")
        )
    for over in report.campaigns_over:
        for day in over.days:
            typer.echo(
                f"campaign {over.campaign} ({over.client}): 30-day abandon rate "
                f"{day.rate:.2%} on {day.day} ({day.abandoned} of {day.live} live answers; "
                f"target {day.target:.0%})"
            )
    if report.total_findings or report.campaigns_over:
        raise typer.Exit(EXIT_FOUND)


@app.command("prune-recordings")
def prune_recordings_command(
    years: Annotated[
        int,
        typer.Option(
            "--years", help="keep recordings this many years after the account's last activity"
        ),
    ] = 3,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="count what would go; delete nothing")
    ] = False,
) -> None:
    """Delete the call recordings of accounts quiet for --years (3 at least, Reg F 1006.100):
    no call, text, email or payment since. Run it nightly; the disk stops filling."""
    from core.db import command_session
    from core.models import utcnow
    from core.settings import get_settings
    from qa.retention import RetentionRefused, delete_files, prune

    settings = get_settings()
    try:
        with command_session(settings.database_url) as db:
            report = prune(
                db, settings.recordings_dir, utcnow(), years, dry_run, "prune-recordings"
            )
            if not dry_run:
                db.commit()
                delete_files(report)
    except RetentionRefused as exc:
        typer.echo(f"refused: {exc}")
        raise typer.Exit(EXIT_REFUSED) from None
    verb = "would delete" if dry_run else "deleted"
    strangers = f" and of {report.calls_in} calls in that matched no account, made before then,"
    typer.echo(
        f"{verb} {len(report.files)} recordings ({report.bytes / 1e6:.1f} MB) of {report.accounts} "
        f"accounts quiet since {report.quiet_since:%Y-%m-%d} (no call, text, email or payment "
        f"since){strangers if report.calls_in else ''} in {settings.recordings_dir}"
    )
    if report.missing:
        shown = ", ".join(report.missing[:5]) + (" …" if len(report.missing) > 5 else "")
        typer.echo(f"{len(report.missing)} recordings named by calls were already gone: {shown}")
