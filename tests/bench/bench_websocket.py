"""Over the websocket of the real production server (`reflex run --env prod`, one worker), on
the shared data set:
- the baseline: a no-op Reflex event round trip (tests/bench/wsclient.py explains which event);
- KB search typed on /kb (KbState.set_query: the handler yields "searching", then the hits),
  by a signed-in requester, against that baseline.
The production build is started once per backend (the first start builds the frontend: minutes).
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bench import datasets
from tests.bench.harness import ameasure, note, record, run
from tests.bench.wsclient import ReflexClient, handler_name
from tests.e2e.conftest import ROOT, _free_port, _wait_http

RUNS = 100


@dataclass
class Server:
    base_url: str
    proc: subprocess.Popen
    log: Path


def start_server(database_url: str, data_dir: Path, extra_env: dict | None = None) -> Server:
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "TICKETAPP_DATA_DIR": str(data_dir),
        "TICKETAPP_DATABASE_URL": database_url,
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        **(extra_env or {}),
    }
    for name in ("REDIS_URL", "REFLEX_REDIS_URL", "TICKETAPP_DEMO"):
        if name not in (extra_env or {}):
            env.pop(name, None)
    log = data_dir / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "reflex"), "run", "--env", "prod"]
            + ["--loglevel", "warning"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    try:
        _wait_http(server.base_url + "/ping", proc, log, timeout=900)
        _wait_http(server.base_url + "/login", proc, log, timeout=120)
    except BaseException:
        stop_server(server)
        raise
    return server


def stop_server(server: Server) -> None:
    try:
        os.killpg(server.proc.pid, signal.SIGTERM)
        server.proc.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(server.proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def server(bench_db, tmp_path_factory) -> Iterator[Server]:
    s = start_server(bench_db.url, tmp_path_factory.mktemp(f"ws-{bench_db.backend}"))
    yield s
    stop_server(s)


def test_websocket_bench(bench_db, server):
    from ticketapp.pages.kb import KbState

    kb_state = KbState.get_full_name()
    set_query = handler_name(KbState, "set_query")
    queries = itertools.cycle(["reset password", "vpn", "принтер", "outlook calendar", "mfa"])

    async def measure_all():
        idle = ReflexClient(server.base_url)
        await idle.connect()
        user = ReflexClient(server.base_url, path="/kb")
        await user.connect()
        try:
            noop = await ameasure(idle.noop, RUNS, warmup=5)
            await user.sign_in("requester3@example.com", datasets.BENCH_PASSWORD)

            async def search():
                await user.call(
                    set_query,
                    {"value": next(queries)},
                    until=lambda u: (
                        (u.get("delta") or {}).get(kb_state, {}).get("searching_rx_state_") is False
                    ),
                )

            kb = await ameasure(search, RUNS // 2)
            assert user.state[kb_state]["hits_rx_state_"], "the search found nothing"
            return noop, kb
        finally:
            await idle.close()
            await user.close()

    noop, kb = run(measure_all())
    record("ws no-op event round trip (prod, 1 worker)", bench_db.backend, noop)
    record("ws KB search on /kb (KbState.set_query)", bench_db.backend, kb, noop, "ws no-op")
    note(
        "ws rows: python-socketio client -> `reflex run --env prod` (1 granian worker) on the "
        "same data set; the client runs on the same 2 cores."
    )
