"""Password reset by e-mail: a single-use token valid for an hour, of which only an HMAC is
stored. Asking reads the same whether or not the address has an account (a row is written and
a token made either way, so the work and the answer are alike); at most RATE_LIMIT requests per
address an hour reach the outbox. Choosing a new password follows the sign-up rules, uses up
every open token of the user and ends all of their sessions."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import delete, update
from sqlmodel import Session, col, func, select

from ticketapp import i18n
from ticketapp.config import base_url, settings
from ticketapp.models import LoginAttempt, OutboxMessage, PasswordReset, User, utcnow
from ticketapp.services import auth, devices, security_log
from ticketapp.services.errors import ValidationError

VALID_FOR = timedelta(hours=1)
RATE_LIMIT = 3  # requests per address per RATE_WINDOW
RATE_WINDOW = timedelta(hours=1)
MAX_TOKEN = 200
BAD_LINK = i18n.N_("This reset link is invalid, used or expired. Ask for a new one.")


def _hash(token: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, b"reset:" + token.encode(), hashlib.sha256).hexdigest()


def reset_url(token: str) -> str:
    return f"{base_url()}/reset?token={quote(token)}"


def _recent_requests(session: Session, email: str, now: datetime) -> int:
    return session.exec(
        select(func.count())
        .select_from(PasswordReset)
        .where(PasswordReset.email == email, PasswordReset.created_at > now - RATE_WINDOW)
    ).one()


def _mail(session: Session, user: User, token: str, now: datetime) -> None:
    with i18n.using(user.locale):
        subject = i18n._("Reset your ticketapp password")
        body = i18n._(
            "Someone (hopefully you) asked to reset the password of the ticketapp account "
            "{email}.\n\nChoose a new password here; the link works once, for one hour:\n"
            "{url}\n\nIf you did not ask for this, ignore this e-mail: your password stays "
            "as it is.",
            email=user.email,
            url=reset_url(token),
        )
    session.add(
        OutboxMessage(
            to_addr=user.email,
            subject=subject,
            body=body,
            dedupe_key=f"password-reset-{uuid.uuid4().hex}",
            next_attempt_at=now,
        )
    )


def request_reset(session: Session, email: object, now: datetime | None = None) -> None:
    """Ask for a reset link. Raises only for a malformed address; otherwise the caller shows
    the same answer whatever happened (sent, unknown address, rate-limited)."""
    address = auth.validate_email(str(email or ""))
    now = now or utcnow()
    if _recent_requests(session, address, now) >= RATE_LIMIT:
        return
    user = auth.get_user_by_email(session, address)
    usable = user is not None and user.is_active
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(
            email=address,
            user_id=user.id if usable and user else None,
            token_hash=_hash(token),
            created_at=now,
            expires_at=now + VALID_FOR,
        )
    )
    if usable and user is not None:
        _mail(session, user, token, now)
    session.flush()


def _usable(session: Session, token: object, now: datetime) -> PasswordReset | None:
    text = str(token or "")
    if not text or len(text) > MAX_TOKEN:
        return None
    row = session.exec(select(PasswordReset).where(PasswordReset.token_hash == _hash(text))).first()
    if row is None or row.user_id is None or row.used_at is not None or row.expires_at <= now:
        return None
    return row


def token_is_valid(session: Session, token: object) -> bool:
    """For the reset page: whether to show the form or "ask for a new link"."""
    return _usable(session, token, utcnow()) is not None


def reset_password(
    session: Session, token: object, password: object, now: datetime | None = None
) -> User:
    """Set a new password with a token from the e-mail; ends every session of the user."""
    now = now or utcnow()
    row = _usable(session, token, now)
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.is_active:
        raise ValidationError(BAD_LINK, "token")
    new_password = str(password or "")
    auth.check_password_strength(new_password, user.email)
    user.password_hash = auth.hash_password(new_password)
    session.add(user)
    session.execute(
        update(PasswordReset)
        .where(col(PasswordReset.user_id) == user.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
    )
    session.execute(delete(LoginAttempt).where(col(LoginAttempt.email) == user.email))
    auth.end_all_sessions(session, user.id)  # type: ignore[arg-type]
    devices.forget_all(session, user.id)  # type: ignore[arg-type]
    security_log.record(
        session, "password_changed", actor_email=user.email, target=user.email, detail="reset"
    )
    session.flush()
    return user
