"""The console's app factory: `create_app(settings)` builds everything in the lifespan.

Nothing is connected at import time; tests and `concord web` each pass their own settings, so one
process can point at a test Redis and a temp SQLite file without touching the environment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import redis
import redis.asyncio as aioredis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import JSONResponse, Response

from console import routes, template_helpers
from console.deps import LoginRequired
from console.followups import outreach_followups, payment_context
from console.gateways import Floor
from console.htmx import is_htmx, redirect
from console.hub import AgentHub
from console.logs import access_log, configure_logging, log
from console.screen_watch import ScreenWatch
from console.scripts_store import load_library
from console.security import SESSION_MAX_AGE
from console.services.ledgers import Ledgers
from console.vendor import ensure_vendor
from core.db import make_engine
from core.settings import Settings, get_settings
from outreach.config import OutreachSettings, refuse_dev_token
from outreach.inbound_http import router as email_router
from outreach.payments_http import router as payments_router
from scripts_library.readability import warm_up

HERE = Path(__file__).resolve().parent


def _now() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    engine = make_engine(settings.database_url)
    sync_redis = redis.Redis.from_url(settings.redis_url, health_check_interval=30)
    async_redis = aioredis.Redis.from_url(settings.redis_url, health_check_interval=30)
    templates = Jinja2Blocks(directory=str(HERE / "templates"))
    templates.env.globals["static_version"] = _static_version()
    template_helpers.install(templates.env)
    hub = AgentHub(async_redis)
    app.state.engine = engine
    app.state.floor = Floor(sync_redis)
    app.state.ledgers = Ledgers()
    app.state.async_redis = async_redis
    app.state.templates = templates
    app.state.library = load_library(settings)
    app.state.hub = hub
    app.state.followups = outreach_followups(sync_redis)
    # The payment page and opt-out links that follow-up messages point debtors to.
    app.state.outreach = payment_context(
        engine, sync_redis, settings.secret_key, settings.agency_name
    )
    app.state.clock = getattr(app.state, "clock", _now)
    app.state.screens = ScreenWatch(
        async_redis, settings.agent_screen_grace_seconds, app.state.clock
    )
    hub.start()
    threading.Thread(target=warm_up, name="warm-reading-grade", daemon=True).start()
    log.info("console_started", database=engine.url.render_as_string(), redis=settings.redis_url)
    try:
        yield
    finally:
        await hub.stop()
        await app.state.screens.stop()
        await async_redis.aclose()  # type: ignore[attr-defined]  # stubs predate aclose
        sync_redis.close()
        engine.dispose()
        log.info("console_stopped")


def _static_version() -> str:
    """Cache-busting stamp for our own JS/CSS, from the newest file's mtime."""
    files = [p for p in (HERE / "static").glob("*.*") if p.is_file()]
    return str(int(max((p.stat().st_mtime for p in files), default=0)))


async def _login_required(request: Request, _exc: Exception) -> Response:
    return redirect(request, "/login")


#: Paths a provider's machine calls: errors go back as JSON, not as the app's error page.
_MACHINE_PATHS = "/webhooks/"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith(_MACHINE_PATHS):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    templates: Jinja2Blocks = request.app.state.templates
    context = {"status": exc.status_code, "message": exc.detail}
    if is_htmx(request):
        return templates.TemplateResponse(
            request, "error.html", context, status_code=exc.status_code, block_name="message"
        )
    return templates.TemplateResponse(request, "error.html", context, status_code=exc.status_code)


async def _bad_request(request: Request, exc: Exception) -> Response:
    """A malformed query or path value (`?days=abc`, `/accounts/abc`) on the app's own error
    page, naming the value, rather than FastAPI's JSON."""
    assert isinstance(exc, RequestValidationError)
    names = sorted({str(error["loc"][-1]) for error in exc.errors() if error.get("loc")})
    what = ", ".join(names) or "the request"
    if request.url.path.startswith(_MACHINE_PATHS):
        unreadable = any(error.get("type") == "json_invalid" for error in exc.errors())
        detail = "the body is not valid JSON" if unreadable else f"bad or missing field(s): {what}"
        return JSONResponse({"detail": detail}, status_code=422)
    return await _http_error(request, HTTPException(422, f"This address has a bad value: {what}."))


async def _redis_down(request: Request, exc: Exception) -> Response:
    """Redis holds the floor's live state and the sessions: without it no page can tell who is
    logged in, so every page says so in words, not as a bare server error."""
    log.error("redis_unreachable", path=request.url.path, error=str(exc))
    down = HTTPException(
        503,
        "Concord cannot reach Redis (sessions and the live floor). Nothing was lost; try again "
        "in a minute, and tell your admin if it stays.",
    )
    return await _http_error(request, down)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The console ASGI app; `settings` defaults to the CONCORD_* environment."""
    settings = settings or get_settings()
    refuse_dev_token(settings.environment, OutreachSettings())
    configure_logging(json_lines=settings.environment == "production")
    ensure_vendor()
    # No schema either: it listed every route (webhooks, the payment charge) to anyone.
    app = FastAPI(
        title="Concord console",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="concord_session",
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.environment == "production",
    )
    app.middleware("http")(access_log)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(redis.RedisError, _redis_down)
    app.add_exception_handler(RequestValidationError, _bad_request)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in routes.ROUTERS:
        app.include_router(router)
    app.include_router(payments_router)
    app.include_router(email_router)
    logging.getLogger("uvicorn.access").disabled = True
    return app
