"""Screen-pop fan-out of one console process: N agent websockets, pops published at R/s.

Starts a real redis-server and the console under uvicorn (one process), opens `clients`
websockets as distinct agents, publishes CallConnected on the agents' channels exactly as the
dialer does, and measures from the event's `at` (the connect moment) to the frame arriving at
the client. Prints p50/p99 latency, frames lost, and the console process's memory.
Targets: p99 <= 100 ms and RSS <= 300 MB for 500 agents at 50 pops/s.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from base64 import b64encode
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import redis
import redis.asyncio as aioredis
from itsdangerous import TimestampSigner
from sqlmodel import Session
from websockets.asyncio.client import ClientConnection, connect

from console.gateways import Floor
from console.security import login_stamp
from core.db import make_engine, migrate
from core.events import CallConnected, agent_channel
from core.localservices import free_port, start_redis, wait_for_port
from core.models import User
from core.settings import Settings

SECRET = "bench-console-ws-secret"
_HASH = "!"  # no password logs in: the bench signs its own session cookies
REPO = Path(__file__).resolve().parent.parent


def _session_cookie(user_id: int, redis_url: str) -> str:
    """A session cookie as Starlette's SessionMiddleware signs it, with the server-side record
    a login writes (logins are not benchmarked)."""
    stamp = login_stamp(User(username="", password_hash=_HASH, role="agent"))
    sid = f"bench-{user_id}"
    Floor(redis.Redis.from_url(redis_url)).open_session(sid, user_id, 3600)
    session = {"uid": user_id, "csrf": "bench", "stamp": stamp, "sid": sid}
    data = b64encode(json.dumps(session).encode())
    return "concord_session=" + TimestampSigner(SECRET).sign(data).decode()


def _seed_agents(url: str, count: int) -> list[int]:
    migrate(url)
    engine = make_engine(url)
    with Session(engine) as db:
        users = [
            User(username=f"bench{i:04d}", password_hash=_HASH, role="agent") for i in range(count)
        ]
        db.add_all(users)
        db.commit()
        ids = [u.id or 0 for u in users]
    engine.dispose()
    return ids


def _rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _listen(ws: ClientConnection, latencies: list[float]) -> None:
    async for raw in ws:
        arrived = time.time()
        frame = json.loads(raw)
        if frame.get("op") == "call_connected":
            sent = datetime.fromisoformat(frame["data"]["at"]).timestamp()
            latencies.append((arrived - sent) * 1000)


async def _run(
    port: int, redis_url: str, agents: list[int], rate: int, seconds: int
) -> dict[str, float]:
    sockets: list[ClientConnection] = []
    started = time.perf_counter()
    for agent_id in agents:
        ws = await connect(
            f"ws://127.0.0.1:{port}/ws/agent",
            additional_headers={"Cookie": _session_cookie(agent_id, redis_url)},
            max_queue=None,
        )
        hello = json.loads(await ws.recv())
        assert hello["op"] == "hello", hello
        sockets.append(ws)
    connect_s = time.perf_counter() - started
    latencies: list[float] = []
    listeners = [asyncio.create_task(_listen(ws, latencies)) for ws in sockets]
    publisher = aioredis.Redis.from_url(redis_url)
    total = rate * seconds
    begin = time.perf_counter()
    for n in range(total):
        due = begin + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        agent_id = random.choice(agents)
        event = CallConnected(
            at=datetime.now(UTC), call_id=f"bench-{n}", agent_id=agent_id, account_id=n + 1,
            debtor_id=n + 1, campaign_id=None, number="+12025550143", answer_to_agent_ms=0,
        )  # fmt: skip
        await publisher.publish(agent_channel(agent_id), event.envelope())
    deadline = time.perf_counter() + 5
    while len(latencies) < total and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    await publisher.aclose()  # type: ignore[attr-defined]  # stubs predate aclose
    values = np.array(latencies) if latencies else np.array([float("nan")])
    return {
        "connect_s": connect_s,
        "sent": total,
        "received": len(latencies),
        "p50": float(np.percentile(values, 50)),
        "p99": float(np.percentile(values, 99)),
        "max": float(values.max()),
    }


def main(clients: int = 500, rate: int = 50, seconds: int = 20) -> None:
    """Run the benchmark and print its figures (see the module docstring for the targets)."""
    redis_server = start_redis()
    work = Path(tempfile.mkdtemp(prefix="concord-bench-ws-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    agents = _seed_agents(db_url, clients)
    port = free_port()
    env = {
        **os.environ,
        "CONCORD_ENVIRONMENT": "test",
        "CONCORD_DATABASE_URL": db_url,
        "CONCORD_REDIS_URL": redis_server.url,
        "CONCORD_VAR_DIR": str(work),
        "CONCORD_SECRET_KEY": SECRET,
    }
    # The keepalive `concord web` runs with (a ping every 2 s, 3 s to answer), so 500 agents'
    # pings are in the figures as they are on a floor.
    defaults = Settings()
    keepalive = ["--ws-ping-interval", str(defaults.agent_link_ping_seconds),
                 "--ws-ping-timeout", str(defaults.agent_link_timeout_seconds)]  # fmt: skip
    console = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "console.app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--ws", "websockets-sansio", "--log-level", "warning",
         *keepalive],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=30)
        idle_rss, _ = _rss_mb(console.pid)
        figures = asyncio.run(_run(port, redis_server.url, agents, rate, seconds))
        rss, peak = _rss_mb(console.pid)
    finally:
        console.terminate()
        console.wait(10)
        redis_server.stop()
    ok_latency = figures["p99"] <= 100
    ok_memory = peak <= 300
    print(
        f"console_ws: {clients} agent websockets on one console process, "
        f"{rate} pops/s for {seconds}s"
    )
    print(f"  connected all sockets in {figures['connect_s']:.1f} s")
    print(f"  frames: sent {figures['sent']}, received {figures['received']}")
    print(
        f"  connect-event-to-client latency: p50 {figures['p50']:.1f} ms, "
        f"p99 {figures['p99']:.1f} ms, max {figures['max']:.1f} ms "
        f"(target p99 <= 100 ms: {'met' if ok_latency else 'MISSED'})"
    )
    print(
        f"  console RSS: idle {idle_rss:.0f} MB, after {rss:.0f} MB, peak {peak:.0f} MB "
        f"(target <= 300 MB: {'met' if ok_memory else 'MISSED'})"
    )
