"""`concord outreach ...` commands and the `worker` command the integrator mounts as
`concord worker`: the RQ worker that sends follow-ups, with RQ's scheduler for timed sends."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Follow-up SMS and email: worker, stand-ins, failed sends, template sets.",
    no_args_is_help=True,
)


@app.command("worker")
def worker(
    burst: Annotated[bool, typer.Option(help="Stop when the queue is empty.")] = False,
    simple: Annotated[
        bool, typer.Option(help="Run jobs in the worker process instead of a fork per job.")
    ] = False,
) -> None:
    """Run one RQ worker on the outreach queue with the scheduler (reminders, deferrals)."""
    from rq import SimpleWorker, Worker

    from outreach.jobs import build_runtime, schedule_sweep, sweep_once, use_runtime

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    runtime = build_runtime()
    now = datetime.now(UTC)
    revived = sweep_once(runtime, now)
    if revived:
        typer.echo(f"revived {len(revived)} message(s) whose job was lost")
    schedule_sweep(runtime, now)
    # Forked work-horses must not share the parent's database connections.
    runtime.engine.dispose()
    use_runtime(runtime)
    worker_class = SimpleWorker if simple else Worker
    worker_class([runtime.queue], connection=runtime.queue.connection).work(
        burst=burst, with_scheduler=True
    )


@app.command("sms-standin")
def sms_standin(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Default: the port of CONCORD_SMS_PROVIDER_URL.")] = 0,
) -> None:
    """Run the local stand-in SMS provider (same HTTP API as the real adapter)."""
    from urllib.parse import urlsplit

    from core.settings import get_settings
    from outreach.sms_standin import run_standin

    settings = get_settings()
    port = port or urlsplit(settings.sms_provider_url).port or 8790
    run_standin(host, port, settings.sms_provider_token)


@app.command("mailcatcher")
def mailcatcher(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Default: CONCORD_SMTP_PORT.")] = 0,
    mail_dir: Annotated[Path, typer.Option(help="Maildir that keeps the messages.")] = Path(
        "var/mail"
    ),
) -> None:
    """Run a local SMTP server that keeps every email in a Maildir (development and demos)."""
    from core.settings import get_settings
    from outreach.mailcatcher import run_mailcatcher

    run_mailcatcher(host, port or get_settings().smtp_port, mail_dir)


@app.command("failed")
def failed() -> None:
    """List send jobs that used up their retries, with their error."""
    from outreach.jobs import build_runtime
    from outreach.queueing import failed_sends

    runtime = build_runtime()
    rows = failed_sends(runtime.queue)
    for row in rows:
        when = row.failed_at.isoformat() if row.failed_at else "?"
        typer.echo(f"{row.job_id}\t{when}\t{row.error}")
    typer.echo(f"{len(rows)} failed send(s)")


@app.command("retry")
def retry(job_id: str) -> None:
    """Put a failed send job back on the queue."""
    from outreach.jobs import build_runtime
    from outreach.queueing import retry_failed

    retry_failed(build_runtime().queue, job_id)
    typer.echo(f"requeued {job_id}")


@app.command("templates")
def templates(
    template_set: Annotated[
        str | None, typer.Argument(help="one set to check (default: every set)")
    ] = None,
) -> None:
    """Check message template sets: every trigger on SMS and email in every language, rendered
    with the fields the worker gives it. Exit 2 when a set has a problem (each is listed)."""
    from outreach.config import OutreachSettings
    from outreach.render import Renderer, template_sets
    from outreach.template_check import check

    custom = OutreachSettings().templates_dir
    if custom is not None and not custom.is_dir():
        typer.echo(f"CONCORD_OUTREACH_TEMPLATES_DIR: {custom} is not a folder")
        raise typer.Exit(2)
    known = template_sets(custom)
    if template_set is not None and template_set not in known:
        typer.echo(f"no template set {template_set!r} (sets: {', '.join(known)})")
        raise typer.Exit(2)
    renderer = Renderer(custom=custom)
    found = 0
    for name in [template_set] if template_set else known:
        problems = check(renderer, name)
        found += len(problems)
        typer.echo(f"{name}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
        for problem in problems:
            typer.echo(f"  {problem}")
    if found:
        raise typer.Exit(2)


if __name__ == "__main__":
    app()
