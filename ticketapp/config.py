"""Settings read from the environment, in one place.

TICKETAPP_DATABASE_URL  SQLAlchemy URL; default: SQLite file under ./data/
REDIS_URL               optional; Reflex state and change broadcasts across workers
PORT                    HTTP port of the production server (default 3000)
TICKETAPP_DEMO          "1" seeds demo data into an empty database
TICKETAPP_SECRET_KEY    HMAC key for session tokens; generated under ./data/ when unset
TICKETAPP_DATA_DIR      where the SQLite file, secret key and attachments live (default ./data)
TICKETAPP_TIMEZONE      IANA time zone analytics cut days in (default UTC)
TICKETAPP_SCHEDULER     "0" turns the in-app scheduler (SLA escalation) off; default on
TICKETAPP_SCHEDULER_INTERVAL  seconds between scheduler ticks (default 60)
TICKETAPP_TEST_CLOCK    "1" (tests only): TICKETAPP_CLOCK_FILE holds an SLA clock offset in seconds
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _data_dir() -> Path:
    return Path(os.environ.get("TICKETAPP_DATA_DIR", "data")).resolve()


def _secret_key(data_dir: Path) -> str:
    key = os.environ.get("TICKETAPP_SECRET_KEY")
    if key:
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=_data_dir)
    database_url: str = ""
    redis_url: str = ""
    demo: bool = False
    session_idle_minutes: int = 12 * 60
    session_absolute_hours: int = 14 * 24
    auto_close_days: int = 7
    timezone: str = "UTC"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def secret_key(self) -> str:
        return _secret_key(self.data_dir)


def load_settings() -> Settings:
    data_dir = _data_dir()
    return Settings(
        data_dir=data_dir,
        database_url=os.environ.get(
            "TICKETAPP_DATABASE_URL", f"sqlite:///{data_dir / 'ticketapp.db'}"
        ),
        redis_url=os.environ.get("REDIS_URL", ""),
        demo=_env_flag("TICKETAPP_DEMO"),
        session_idle_minutes=int(os.environ.get("TICKETAPP_SESSION_IDLE_MINUTES", 12 * 60)),
        session_absolute_hours=int(os.environ.get("TICKETAPP_SESSION_ABSOLUTE_HOURS", 14 * 24)),
        auto_close_days=int(os.environ.get("TICKETAPP_AUTO_CLOSE_DAYS", 7)),
        timezone=os.environ.get("TICKETAPP_TIMEZONE", "").strip() or "UTC",
    )


settings = load_settings()
