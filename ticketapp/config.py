"""Settings read from the environment, in one place.

TICKETAPP_DATABASE_URL  SQLAlchemy URL; default: SQLite file under ./data/
REDIS_URL               optional; Reflex state and change broadcasts across workers
PORT                    HTTP port of the production server (default 3000)
TICKETAPP_DEMO          "1" seeds demo data into an empty database
TICKETAPP_SECRET_KEY    HMAC key for session tokens; generated under ./data/ when unset
TICKETAPP_DATA_DIR      where the SQLite file, secret key and attachments live (default ./data)
TICKETAPP_ENCRYPTION_KEY  Fernet key for stored secrets (ticketapp/secret_box.py); default:
                        generated into the data directory's encryption_key
TICKETAPP_OUTSIDE_CHANGES_POLL  seconds between looks for other processes' changes
                        (ticketapp/outside_changes.py; default 1)
TICKETAPP_TIMEZONE      IANA time zone analytics cut days in (default UTC)
TICKETAPP_LANGUAGE      the team's language (en, ru, pl, lv): e-mails to people who have not
                        chosen theirs (default en)
TICKETAPP_SCHEDULER     "0" turns the in-app scheduler (SLA escalation) off; default on
TICKETAPP_SCHEDULER_INTERVAL  seconds between scheduler ticks (default 60)
TICKETAPP_TEST_CLOCK    "1" (tests only): TICKETAPP_CLOCK_FILE holds an SLA clock offset in seconds
TICKETAPP_BASE_URL      public address of the app, for links in e-mails (default http://localhost:3000)
TICKETAPP_SMTP_HOST     SMTP server; unset: notifications are in-app only
TICKETAPP_SMTP_PORT     default 587 (465 with ssl, 25 with none)
TICKETAPP_SMTP_TLS      none | starttls | ssl (default starttls)
TICKETAPP_SMTP_USER / TICKETAPP_SMTP_PASSWORD   optional credentials
TICKETAPP_SMTP_FROM     sender address (default ticketapp@localhost)
TICKETAPP_TRUSTED_PROXIES      proxies whose X-Forwarded-For is believed (services/security_log.py)
TICKETAPP_AUDIT_RETENTION_DAYS security audit log retention (default 365)
TICKETAPP_SMTP_FROM     sender address (default ticketapp@localhost); its plus addresses carry the
                        signed reply tokens (support+t1042-<mac>@...): route them to the intake too
TICKETAPP_SMTP_LISTEN   host:port of the optional inbound SMTP listener (channels/smtp_listener.py)
TICKETAPP_MAIL_HOLD_STRANGER_REPLIES  "1": a signed reply from someone not on the ticket is held in
                        the quarantine for review instead of opening a new ticket
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


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    tls: str = "starttls"  # none | starttls | ssl
    user: str = ""
    password: str = ""
    sender: str = "ticketapp@localhost"

    @property
    def enabled(self) -> bool:
        return bool(self.host)


def smtp_settings() -> SmtpSettings:
    """Read on every call, so a test or an operator can change the environment at run time."""
    tls = os.environ.get("TICKETAPP_SMTP_TLS", "starttls").strip().lower()
    if tls not in ("none", "starttls", "ssl"):
        tls = "starttls"
    default_port = {"none": 25, "starttls": 587, "ssl": 465}[tls]
    return SmtpSettings(
        host=os.environ.get("TICKETAPP_SMTP_HOST", "").strip(),
        port=int(os.environ.get("TICKETAPP_SMTP_PORT") or default_port),
        tls=tls,
        user=os.environ.get("TICKETAPP_SMTP_USER", ""),
        password=os.environ.get("TICKETAPP_SMTP_PASSWORD", ""),
        sender=os.environ.get("TICKETAPP_SMTP_FROM", "") or "ticketapp@localhost",
    )


def team_language() -> str:
    """Read on every call (like the SMTP settings); ticketapp.i18n checks the value."""
    return os.environ.get("TICKETAPP_LANGUAGE", "").strip()


def base_url() -> str:
    return os.environ.get("TICKETAPP_BASE_URL", "http://localhost:3000").rstrip("/")


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
