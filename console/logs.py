"""Structured logs: one JSON (or console) line per event with the request and agent ids bound."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

import structlog
from starlette.requests import Request
from starlette.responses import Response


def configure_logging(*, json_lines: bool, level: int = logging.INFO) -> None:
    """Called where a process starts (create_app, the CLI), never at import time."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json_lines else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=False,
    )


log = structlog.get_logger("concord.console")


async def access_log(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """One line per request with its outcome and duration, for tracing a slow screen pop."""
    started = time.perf_counter()
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(path=request.url.path, method=request.method)
    response = await call_next(request)
    if request.url.path.startswith("/static/"):
        return response
    log.info(
        "http_request",
        status=response.status_code,
        ms=round((time.perf_counter() - started) * 1000, 1),
    )
    return response
