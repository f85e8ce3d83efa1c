"""The shared benchmark harness: every bench module records rows here; `make bench` prints ONE
table at the end and writes it, with the machine's description, to tests/bench/RESULTS.md.

API for a benchmark module (tests/bench/bench_<name>.py):

    from tests.bench.harness import record, measure, ameasure

    def test_my_bench(bench_db):              # fixture from tests/bench/conftest.py:
        ...                                   #   runs once per backend (sqlite, postgres) on the
                                              #   shared data set (tests/bench/datasets.py)
        samples = measure(lambda: work(...), runs=50)            # list of ms
        base = measure(lambda: raw_sql(...), runs=50)
        record("my workload", bench_db.backend, samples, base, baseline="raw SQL")

- `record(workload, backend, samples_ms, baseline_ms, baseline="...")`: `baseline_ms` is a list of
  samples measured in the same run (or None when the workload has none); the table shows both
  medians and their ratio.
- `measure(fn, runs, warmup=3)` / `await ameasure(coro_fn, runs, warmup=3)` time a callable.
- `bench_db` (conftest) gives `.backend`, `.engine`, `.url`, `.data` (datasets.Dataset: user ids,
  counts) and `with bench_db.serving():` which points `ticketapp.db.get_engine()` (hence
  `run_in_session`, the path Reflex handlers take) at that database.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"


@dataclass
class Row:
    workload: str
    backend: str
    median: float
    p95: float
    n: int
    baseline: str
    baseline_median: float | None

    @property
    def ratio(self) -> float | None:
        if self.baseline_median is None or self.baseline_median <= 0:
            return None
        return self.median / self.baseline_median


ROWS: list[Row] = []
NOTES: list[str] = []


def stats(samples_ms: Sequence[float]) -> tuple[float, float]:
    """(median, p95) in ms."""
    ms = sorted(samples_ms)
    if not ms:
        raise ValueError("no samples")
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95


def record(
    workload: str,
    backend: str,
    samples_ms: Sequence[float],
    baseline_ms: Sequence[float] | None = None,
    baseline: str = "",
) -> Row:
    med, p95 = stats(samples_ms)
    base = stats(baseline_ms)[0] if baseline_ms else None
    row = Row(workload, backend, med, p95, len(samples_ms), baseline if base else "", base)
    ROWS.append(row)
    return row


def note(text: str) -> None:
    """A line printed under the table (data-set size, caveats)."""
    if text not in NOTES:
        NOTES.append(text)


def measure(fn: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


async def ameasure(fn: Callable[[], Awaitable[object]], runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        await fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def run(coro):
    return asyncio.run(coro)


# --- the table --------------------------------------------------------------------------------


def table() -> str:
    head = ["workload", "backend", "median ms", "p95 ms", "n", "baseline", "baseline ms", "ratio"]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---", "---", "---:", "---:", "---:", "---", "---:", "---:"]) + "|",
    ]
    for r in ROWS:
        lines.append(
            "| "
            + " | ".join(
                [
                    r.workload,
                    r.backend,
                    f"{r.median:.2f}",
                    f"{r.p95:.2f}",
                    str(r.n),
                    r.baseline or "-",
                    f"{r.baseline_median:.2f}" if r.baseline_median is not None else "-",
                    f"{r.ratio:.1f}x" if r.ratio is not None else "-",
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


# The PostgreSQL server the run used (set when a benchmark first takes it).
postgres_url = ""


def _postgres_version() -> str:
    url = postgres_url
    if not url:
        return "not configured"
    try:
        from ticketapp.db import make_engine

        engine = make_engine(url)
        with engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
        return str(version)
    except Exception as exc:  # the table is still worth writing
        return f"unavailable ({type(exc).__name__})"


def machine() -> list[str]:
    import sqlite3

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return [
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} (commit {commit})",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores visible; RAM {_ram()}",
        f"- OS: {platform.platform()}",
        f"- Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {_postgres_version()}",
        "- Load average when written (1/5/15 min): "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
        + " (other processes share the machine: compare ratios, not absolute times)",
    ]


def report() -> str:
    parts = ["# Benchmark results (`make bench`)", "", *machine(), "", table(), ""]
    if NOTES:
        parts += ["Notes:", "", *(f"- {n}" for n in NOTES), ""]
    return "\n".join(parts)


def write(path: Path = RESULTS_MD) -> str:
    text = report()
    path.write_text(text)
    return text
