"""Load test (issue 8): N concurrent signed-in socket.io clients against the real production server.

    make load                                   # 50, 100, 200 clients, 30 s each, SQLite
    LOAD_CLIENTS="50 100 200" LOAD_SECONDS=120 make load     # what the issue asks: 2 minutes
    python -m tests.bench.load_test --clients 50 --seconds 30 [--postgres] [--workers 4]
    (--workers N > 1: N granian workers with Redis, as the issue asks for PostgreSQL)

The server is `reflex run --env prod` (one worker, no Redis) on the benchmark data set
(tests/bench/datasets.py; TICKETAPP_BENCH_SCALE shrinks it). Every client signs in over the
websocket through the login page's handler (tests/bench/wsclient.py) and then loops, with a
think time of 0.5-1.5 s, through the events the browser sends:
- agents (30%): BoardState.on_load, then drag cards across Open / In progress / Waiting
  (BoardState.move with the card's version);
- board watchers (10%): reload the board (BoardState.on_load);
- analytics viewers (5%, the bench manager in several tabs): open /analytics (AnalyticsState.
  on_load) and keep it open for 5-10 s, taking the live pushes, then open it again;
- requesters (55%): type a KB search (KbState.set_query), file a ticket (TicketNewState.on_load,
  set_text title/description, submit with its idempotency key), open it (TicketDetailState.
  on_load) and add a reply (TicketDetailState.send_reply through Reflex's upload endpoint, as
  the browser's reply box does: HTTP, not the websocket).
Reported per run: events/s, p50/p95/p99 round trip, errors (a move refused for a stale version
is counted as a conflict, not an error), server RSS per connected client, per-client state
size (the JSON of the state the client received).
Invariants after every run, from the database: every ticket in exactly one known column, ranks
unique per column, each moved ticket's last status event equals its status, every move the
server acknowledged has its event, every filed ticket acknowledged exactly once (no duplicate
titles or idempotency keys), every acknowledged reply stored exactly once, and the agents' last
board view equals the database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import text

from tests import servers
from tests.bench import datasets
from tests.bench.bench_websocket import start_server, stop_server
from tests.bench.wsclient import LOCALE_COOKIE_VAR, NOOP_EVENT, ReflexClient, handler_name
from ticketapp.db import make_engine, migrate

BOARD_COLUMNS = ["open", "in_progress", "waiting"]


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] if s else float("nan")


def _stat(proc: Path) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (field 3, state, is [0])."""
    return (proc / "stat").read_text().rsplit(")", 1)[1].split()


def server_tree(pid: int) -> list[int]:
    """The server's processes: its process group (the server starts a session of its own)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and int(_stat(proc)[2]) == pid:  # process group id
                pids.append(int(proc.name))
        except (OSError, IndexError, ValueError):
            continue
    return pids


def _rss_kib(pid: int) -> int:
    """Resident memory of the server tree's processes (the server and its workers)."""
    total = 0
    for tree_pid in server_tree(pid):
        try:
            for line in Path(f"/proc/{tree_pid}/status").read_text().splitlines():
                if line.startswith("VmRSS"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return total


def cpu_seconds(pid: int) -> dict[int, float]:
    """utime + stime of every process of the server tree, in seconds, by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for tree_pid in server_tree(pid):
        try:
            fields = _stat(Path(f"/proc/{tree_pid}"))
            out[tree_pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """Server CPU seconds between two `cpu_seconds` readings (a process started in between
    counts in full; one that ended in between is lost: the server's workers live on)."""
    return sum(t - before.get(p, 0.0) for p, t in after.items())


def pin(server_pid: int) -> str:
    """With two or more cores: the server tree on the last one, this load client on the
    others, so that the two do not compete for a core. Says what it did."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return "not pinned (one core)"
    server_core, client_cores = {cores[-1]}, set(cores[:-1])
    for tree_pid in server_tree(server_pid):
        for task in Path(f"/proc/{tree_pid}/task").iterdir():  # every thread
            with contextlib.suppress(OSError, ValueError):
                os.sched_setaffinity(int(task.name), server_core)
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError, ValueError):
            os.sched_setaffinity(int(task.name), client_cores)
    return f"server on core {cores[-1]}, load client on {', '.join(map(str, cores[:-1]))}"


class Stats:
    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}
        self.errors: Counter[str] = Counter()
        self.conflicts = 0
        self.moves: list[tuple[int, str]] = []  # acknowledged (ticket id, to status)
        self.filed: list[str] = []  # acknowledged titles
        self.replies: list[str] = []  # acknowledged reply bodies

    def add(self, kind: str, ms: float) -> None:
        self.samples.setdefault(kind, []).append(ms)


def _events_of(update: dict) -> list[dict]:
    return update.get("events") or []


def _toasts(updates: list[dict]) -> str:
    return json.dumps([e for u in updates for e in _events_of(u)])


_TOAST_RE = re.compile(r'\[\\"(error|warning|info|success)\\"\]\(\\"(.{0,100}?)\\"')


def _refusal(said: str) -> str:
    """What a refusal said, for the error table: the toast's level and text if there was one."""
    toast = _TOAST_RE.search(said)
    return f"{toast.group(1)} toast: {toast.group(2)}" if toast else said[:120]


class Load:
    def __init__(self, base_url: str, stop_at: float, stats: Stats, rng: random.Random) -> None:
        from ticketapp.pages.analytics import AnalyticsState
        from ticketapp.pages.board import BoardState
        from ticketapp.pages.kb import KbState
        from ticketapp.pages.ticket_detail import TicketDetailState
        from ticketapp.pages.ticket_new import TicketNewState

        self.base_url, self.stop_at, self.stats, self.rng = base_url, stop_at, stats, rng
        self.run_id = f"{time.time():.0f}"
        self.board = BoardState.get_full_name()
        self.kb = KbState.get_full_name()
        self.new = TicketNewState.get_full_name()
        self.detail = TicketDetailState.get_full_name()
        self.analytics = AnalyticsState.get_full_name()
        self.h = {
            "board_load": handler_name(BoardState, "on_load"),
            "move": handler_name(BoardState, "move"),
            "kb": handler_name(KbState, "set_query"),
            "new_load": handler_name(TicketNewState, "on_load"),
            "set_text": handler_name(TicketNewState, "set_text"),
            "submit": handler_name(TicketNewState, "submit"),
            "ticket_load": handler_name(TicketDetailState, "on_load"),
            "reply": handler_name(TicketDetailState, "send_reply"),
            "analytics_load": handler_name(AnalyticsState, "on_load"),
        }

    async def _think(self) -> None:
        await asyncio.sleep(self.rng.uniform(0.5, 1.5))

    async def _timed(self, client: ReflexClient, kind: str, name: str, payload, until, timeout=60):
        try:
            ms, updates = await client.call(name, payload, until=until, timeout=timeout)
        except TimeoutError:
            self.stats.errors[f"{kind}: timeout"] += 1
            return None
        except Exception as exc:  # a dropped socket is an error of the run, not of the script
            self.stats.errors[f"{kind}: {type(exc).__name__}"] += 1
            return None
        self.stats.add(kind, ms)
        return updates

    def _board_loaded(self, u: dict) -> bool:
        return "revision_rx_state_" in (u.get("delta") or {}).get(self.board, {})

    async def agent(self, client: ReflexClient, watcher: bool) -> None:
        client.path = "/board"
        await self._timed(client, "board open", self.h["board_load"], {}, self._board_loaded)
        while time.monotonic() < self.stop_at:
            await self._think()
            if watcher:
                await self._timed(
                    client, "board open", self.h["board_load"], {}, self._board_loaded
                )
                continue
            view = client.state.get(self.board, {})
            src = self.rng.choice(BOARD_COLUMNS)
            cards = view.get(f"cards_{src}_rx_state_") or []
            if not cards:
                continue
            card = self.rng.choice(cards)
            dst = self.rng.choice([c for c in BOARD_COLUMNS if c != src])
            target = view.get(f"cards_{dst}_rx_state_") or []
            after = str(target[0]["id"]) if target else ""
            updates = await self._timed(
                client,
                "board move",
                self.h["move"],
                {
                    "card_id": str(card["id"]),
                    "to_status": dst,
                    "before_id": "",
                    "after_id": after,
                    "version": str(card["version"]),
                },
                until=lambda u: bool(_events_of(u)),
            )
            if updates is None:
                continue
            said = _toasts(updates)
            if "moved to" in said:
                self.stats.moves.append((int(card["id"]), dst))
            elif "a moment ago" in said or "changed" in said:
                self.stats.conflicts += 1
            else:
                self.stats.errors[f"board move: {_refusal(said)}"] += 1

    async def analytics_viewer(self, client: ReflexClient) -> None:
        client.path = "/analytics"
        while time.monotonic() < self.stop_at:
            await self._timed(
                client,
                "analytics open",
                self.h["analytics_load"],
                {},
                until=lambda u: (
                    "revision_rx_state_" in (u.get("delta") or {}).get(self.analytics, {})
                ),
            )
            await asyncio.sleep(self.rng.uniform(5, 10))

    async def requester(self, client: ReflexClient, n: int) -> None:
        i = 0
        while time.monotonic() < self.stop_at:
            i += 1
            client.path = "/kb"
            query = self.rng.choice(["password", "vpn", "printer", "пароль", "outlook", "mfa"])
            await self._timed(
                client,
                "KB search",
                self.h["kb"],
                {"value": query},
                until=lambda u: (
                    (u.get("delta") or {}).get(self.kb, {}).get("searching_rx_state_") is False
                ),
            )
            await self._think()
            if time.monotonic() >= self.stop_at:
                break
            client.path = "/tickets/new"
            title = f"Load test {self.run_id} {n}-{i}: laptop fan noise"  # unique across runs
            loaded = await self._timed(
                client,
                "file: open form",
                self.h["new_load"],
                {},
                until=lambda u: self.new in (u.get("delta") or {}),
            )
            if loaded is None:
                continue
            for name, value in (("title", title), ("description", "It whirs loudly. " * 5)):
                await self._timed(
                    client,
                    "file: type",
                    self.h["set_text"],
                    {"name": name, "value": value},
                    until=lambda u: self.new in (u.get("delta") or {}),
                )
            updates = await self._timed(
                client,
                "file: submit",
                self.h["submit"],
                {},
                until=lambda u: bool(_events_of(u)),
            )
            if updates is None:
                continue
            said = _toasts(updates)
            # Only the redirect to the new ticket acknowledges a filing (a refusal by the
            # role guard also redirects, to /login).
            number = re.search(r"/tickets/(\d+)", said)
            if "_redirect" not in said or number is None:
                self.stats.errors[f"file: {_refusal(said)}"] += 1
                continue
            self.stats.filed.append(title)
            await self._think()
            await self.reply(client, f"/tickets/{number.group(1)}", f"{title}: still noisy")
            await self._think()

    async def reply(self, client: ReflexClient, path: str, body: str) -> None:
        client.path = path
        loaded = await self._timed(
            client,
            "reply: open ticket",
            self.h["ticket_load"],
            {},
            until=lambda u: (
                (u.get("delta") or {}).get(self.detail, {}).get("loading_rx_state_") is False
            ),
        )
        if loaded is None:
            return
        try:
            ms, updates = await client.upload(self.h["reply"], {"body": body})
        except Exception as exc:
            self.stats.errors[f"reply: {type(exc).__name__}"] += 1
            return
        self.stats.add("reply: send", ms)
        view = client.state.get(self.detail, {})
        if view.get("reply_error_rx_state_") or view.get("sending_rx_state_"):
            self.stats.errors[f"reply: {view.get('reply_error_rx_state_')!r:.120}"] += 1
        else:
            self.stats.replies.append(body)


async def _floor(conns: list[ReflexClient], seconds: float, pid: int, rng) -> dict:
    """The floor: the same signed-in clients and think time, each sending Reflex's no-op event
    (a cookie var update: no code of ours runs). Server CPU per event and p95, as for the mix."""
    samples: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds

    async def loop(c: ReflexClient) -> None:
        nonlocal errors
        while time.monotonic() < stop_at:
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            try:
                samples.append(await c.noop(LOCALE_COOKIE_VAR))
            except Exception:
                errors += 1

    cpu_before, started = cpu_seconds(pid), time.monotonic()
    await asyncio.gather(*(loop(c) for c in conns))
    cpu, elapsed = cpu_used(cpu_before, cpu_seconds(pid)), time.monotonic() - started
    for c in conns:  # back to the tab's own locale (the mix's handlers then follow the user's)
        await c.call(NOOP_EVENT, {"vars": {LOCALE_COOKIE_VAR: ""}})
    return {
        "events": len(samples),
        "events_per_s": len(samples) / elapsed,
        "p95": _pct(samples, 0.95),
        "cpu_ms_per_event": 1000 * cpu / max(1, len(samples)),
        "errors": errors,
    }


def _start_profile(pid: int, seconds: float, out: Path | None):
    """py-spy on the whole server tree for the load phase (`--profile`), or None."""
    if out is None:
        return None
    spy = Path(sys.executable).parent / "py-spy"
    cmd = [str(spy), "record", "-p", str(pid), "--subprocesses", "--nonblocking", "-r", "100"]
    cmd += ["-d", str(int(seconds)), "-f", "raw", "-o", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _run(
    base_url: str,
    clients: int,
    seconds: float,
    pid: int,
    seed: int,
    floor_seconds: float,
    profile: Path | None = None,
) -> dict:
    rng = random.Random(seed)
    stats = Stats()
    rss_before = _rss_kib(pid)
    conns: list[ReflexClient] = []
    roles: list[str] = []
    mix = [("agent", 0.30), ("watcher", 0.10), ("manager", 0.05)]
    for role, share in mix:
        roles += [role] * max(1, round(clients * share))
    roles += ["req"] * (clients - len(roles))
    for _ in range(clients):
        c = ReflexClient(base_url)
        await c.connect()
        conns.append(c)

    async def sign_in(i: int, c: ReflexClient) -> None:
        email = {
            "agent": f"agent{i % datasets.N_AGENTS}@example.com",
            "watcher": f"agent{i % datasets.N_AGENTS}@example.com",
            "manager": "bench-manager@example.com",
        }.get(roles[i], f"requester{i}@example.com")
        await c.sign_in(email, datasets.BENCH_PASSWORD)

    t0 = time.monotonic()
    sem = asyncio.Semaphore(8)

    async def limited(i, c):
        async with sem:
            await sign_in(i, c)

    await asyncio.gather(*(limited(i, c) for i, c in enumerate(conns)))
    sign_in_s = time.monotonic() - t0
    floor = await _floor(conns, floor_seconds, pid, rng) if floor_seconds > 0 else None
    load = Load(base_url, time.monotonic() + seconds, stats, rng)
    spy = _start_profile(pid, seconds, profile)
    cpu_before, started = cpu_seconds(pid), time.monotonic()

    def script(i: int, c: ReflexClient):
        if roles[i] == "manager":
            return load.analytics_viewer(c)
        if roles[i] == "req":
            return load.requester(c, i)
        return load.agent(c, watcher=roles[i] == "watcher")

    await asyncio.gather(*(script(i, c) for i, c in enumerate(conns)))
    elapsed = time.monotonic() - started
    cpu = cpu_used(cpu_before, cpu_seconds(pid))
    if spy is not None:
        spy.wait(timeout=120)
    rss_after = _rss_kib(pid)
    state_sizes = [len(json.dumps(c.state)) for c in conns]
    # The agents' last view vs the database: reload every agent's board once, quietly.
    views = []
    for i, c in enumerate(conns):
        if roles[i] == "agent":
            await c.call(load.h["board_load"], {}, until=load._board_loaded, timeout=120)
            views.append(c.state.get(load.board, {}))
    for c in conns:
        await c.close()
    all_ms = [ms for v in stats.samples.values() for ms in v]
    return {
        "clients": clients,
        "seconds": elapsed,
        "sign_in_s": sign_in_s,
        "events": len(all_ms),
        "events_per_s": len(all_ms) / elapsed,
        "cpu_ms_per_event": 1000 * cpu / max(1, len(all_ms)),
        "cpu_busy": cpu / elapsed,
        "floor": floor,
        "p50": _pct(all_ms, 0.50),
        "p95": _pct(all_ms, 0.95),
        "p99": _pct(all_ms, 0.99),
        "by_kind": {
            k: (len(v), statistics.median(v), _pct(v, 0.95)) for k, v in stats.samples.items()
        },
        "errors": dict(stats.errors),
        "conflicts": stats.conflicts,
        "moves": stats.moves,
        "filed": stats.filed,
        "replies": stats.replies,
        "rss_per_client_kib": (rss_after - rss_before) / clients,
        "rss_after_mib": rss_after / 1024,
        "state_bytes_median": statistics.median(state_sizes),
        "state_bytes_max": max(state_sizes),
        "views": views,
    }


def hottest(profile: Path, top: int = 15) -> list[str]:
    """The functions of ours (ticketapp) holding the most samples of a raw py-spy profile,
    inclusive, plus SQLAlchemy's execute/fetch share."""
    total, by_fn = 0, Counter()
    sql = 0
    for line in profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        ours = {
            f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0] + ")"
            for f in frames
            if "ticketapp/" in f and " (" in f
        }
        for fn in ours:
            by_fn[fn] += n
        if any("sqlalchemy/engine" in f for f in frames):
            sql += n
    if not total:
        return ["      (no samples)"]
    out = [f"      {100 * sql / total:5.1f}%  SQLAlchemy engine (executing, fetching)"]
    out += [f"      {100 * n / total:5.1f}%  {fn}" for fn, n in by_fn.most_common(top)]
    return out


def check_invariants(engine, result: dict, since: int) -> list[str]:
    problems = []
    with engine.connect() as c:
        bad = c.execute(
            text(
                "SELECT count(*) FROM ticket WHERE status NOT IN "
                "('new','open','in_progress','waiting','resolved','closed')"
            )
        ).scalar()
        if bad:
            problems.append(f"{bad} tickets in no known column")
        dupes = c.execute(
            text(
                "SELECT count(*) FROM (SELECT status, rank FROM ticket "
                "GROUP BY status, rank HAVING count(*) > 1) d"
            )
        ).scalar()
        if dupes:
            problems.append(f"{dupes} duplicated ranks within a column")
        moved = {tid for tid, _ in result["moves"]}
        for tid in moved:
            status = c.execute(text("SELECT status FROM ticket WHERE id = :i"), {"i": tid}).scalar()
            last = c.execute(
                text(
                    "SELECT new_value FROM ticket_event WHERE ticket_id = :i "
                    "AND kind = 'status_changed' ORDER BY id DESC LIMIT 1"
                ),
                {"i": tid},
            ).scalar()
            if last != status:
                problems.append(f"ticket {tid}: status {status}, history says {last}")
        acked: Counter[int] = Counter(tid for tid, _ in result["moves"])
        for tid, n in acked.items():
            events = c.execute(
                text(
                    "SELECT count(*) FROM ticket_event WHERE ticket_id = :i "
                    "AND kind = 'status_changed' AND id > :since"
                ),
                {"i": tid, "since": since},
            ).scalar()
            if events < n:
                problems.append(f"ticket {tid}: {n} moves acknowledged, {events} events")
        titles = Counter(result["filed"])
        for title, n in titles.items():
            rows = c.execute(text("SELECT count(*) FROM ticket WHERE title = :t"), {"t": title})
            count = rows.scalar()
            if count != 1 or n != 1:
                problems.append(f"{title!r}: acknowledged {n}x, stored {count}x")
        for body, n in Counter(result["replies"]).items():
            count = c.execute(
                text("SELECT count(*) FROM comment WHERE body = :b"), {"b": body}
            ).scalar()
            if count != 1 or n != 1:
                problems.append(f"reply {body!r}: acknowledged {n}x, stored {count}x")
        keys = c.execute(
            text(
                "SELECT count(*) FROM (SELECT idempotency_key FROM ticket WHERE idempotency_key "
                "IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1) d"
            )
        ).scalar()
        if keys:
            problems.append(f"{keys} duplicated idempotency keys")
        for view in result["views"]:
            for status in BOARD_COLUMNS:
                shown = [card["id"] for card in view.get(f"cards_{status}_rx_state_") or []]
                db_ids = [
                    r[0]
                    for r in c.execute(
                        text("SELECT id FROM ticket WHERE status = :s ORDER BY rank, id LIMIT :n"),
                        {"s": status, "n": len(shown)},
                    )
                ]
                if shown != db_ids:
                    problems.append(f"an agent's {status} column differs from the database")
                    break
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default=os.environ.get("LOAD_CLIENTS", "50 100 200"))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOAD_SECONDS", 30)))
    parser.add_argument(
        "--postgres", action="store_true", help="TICKETAPP_TEST_POSTGRES_URL, else a private one"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("LOAD_WORKERS", 1)),
        help="more than 1: that many granian workers with Redis (TICKETAPP_TEST_REDIS_URL, db 11)",
    )
    parser.add_argument(
        "--floor-seconds",
        type=float,
        default=float(os.environ.get("LOAD_FLOOR_SECONDS", 20)),
        help="length of the no-op floor run before each mix run (0: none)",
    )
    parser.add_argument(
        "--dataset-cache",
        default=os.environ.get("LOAD_DATASET_CACHE", ""),
        help="SQLite only: keep a copy of the built data set at this path, and reuse it",
    )
    parser.add_argument(
        "--profile",
        default=os.environ.get("LOAD_PROFILE", ""),
        help="a folder: py-spy profiles of the server tree during each load phase "
        "(<clients>.txt, raw collapsed stacks) and a summary of the hottest functions",
    )
    parser.add_argument(
        "--no-record", action="store_true", help="do not append to tests/bench/LOAD_RESULTS.md"
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as servers_used:
        return _load(args, servers_used)


def _load(args: argparse.Namespace, servers_used: contextlib.ExitStack) -> int:
    work = Path(tempfile.mkdtemp(prefix="ticketapp-load-"))
    if args.postgres:
        from tests.bench.conftest import bench_schema_url

        url, backend = bench_schema_url(servers_used.enter_context(servers.postgres())), "postgres"
    else:
        url, backend = f"sqlite:///{work / 'load.db'}", "sqlite"
    cache = Path(args.dataset_cache) if args.dataset_cache and backend == "sqlite" else None
    if cache and cache.exists():
        shutil.copyfile(cache, work / "load.db")
        migrate(url)
        engine = make_engine(url)
        counts: dict = {"copied from": str(cache)}
    else:
        migrate(url)
        engine = make_engine(url)
        data = datasets.build(backend, url, engine)
        counts = data.counts
        print(f"data set on {backend}: {counts} in {data.seconds:.0f} s", flush=True)
        if cache:
            with sqlite3.connect(work / "load.db") as src, sqlite3.connect(cache) as dst:
                src.backup(dst)
    extra = None
    if args.workers > 1:
        import redis

        redis_url = servers.redis_db(servers_used.enter_context(servers.redis()), 11)
        redis.Redis.from_url(redis_url).flushdb()
        extra = {"REDIS_URL": redis_url, "GRANIAN_WORKERS": str(args.workers)}
    server = start_server(url, work, extra)
    pinned = pin(server.proc.pid)
    mode = f"{backend}, {args.workers} worker" + ("s + Redis" if args.workers > 1 else "")
    failed = False
    lines = [f"data set: {counts}; {pinned}"]
    print(lines[0], flush=True)
    try:
        for n in [int(x) for x in args.clients.replace(",", " ").split()]:
            with engine.connect() as c:
                since = c.execute(text("SELECT coalesce(max(id), 0) FROM ticket_event")).scalar()
            profile = Path(args.profile) / f"{n}.txt" if args.profile else None
            if profile:
                profile.parent.mkdir(parents=True, exist_ok=True)
            pid = server.proc.pid
            run = _run(server.base_url, n, args.seconds, pid, n, args.floor_seconds, profile)
            result = asyncio.run(run)
            problems = check_invariants(engine, result, since)
            failed |= bool(problems) or bool(result["errors"])
            floor = result["floor"]
            line = (
                f"{n} clients, {result['seconds']:.0f} s ({mode}): "
                f"server CPU {result['cpu_ms_per_event']:.1f} ms/event"
                + (
                    f" = {result['cpu_ms_per_event'] / floor['cpu_ms_per_event']:.1f}x floor"
                    if floor
                    else ""
                )
                + f" (server core {100 * result['cpu_busy']:.0f}% busy), "
                f"{result['events_per_s']:.1f} events/s, p50 {result['p50']:.0f} ms, "
                f"p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms, "
                f"errors {sum(result['errors'].values())}, conflicts {result['conflicts']}, "
                f"moves {len(result['moves'])}, filed {len(result['filed'])}, "
                f"replies {len(result['replies'])}, "
                f"RSS +{result['rss_per_client_kib']:.0f} KiB/client "
                f"({result['rss_after_mib']:.0f} MiB), client state "
                f"{result['state_bytes_median'] / 1024:.1f} KiB median, "
                f"{result['state_bytes_max'] / 1024:.1f} KiB max, "
                f"sign-in of all clients {result['sign_in_s']:.0f} s"
            )
            lines.append(line)
            details = []
            if floor:
                details.append(
                    f"    floor (no-op)      n={floor['events']:<5} p95 {floor['p95']:7.1f} ms"
                    f"  server CPU {floor['cpu_ms_per_event']:.2f} ms/event, "
                    f"{floor['events_per_s']:.1f} events/s, errors {floor['errors']}"
                )
            details += [
                f"    {kind:<18} n={count:<5} median {med:7.1f} ms  p95 {p95:7.1f} ms"
                + (f" = {p95 / floor['p95']:5.1f}x floor p95" if floor else "")
                for kind, (count, med, p95) in sorted(result["by_kind"].items())
            ]
            if result["errors"]:
                details.append(f"    errors: {result['errors']}")
            details.append("    invariants: " + ("; ".join(problems) if problems else "all hold"))
            if profile and profile.exists():
                details += ["    profile (share of samples, inclusive):", *hottest(profile)]
            print("\n".join([line, *details]), flush=True)
            lines += details
    finally:
        stop_server(server)
        engine.dispose()
    if not args.no_record:
        _append_results(mode, lines)
    return 1 if failed else 0


def _append_results(mode: str, lines: list[str]) -> None:
    """Append this run to tests/bench/LOAD_RESULTS.md (with the machine's description)."""
    from tests.bench.harness import machine

    path = Path(__file__).resolve().parent / "LOAD_RESULTS.md"
    head = "" if path.exists() else "# Load test results (`make load`)\n"
    block = "\n".join([head, f"## {mode}", "", *machine(), "", "```", *lines, "```", ""])
    with path.open("a") as fh:
        fh.write(block)


if __name__ == "__main__":
    raise SystemExit(main())
