"""`python -m ticketapp backup`: an online copy of a live SQLite database, verified."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from ticketapp.backup import backup_sqlite
from ticketapp.db import make_engine, migrate, session_scope
from ticketapp.services.seed import seed_demo


def test_backup_while_a_writer_holds_a_transaction(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        seed_demo(session)
    writer = sqlite3.connect(tmp_path / "live.db")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE ticket SET title = 'uncommitted' WHERE number = 1001")
    try:
        copy = backup_sqlite(url, tmp_path / "copy.db")
    finally:
        writer.rollback()
        writer.close()
    db = sqlite3.connect(copy)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT count(*) FROM ticket").fetchone()[0] == 80
    assert db.execute("SELECT title FROM ticket WHERE number = 1001").fetchone()[0] != "uncommitted"
    engine.dispose()


def test_cli_backup(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    migrate(url)
    env = {"TICKETAPP_DATABASE_URL": url, "TICKETAPP_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "ticketapp", "backup", "--to", str(tmp_path / "b.db")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Backed up to" in out.stdout and (tmp_path / "b.db").exists()


def test_backup_refuses_postgres():
    with pytest.raises(ValueError):
        backup_sqlite("postgresql+psycopg://postgres@127.0.0.1/test")
