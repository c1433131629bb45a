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

    ensure_vendor()
    uvicorn.run(
        "console.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        ws="websockets-sansio",
        log_level="info",
    )
