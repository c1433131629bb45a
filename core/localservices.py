"""Start the real services Concord needs on this machine: Redis, Asterisk and PostgreSQL.

Used by `concord up` and by the test fixtures, so development and CI run the same binaries on
free loopback ports. Each launcher returns a handle whose `stop()` ends what it started.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_ASTERISK = (
    Path(os.environ.get("CONCORD_SHARED_DIR", REPO_ROOT.parent / "shared")) / "asterisk"
)
ASTERISK_CONF = REPO_ROOT / "infra" / "asterisk"
ASTERISK_ROOT = "/var/cache/concord-asterisk/root"  # ../shared/asterisk's default rootfs
# CONCORD_RECORDINGS in infra/asterisk/extensions.conf: where MixMonitor writes, as Asterisk sees it
RECORDINGS_IN_PBX = "/var/spool/asterisk/monitor/concord"


class ServiceError(RuntimeError):
    """A local service could not be started; the message says what to install or check."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_free(port: int) -> bool:
    """Nothing listens on 127.0.0.1:`port` now (so a service may take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    """Block until something accepts TCP on 127.0.0.1:port, or raise ServiceError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise ServiceError(f"nothing answered on 127.0.0.1:{port} within {timeout:.0f}s")


@dataclass
class RedisServer:
    """A redis-server on a free loopback port, with its data in a temp dir."""

    port: int
    process: subprocess.Popen[bytes]
    data_dir: Path
    appendonly: bool

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def kill(self) -> None:
        """Stop abruptly, as a crash would (for durability tests)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    def restart(self) -> None:
        """Start again on the same port and data dir (append-only file reloaded)."""
        self.stop()
        self.process = _spawn_redis(self.port, self.data_dir, self.appendonly)
        wait_for_port(self.port)


def _spawn_redis(port: int, data_dir: Path, appendonly: bool) -> subprocess.Popen[bytes]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceError("redis-server is not installed: apt-get install -y redis-server")
    args = [
        binary,
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(data_dir),
        "--save", "",
        "--appendonly", "yes" if appendonly else "no",
        "--appendfsync", "always",
        "--daemonize", "no",
        "--loglevel", "warning",
    ]  # fmt: skip
    # Its own session: a Ctrl-C meant for the floor must not stop Redis while the processes
    # that still write to it (an RQ scheduler releasing its lock) are shutting down.
    return subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def start_redis(
    port: int | None = None, appendonly: bool = False, data_dir: Path | None = None
) -> RedisServer:
    """Start redis-server on a free (or given) port; returns once it accepts connections."""
    port = port or free_port()
    if data_dir is None:
        data_dir = Path(tempfile.mkdtemp(prefix="concord-redis-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    process = _spawn_redis(port, data_dir, appendonly)
    wait_for_port(port)
    return RedisServer(port=port, process=process, data_dir=data_dir, appendonly=appendonly)


@dataclass
class Asterisk:
    """The real Asterisk 22 built by ../shared/asterisk/recipe.sh, running our infra config."""

    ami_port: int
    conf_dir: Path = ASTERISK_CONF
    env: dict[str, str] = field(default_factory=dict)

    def _run(self, *args: str, timeout: float = 60) -> str:
        result = subprocess.run(
            ["bash", str(SHARED_ASTERISK / "start.sh"), *args],
            env={**os.environ, **self.env, "AMI_PORT": str(self.ami_port)},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise ServiceError(f"asterisk {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def start(self) -> None:
        self._run("start", str(self.conf_dir))

    @property
    def recordings_dir(self) -> Path:
        return pbx_recordings_dir(self.env.get("ASTERISK_ROOT"))

    def stop(self) -> None:
        self._run("stop")

    def restart(self) -> None:
        self._run("restart", str(self.conf_dir))

    def cli(self, command: str) -> str:
        return self._run("cli", command)


def pbx_recordings_dir(root: str | None = None) -> Path:
    """Where MixMonitor's recordings (RECORDINGS_IN_PBX inside the chroot) are on this host."""
    root = root or os.environ.get("ASTERISK_ROOT", ASTERISK_ROOT)
    return Path(root) / RECORDINGS_IN_PBX.lstrip("/")


def build_asterisk() -> None:
    """Build the Asterisk chroot once per machine (~2 min); a no-op when already built."""
    recipe = SHARED_ASTERISK / "recipe.sh"
    if not recipe.exists():
        raise ServiceError(f"{recipe} not found: put ../shared beside the repository")
    subprocess.run(["bash", str(recipe)], check=True)


def start_asterisk(ami_port: int | None = None) -> Asterisk:
    """Start Asterisk with infra/asterisk on a free AMI port (fresh state every start)."""
    asterisk = Asterisk(ami_port=ami_port or free_port())
    asterisk.start()
    return asterisk


@dataclass
class PostgresCluster:
    """A throwaway PostgreSQL cluster (initdb as user postgres in a temp dir)."""

    port: int
    data_dir: Path
    bin_dir: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin_dir / "pg_ctl"), "-D",
             str(self.data_dir), "-m", "immediate", "stop"],
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _postgres_bin() -> Path:
    root = Path("/usr/lib/postgresql")
    versions = sorted(root.glob("*/bin/initdb")) if root.exists() else []
    if not versions:
        raise ServiceError("PostgreSQL is not installed: apt-get install -y postgresql")
    return versions[-1].parent


def start_postgres() -> PostgresCluster:
    """initdb a cluster owned by postgres in a temp dir and start it on a free port."""
    bin_dir = _postgres_bin()
    data_dir = Path(tempfile.mkdtemp(prefix="concord-pg-"))
    shutil.chown(data_dir, "postgres", "postgres")
    port = free_port()

    def as_postgres(*args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)

    as_postgres(str(bin_dir / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", "postgres")
    as_postgres(
        str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-w", "-l", str(data_dir / "server.log"),
        "-o", f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )  # fmt: skip
    return PostgresCluster(port=port, data_dir=data_dir, bin_dir=bin_dir)


def _main(argv: list[str]) -> int:
    """`python -m core.localservices postgres -- CMD...`: run CMD with a throwaway cluster.

    The test command uses it for the PostgreSQL lane: CMD sees CONCORD_TEST_DATABASE_URL.
    """
    if len(argv) < 3 or argv[0] != "postgres" or argv[1] != "--":
        print("usage: python -m core.localservices postgres -- CMD [ARGS...]")
        return 2
    cluster = start_postgres()
    try:
        env = {**os.environ, "CONCORD_TEST_DATABASE_URL": cluster.url}
        return subprocess.run(argv[2:], env=env, check=False).returncode
    finally:
        cluster.stop()


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
