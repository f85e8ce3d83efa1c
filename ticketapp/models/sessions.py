"""Sign-in hand-offs: how a session reaches the browser as an HttpOnly cookie."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

__all__ = ["SessionHandoff"]


class SessionHandoff(SQLModel, table=True):
    """A one-time code, good for a minute, that the sign-in page posts to /auth/session; the
    answer sets the session's cookie (and a remembered device's). Only an HMAC of the code is
    stored; the session and device tokens are re-drawn when it is redeemed."""

    __tablename__ = "session_handoff"
    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    session_id: int = Field(foreign_key="auth_session.id", ondelete="CASCADE")
    device_id: int | None = Field(default=None, foreign_key="trusted_device.id", ondelete="CASCADE")
    expires_at: datetime
