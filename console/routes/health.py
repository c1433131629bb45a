"""Liveness (the process answers) and readiness (its database and Redis answer), and whether
the dialer is placing calls: a console with no dialer serves screens but no calls come, which
monitoring must see, though it is no reason to take the console out of service."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from console.services.wallboard import dialing_state
from core.events import CAMPAIGN_STATS_KEY, CampaignStats, parse_envelope
from core.models import utcnow

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _database_ok(request: Request) -> bool:
    with request.app.state.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return True


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    checks: dict[str, str] = {}
    try:
        await asyncio.to_thread(_database_ok, request)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        await request.app.state.async_redis.ping()
        checks["redis"] = "ok"
    except Exception as exc:
        checks["redis"] = f"error: {exc.__class__.__name__}"
    checks["hub"] = "ok" if request.app.state.hub.subscribed.is_set() else "subscribing"
    ready = all(v == "ok" for v in checks.values())
    dialer = await _dialer(request) if checks["redis"] == "ok" else "unknown"
    return JSONResponse({"ready": ready, **checks, "dialer": dialer},
                        status_code=200 if ready else 503)  # fmt: skip


async def _dialer(request: Request) -> str:
    """ "running", "silent since HH:MM:SS" or "not running", by its freshest campaign figures."""
    latest = None
    for raw in await request.app.state.async_redis.hvals(CAMPAIGN_STATS_KEY):
        with contextlib.suppress(ValueError):
            event = parse_envelope(raw)
            if isinstance(event, CampaignStats) and (latest is None or event.at > latest):
                latest = event.at
    return dialing_state(latest, utcnow())
