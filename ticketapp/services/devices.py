"""Remembered devices: a browser that passed the second sign-in step may skip it for 30 days.

The browser keeps a random token; only its HMAC is stored, with an expiry of at most 30 days.
Every device of a user is forgotten when they turn two-factor off or change their password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from ticketapp.config import settings
from ticketapp.models import TrustedDevice, utcnow

REMEMBER_DAYS = 30


def token_hash(token: str) -> str:
    key = (settings.secret_key + ":device").encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def remember(session: Session, user_id: int) -> str:
    """A new device token for `user_id` (the browser keeps it; we keep its HMAC)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        TrustedDevice(
            user_id=user_id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=REMEMBER_DAYS),
        )
    )
    return token


def is_remembered(session: Session, user_id: int, token: str) -> bool:
    if not token or len(token) > 200:
        return False
    row = session.exec(
        select(TrustedDevice).where(TrustedDevice.token_hash == token_hash(token))
    ).first()
    return row is not None and row.user_id == user_id and row.expires_at > utcnow()


def forget_all(session: Session, user_id: int) -> None:
    session.exec(delete(TrustedDevice).where(col(TrustedDevice.user_id) == user_id))  # type: ignore[call-overload]
