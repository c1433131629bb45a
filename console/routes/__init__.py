"""HTTP and websocket routes, one module per area of the console."""

from fastapi import APIRouter

from console.routes import (
    admin_outreach,
    agent,
    auth,
    dial,
    health,
    lead_campaigns,
    listen,
    messages,
    numbers,
    outcome,
    pages,
    phones,
    qa,
    script,
    scripts_editor,
    texts,
    ws,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    agent.router,
    script.router,
    outcome.router,
    dial.router,
    ws.router,
    pages.router,
    qa.router,
    messages.router,
    scripts_editor.router,
    admin_outreach.router,
    texts.router,
    lead_campaigns.router,
    listen.router,
    phones.router,
    numbers.router,
)
