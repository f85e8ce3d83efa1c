"""PostgreSQL and Redis for the tests: the configured servers when they answer, else private ones.

`TICKETAPP_TEST_POSTGRES_URL` (default: the `test` database at 127.0.0.1:5432) and
`TICKETAPP_TEST_REDIS_URL` (a server, no database number; default 127.0.0.1:6379) name the
servers to use. When one does not answer, a private server is started on a free port in a
temporary directory (PostgreSQL: initdb + pg_ctl; Redis: redis-server) and removed at the end;
the server binaries are installed from Debian's packages first when they are missing.
A contributor's laptop therefore needs neither; `unshare -n` checks that (README).
"""

from __future__ import annotations

import contextlib
import getpass
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _say(message: str) -> None:
    print(f"tests: {message}", file=sys.stderr, flush=True)


def _install(package: str, present: Callable[[], bool]) -> None:
    """Debian's `package`, unless `present()` already says it is there."""
    if present():
        return
    _say(f"installing Debian's {package} for a private test server")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, "apt-get", "install", "-y", "-qq", package]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=True)
    if not present():
        raise RuntimeError(f"{package} is installed but its programs were not found")


# -- PostgreSQL ---------------------------------------------------------------------------


def _postgres_bin() -> Path | None:
    """Debian keeps initdb and pg_ctl out of PATH, one folder per major version."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    found.sort(key=lambda path: int(path.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster in a temp dir: trust auth, its own port and socket dir.

    PostgreSQL refuses to run as root: as root it runs as the `postgres` user that Debian's
    package creates, otherwise as the current user."""

    def __init__(self) -> None:
        _install("postgresql", lambda: _postgres_bin() is not None)
        self.bin = _postgres_bin()
        self.owner = "postgres" if os.geteuid() == 0 else getpass.getuser()
        self.dir = Path(tempfile.mkdtemp(prefix="ticketapp-test-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._pg("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def _pg(self, tool: str, *args: str) -> None:
        as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*as_owner, str(self.bin / tool), *args], check=True, capture_output=True, cwd=self.dir
        )

    def _ctl(self, *args: str) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-o", opts, *args)

    def start(self) -> None:
        self._ctl("-w", "start")

    def restart(self) -> None:
        self._ctl("-w", "-m", "fast", "restart")

    def stop(self) -> None:
        self._ctl("-w", "-m", "immediate", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def postgres_answers(url: str) -> bool:
    import psycopg

    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    try:
        psycopg.connect(parts._replace(query="").geturl(), connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """The URL of a PostgreSQL database the tests may create schemas in."""
    url = os.environ.get("TICKETAPP_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    if postgres_answers(url):
        yield url
        return
    _say(f"PostgreSQL at {urlsplit(url).netloc} does not answer: starting a private one")
    server = PrivatePostgres()
    try:
        server.start()
        yield server.url
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()
        server.remove()


# -- Redis --------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server on a free port, keeping nothing on disk."""

    def __init__(self) -> None:
        _install("redis-server", lambda: shutil.which("redis-server") is not None)
        self.dir = Path(tempfile.mkdtemp(prefix="ticketapp-test-redis-"))
        self.port = free_port()
        self.server_url = f"redis://127.0.0.1:{self.port}"
        self.url = f"{self.server_url}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        """SHUTDOWN NOSAVE: every key (every Reflex state and lock) is gone."""
        import redis

        if self.proc is None:
            return
        with contextlib.suppress(redis.ConnectionError):  # it drops as the server exits
            redis.Redis.from_url(self.url).shutdown(nosave=True)
        self.proc.wait(timeout=20)
        self.proc = None

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


def redis_db(server_url: str, number: int) -> str:
    """The URL of database `number` on a Redis server (tests keep to their own database)."""
    return urlsplit(server_url)._replace(path=f"/{number}").geturl()


@contextlib.contextmanager
def redis() -> Iterator[str]:
    """The URL of a Redis server, without a database number (see `redis_db`)."""
    url = os.environ.get("TICKETAPP_TEST_REDIS_URL") or DEFAULT_REDIS_URL
    if redis_answers(url):
        yield urlsplit(url)._replace(path="").geturl()
        return
    _say(f"Redis at {urlsplit(url).netloc} does not answer: starting a private one")
    server = PrivateRedis()
    try:
        server.start()
        yield server.server_url
    finally:
        server.stop()
        server.remove()


def main(argv: list[str]) -> int:
    """`python -m tests.servers install`: the server programs, before an offline test run."""
    if argv != ["install"]:
        print("usage: python -m tests.servers install", file=sys.stderr)
        return 2
    _install("postgresql", lambda: _postgres_bin() is not None)
    _install("redis-server", lambda: shutil.which("redis-server") is not None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
