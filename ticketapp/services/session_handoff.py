"""How a new session reaches the browser as an HttpOnly cookie.

Sign-in runs over the websocket, which cannot set a cookie. So the sign-in handler hands the
page a one-time code (good for a minute) instead of the token; the page posts it to
/auth/session (ticketapp/session_cookie.py), whose answer sets the cookie. Redeeming re-draws
the session token (and the remembered device's, if any), so what passed through the page is
never a credential after its first use, and a code works once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from ticketapp.config import settings
from ticketapp.models import AuthSession, SessionHandoff, TrustedDevice, utcnow
from ticketapp.services import auth, devices

CODE_LIFETIME = timedelta(minutes=1)


def _code_hash(code: str) -> str:
    key = (settings.secret_key + ":handoff").encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def hand_off(session: Session, token: str, device_token: str = "") -> str:
    """A one-time code for the session `token` (and the remembered device `device_token`)."""
    row = session.exec(
        select(AuthSession).where(AuthSession.token_hash == auth.token_hash(token))
    ).one()
    device = None
    if device_token:
        device_hash = devices.token_hash(device_token)
        device = session.exec(
            select(TrustedDevice).where(TrustedDevice.token_hash == device_hash)
        ).one()
    code = secrets.token_urlsafe(32)
    now = utcnow()
    session.exec(delete(SessionHandoff).where(col(SessionHandoff.expires_at) < now))  # type: ignore[call-overload]
    session.add(
        SessionHandoff(
            code_hash=_code_hash(code),
            session_id=row.id,
            device_id=device.id if device else None,
            expires_at=now + CODE_LIFETIME,
        )
    )
    return code


def redeem(session: Session, code: str) -> tuple[str, str] | None:
    """The session token and device token ("" if none) for the browser, or None when the code
    is unknown, used or expired. The tokens are new: the ones before are no longer valid."""
    if not isinstance(code, str) or not code or len(code) > 200:
        return None
    handoff = session.exec(
        select(SessionHandoff).where(SessionHandoff.code_hash == _code_hash(code))
    ).first()
    if handoff is None:
        return None
    session.delete(handoff)
    auth_row = session.get(AuthSession, handoff.session_id)
    if handoff.expires_at <= utcnow() or auth_row is None:
        return None
    token = secrets.token_urlsafe(32)
    auth_row.token_hash = auth.token_hash(token)
    session.add(auth_row)
    device_token = ""
    device = session.get(TrustedDevice, handoff.device_id) if handoff.device_id else None
    if device is not None:
        device_token = secrets.token_urlsafe(32)
        device.token_hash = devices.token_hash(device_token)
        session.add(device)
    return token, device_token
