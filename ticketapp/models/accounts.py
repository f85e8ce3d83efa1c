"""Tables of account security: password resets, two-factor sign-in, the security audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from ticketapp.models.core import utcnow

# --- password reset (services/password_reset.py) ---------------------------------------------


class PasswordReset(SQLModel, table=True):
    """A reset request. Kept for unknown addresses too (user_id None, never usable), so that the
    per-address rate limit counts every request. Only an HMAC of the token is stored."""

    __tablename__ = "password_reset"
    __table_args__ = (Index("ix_password_reset_email_created", "email", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


# --- two-factor sign-in and the security audit log (services/two_factor.py, security_log.py) ---


class TwoFactor(SQLModel, table=True):
    """A user's TOTP secret. `enabled_at` is set once they confirmed it with a first code."""

    __tablename__ = "two_factor"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    secret: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    enabled_at: datetime | None = None
    # The time step of the last code accepted: a code works once (RFC 6238, 5.2).
    last_step: int = Field(default=0)


class RecoveryCode(SQLModel, table=True):
    """A single-use recovery code; only an HMAC of it is stored."""

    __tablename__ = "recovery_code"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = None


class TrustedDevice(SQLModel, table=True):
    """A browser that may skip the second step until `expires_at` (30 days at most)."""

    __tablename__ = "trusted_device"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class AppSetting(SQLModel, table=True):
    """Team-wide switches a manager sets (e.g. "require_staff_2fa")."""

    __tablename__ = "app_setting"
    key: str = Field(max_length=60, primary_key=True)
    value: str = Field(default="", max_length=200)


class SecurityEvent(SQLModel, table=True):
    """One security-relevant act. Append-only: services never update or delete a row (only the
    scheduler prunes rows older than the retention)."""

    __tablename__ = "security_event"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor_email: str = Field(default="", max_length=254)
    action: str = Field(max_length=60, index=True)
    target: str = Field(default="", max_length=300)
    detail: str = Field(default="", max_length=1000)
    ip: str = Field(default="", max_length=64)
