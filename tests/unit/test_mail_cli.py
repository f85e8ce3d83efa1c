"""`python -m ticketapp ingest-mail` as a mail server's pipe transport runs it: a real process,
the message on stdin, the outcome on stderr, 0 unless the message must be retried."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "mail"
ROOT = Path(__file__).parent.parent.parent


def run(args: list[str], env: dict, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ticketapp", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_pipe_transport_stores_drops_and_asks_for_retry(tmp_path):
    env = {
        **os.environ,
        "TICKETAPP_DATA_DIR": str(tmp_path),
        "TICKETAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "TICKETAPP_SCHEDULER": "0",
    }
    env.pop("TICKETAPP_SMTP_HOST", None)
    assert run(["migrate"], env, b"").returncode == 0
    plain = (DATA / "plain.eml").read_bytes()
    stored = run(["ingest-mail", "--mailbox", "support"], env, plain)
    assert stored.returncode == 0 and stored.stderr.decode().startswith("created #1001")
    again = run(["ingest-mail"], env, plain)
    assert (
        again.returncode == 0 and "Already received (the same Message-ID)" in again.stderr.decode()
    )
    bounce = run(["ingest-mail"], env, (DATA / "bounce.eml").read_bytes())
    assert bounce.returncode == 0 and "dropped: Bounce" in bounce.stderr.decode()
    broken = run(["ingest-mail"], env, (DATA / "malformed.eml").read_bytes())
    assert broken.returncode == 0 and broken.stderr.decode().startswith("quarantined")
    down = {**env, "TICKETAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'x.db'}"}
    retry = run(["ingest-mail"], down, plain)
    assert retry.returncode == 75 and "retry later" in retry.stderr.decode()
