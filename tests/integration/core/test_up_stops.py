"""`concord up` stops as an admin stops it: Ctrl-C in its terminal reaches the whole process
group, and the floor still shuts down in order, with no traceback and nothing left running. A
fresh database does not inherit the live floor of an earlier one from Redis's files in var/."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import Redis

from core.localservices import free_port, start_redis

pytestmark = pytest.mark.integration


def _descendants(root: int) -> set[int]:
    """Every live process under `root`, from /proc (children in their own sessions included)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_to_the_process_group_stops_the_floor_in_order_even_when_signalled_twice(
    tmp_path: Path,
) -> None:
    # An earlier run left an agent on a call of its own database in Redis's append-only file.
    earlier = start_redis(appendonly=True, data_dir=tmp_path / "redis")
    Redis.from_url(earlier.url).set("concord:agent_call:1", '{"call_id": "cc-earlier"}')
    earlier.stop()
    port = free_port()
    env = {
        **os.environ,
        "CONCORD_VAR_DIR": str(tmp_path),
        "CONCORD_DATABASE_URL": f"sqlite:///{tmp_path / 'concord.db'}",
    }
    argv = [sys.executable, "-m", "core.cli", "up", "--no-asterisk", "--port", str(port)]
    log = tmp_path / "up.log"
    with log.open("wb") as out:
        # A session of its own stands in for the admin's terminal.
        up = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT,
                              start_new_session=True)  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while "Concord is up" not in log.read_text() and time.monotonic() < deadline:
                assert up.poll() is None, log.read_text()
                time.sleep(0.2)
            assert "Concord is up" in log.read_text()
            redis_url = re.search(r"redis +(redis://\S+)", log.read_text())
            assert redis_url is not None
            assert Redis.from_url(redis_url.group(1)).get("concord:agent_call:1") is None
            time.sleep(3)  # the worker's scheduler takes its lock
            floor = _descendants(up.pid)
            assert len(floor) >= 5, floor  # redis, mail, sms, web, worker (+ its scheduler)
            os.killpg(up.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
            os.kill(up.pid, signal.SIGTERM)  # and a second signal on its heels
            assert up.wait(60) == 0
        finally:
            if up.poll() is None:  # the children run in sessions of their own: kill them too
                for pid in _descendants(up.pid):
                    os.kill(pid, signal.SIGKILL)
                os.killpg(up.pid, signal.SIGKILL)
    output = log.read_text()
    assert "redis     cleared what it held for an earlier database" in output
    assert "NO CALLS: no phone system (Asterisk) runs, so no dialer (--no-asterisk)." in output
    assert "Traceback" not in output, output
    assert not [pid for pid in floor if _alive(pid)], output


def test_a_child_that_dies_is_started_again_and_one_that_keeps_dying_stops_the_floor(
    tmp_path: Path,
) -> None:
    """A Redis stall once ended the dialer, and `concord up` then stopped everything: the web
    console, the worker and every live call. A dead child is now started again; one that dies
    over and over stops the floor, reported."""
    from core.up import Floor, _watch

    runs = tmp_path / "runs"
    crash = f"open({str(runs)!r}, 'a').write('x'); raise SystemExit(3)"
    floor = Floor()
    floor.start("dialer", [sys.executable, "-c", crash], dict(os.environ))
    assert _watch(floor, restarts=2, window_s=60) == 1
    assert runs.read_text() == "xxx"  # the first run and two restarts
