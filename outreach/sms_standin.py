"""A local stand-in SMS provider speaking the same HTTP API as `outreach.sms`, for dev and tests.

It keeps what it accepted in memory, honours Idempotency-Key exactly like a real provider would,
and posts a `delivered` status webhook shortly after accepting. Control routes under /_control
let tests make it fail or hold a request, to exercise retries and crashes for real.
Run it with `concord outreach sms-standin` or `python -m outreach.sms_standin --port N`.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse


@dataclass
class StandinState:
    token: str
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # by idempotency key
    posts: int = 0
    fail_next: list[int] = field(default_factory=list)
    hold_seconds: float = 0.0
    holding: int = 0
    tasks: set[asyncio.Task[None]] = field(default_factory=set)


async def _post_status(message: dict[str, Any]) -> None:
    await asyncio.sleep(0.05)
    payload = {"id": message["id"], "reference": message["reference"], "status": "delivered"}
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            await client.post(message["status_callback"], json=payload)
    except httpx.HTTPError:
        pass  # a real provider retries webhooks; the stand-in only tries once


def create_app(token: str = "dev-sms-token") -> FastAPI:
    """The stand-in as an ASGI app (also mountable in-process)."""
    app = FastAPI(title="Concord SMS stand-in")
    state = StandinState(token=token)
    app.state.standin = state

    @app.post("/v1/messages")
    async def send(
        request: Request,
        authorization: str = Header(""),
        idempotency_key: str = Header(""),
    ) -> JSONResponse:
        if authorization != f"Bearer {state.token}":
            raise HTTPException(401, "bad token")
        state.posts += 1
        if state.fail_next:
            return JSONResponse({"error": "stand-in failure"}, status_code=state.fail_next.pop(0))
        data = await request.json()
        key = idempotency_key or data.get("reference", "")
        if key and key in state.messages:
            return JSONResponse(state.messages[key], status_code=200)
        to = str(data.get("to", ""))
        if not to.startswith("+") or not to[1:].isdigit():
            raise HTTPException(400, f"'to' {to!r} is not an E.164 number")
        message = {
            "id": f"SM{len(state.messages) + 1:08d}",
            "status": "queued",
            "from": data.get("from", ""),
            "to": to,
            "body": data.get("body", ""),
            "reference": key,
            "status_callback": data.get("status_callback", ""),
        }
        state.messages[key or message["id"]] = message
        if state.hold_seconds:
            # Accepted but not yet answered: the crash window a worker must survive.
            state.holding += 1
            await asyncio.sleep(state.hold_seconds)
            state.holding -= 1
        if message["status_callback"]:
            task = asyncio.create_task(_post_status(message))
            state.tasks.add(task)
            task.add_done_callback(state.tasks.discard)
        return JSONResponse(message, status_code=201)

    @app.get("/v1/messages")
    async def listing() -> dict[str, Any]:
        return {"messages": list(state.messages.values()), "posts": state.posts}

    @app.post("/_control")
    async def control(request: Request) -> dict[str, Any]:
        data = await request.json()
        if "fail_next" in data:
            state.fail_next = [int(code) for code in data["fail_next"]]
        if "hold_seconds" in data:
            state.hold_seconds = float(data["hold_seconds"])
        if data.get("reset"):
            state.messages.clear()
            state.posts = 0
            state.fail_next = []
            state.hold_seconds = 0.0
        return {"holding": state.holding, "posts": state.posts}

    @app.get("/_control")
    async def control_state() -> dict[str, Any]:
        return {"holding": state.holding, "posts": state.posts, "count": len(state.messages)}

    return app


def run_standin(host: str = "127.0.0.1", port: int = 8790, token: str = "dev-sms-token") -> None:
    """Serve the stand-in until interrupted."""
    uvicorn.run(create_app(token), host=host, port=port, log_level="warning")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--token", default="dev-sms-token")
    args = parser.parse_args(argv)
    run_standin(args.host, args.port, args.token)


if __name__ == "__main__":
    main()
