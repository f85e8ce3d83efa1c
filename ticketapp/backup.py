"""Online backup of the SQLite database (safe while the app is serving)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValueError("backup works on a SQLite file; for PostgreSQL use pg_dump (see README)")
    return Path(url.database)


def backup_sqlite(database_url: str, destination: Path | None = None) -> Path:
    """Copy the live database with SQLite's online backup API, then verify the copy."""
    source_path = sqlite_path(database_url)
    if destination is None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        destination = source_path.parent / "backups" / f"ticketapp-{stamp}.db"
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
        (result,) = target.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise RuntimeError(f"backup failed its integrity check: {result}")
    finally:
        target.close()
        source.close()
    return destination
