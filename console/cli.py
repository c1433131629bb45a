"""`concord web`: run the console under uvicorn (the integrator mounts this Typer app)."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="The agent console (web).", no_args_is_help=False)


@app.command("web")
def web(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
) -> None:
    """Serve the console; settings come from CONCORD_* variables, read when the app starts."""
    import uvicorn

    from console.vendor import ensure_vendor
    from core.settings import get_settings

    ensure_vendor()
    settings = get_settings()
    uvicorn.run(
        "console.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        ws="websockets-sansio",
        ws_ping_interval=settings.agent_link_ping_seconds,
        ws_ping_timeout=settings.agent_link_timeout_seconds,
        log_level="info",
    )
