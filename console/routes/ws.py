"""`/ws/agent`: live events for one agent's screen, in the versioned envelope.

The socket only pushes; the browser reloads its snapshot over HTTP on every (re)connect and on
events that change the screen, so a dropped frame never leaves a stale screen for long. A quiet
socket carries a `beat` every few seconds, so the page can tell a dead link from a quiet floor.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from console.hub import AgentHub
from console.logs import log
from console.screen_watch import ScreenWatch
from console.security import session_is_current
from console.ws_protocol import CloseCode, frame
from core.models import Role, User

router = APIRouter(tags=["websocket"])


def _agent(websocket: WebSocket) -> tuple[User | None, CloseCode | None]:
    user_id = websocket.session.get("uid") if "session" in websocket.scope else None
    if user_id is None:
        return None, CloseCode.UNAUTHENTICATED
    sid = websocket.session.get("sid")
    if not isinstance(sid, str) or websocket.app.state.floor.session_of(sid) != int(user_id):
        return None, CloseCode.UNAUTHENTICATED  # logged out: a copied cookie opens nothing
    with Session(websocket.app.state.engine) as db:
        user = db.get(User, int(user_id))
    if user is None or not session_is_current(websocket.session, user):
        return None, CloseCode.UNAUTHENTICATED
    if user.role not in {Role.AGENT.value, Role.ADMIN.value}:
        return None, CloseCode.FORBIDDEN
    return user, None


def _still_signed_in(websocket: WebSocket, user_id: int) -> bool:
    sid = websocket.session.get("sid")
    return isinstance(sid, str) and websocket.app.state.floor.session_of(sid) == user_id


def _same_origin(websocket: WebSocket) -> bool:
    """Browsers send cookies on cross-site websocket handshakes; only our own pages may connect."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser (bench, tools): the session cookie still decides
    return urlsplit(origin).netloc == websocket.headers.get("host")


@router.websocket("/ws/agent")
async def agent_socket(websocket: WebSocket) -> None:
    # Accept before refusing: a refused handshake reaches the browser as a bare 1006, while a
    # close frame carries the named code that tells the page to log in or to stop retrying.
    await websocket.accept()
    if not _same_origin(websocket):
        await websocket.close(CloseCode.FORBIDDEN)
        return
    user, refusal = await run_in_threadpool(_agent, websocket)
    if user is None or user.id is None:
        await websocket.close(refusal or CloseCode.UNAUTHENTICATED)
        return
    hub: AgentHub = websocket.app.state.hub
    screens: ScreenWatch = websocket.app.state.screens
    subscriber = hub.add(user.id)
    await websocket.send_text(frame("hello", {"agent_id": user.id}))
    receiver: asyncio.Task[int] = asyncio.create_task(_drain_client(websocket))
    loop = asyncio.get_running_loop()
    renew_at = 0.0  # when the screen's presence is next due: not a Redis write per frame
    try:
        while True:
            if loop.time() >= renew_at:
                if not await run_in_threadpool(_still_signed_in, websocket, user.id):
                    # Signed out in another tab, or the login used on another computer: this
                    # screen must stop taking pops at once; the page goes to the login.
                    await websocket.close(CloseCode.UNAUTHENTICATED)
                    break
                await screens.seen(user.id)
                renew_at = loop.time() + screens.refresh_every
            getter = asyncio.ensure_future(subscriber.queue.get())
            overflow = asyncio.ensure_future(subscriber.overflowed.wait())
            done, _ = await asyncio.wait(
                {getter, overflow, receiver},
                timeout=screens.refresh_every,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if getter not in done:
                getter.cancel()
            overflow.cancel()
            if not done:
                await websocket.send_text(frame("beat", {}))  # quiet: the page sees it is alive
                continue  # and the screen's presence is renewed
            if subscriber.overflowed.is_set():
                await websocket.close(CloseCode.SLOW_CONSUMER)
                break
            if receiver in done:
                break
            await websocket.send_text(getter.result())
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.remove(subscriber)
        code = receiver.result() if receiver.done() and not receiver.cancelled() else None
        if code in _PAGE_LEFT or code is None:
            screens.closed(user.id)
        else:
            screens.lost(user.id)
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await receiver
        log.debug("agent_socket_closed", agent_id=user.id, code=code)


#: Close codes of a page that left (closed, reloaded, navigated away: browsers send 1001) or
#: was closed by its script: anything else is a link that was lost, such as 1005 (no close
#: frame came: uvicorn's keepalive gave up on an unanswered ping) or 1006.
_PAGE_LEFT = frozenset({1000, 1001})


async def _drain_client(websocket: WebSocket) -> int:
    """The browser sends nothing we act on; reading notices its disconnect promptly. Returns
    the close code."""
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect as exc:
        return exc.code
