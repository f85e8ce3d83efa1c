"""Passwords, sign-in with lockout, server-side sessions, and user administration."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

from passlib.context import CryptContext
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ticketapp.config import settings
from ticketapp.i18n import N_, _n
from ticketapp.models import AuthSession, LoginAttempt, Role, User, utcnow
from ticketapp.services import abuse, devices, organisations, security_log
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import NotFound, ServiceError, ValidationError

# OWASP's argon2id parameters: 19 MiB memory, 2 iterations, 1 lane.
_pwd = CryptContext(
    schemes=["argon2"],
    argon2__type="ID",
    argon2__memory_cost=19456,
    argon2__time_cost=2,
    argon2__parallelism=1,
)

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
SIGN_IN_FAILED = N_("Wrong email or password.")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Hash of a random password, checked when the email is unknown so timing does not tell.
_DUMMY_HASH = _pwd.hash(secrets.token_urlsafe(16))


class AccountLocked(ServiceError):
    pass


def hash_password(password: str) -> str:
    return _pwd.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _pwd.verify(password, password_hash)
    except ValueError:
        return False


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("ticketapp").joinpath("data/common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def check_password_strength(password: str, email: str = "") -> None:
    """NIST 800-63B: a minimum length and a block list, no composition rules."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "Use at least {n} characters. A passphrase works well.",
            "password",
            n=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError("That password is too long.", "password")
    lowered = password.lower()
    if lowered in _common_passwords() or (email and lowered == email.lower()):
        raise ValidationError(
            "That password is too common and easy to guess. Choose another.", "password"
        )


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def validate_email(email: str) -> str:
    email = normalize_email(email)
    if not email:
        raise ValidationError("Enter your email address.", "email")
    if len(email) > 254 or not _EMAIL_RE.match(email):
        raise ValidationError("Enter a valid email address, like name@example.com.", "email")
    return email


def validate_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("Enter a name.", "name")
    if len(name) > 120:
        raise ValidationError("Keep the name under 120 characters.", "name")
    return name


def _new_user(session: Session, email: str, name: str, password: str, role: str) -> User:
    email = validate_email(email)
    name = validate_name(name)
    if role not in set(Role):
        raise ValidationError("Choose a role.", "role")
    check_password_strength(password, email)
    if session.exec(select(User).where(User.email == email)).first():
        raise ValidationError("An account with this email already exists.", "email")
    user = User(email=email, name=name, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    organisations.join_by_domain(session, user)  # ORGS: a matching e-mail domain
    return user


def sign_up(session: Session, email: str, name: str, password: str) -> User:
    """Self-service sign-up always makes a requester (a few a minute per network address)."""
    abuse.check_sign_up(session, security_log.current_ip())
    user = _new_user(session, email, name, password, Role.REQUESTER)
    security_log.record(session, "signed_up", None, actor_email=user.email, target=user.email)
    return user


def create_user(
    session: Session, actor: Actor | None, email: str, name: str, password: str, role: str
) -> User:
    """Managers create any role. `actor=None` is the CLI bootstrap (trusted shell access)."""
    if actor is not None:
        require_manager(actor)
    user = _new_user(session, email, name, password, role)
    security_log.record(session, "user_created", actor, target=user.email, detail=role)
    return user


# --- sign-in and lockout -------------------------------------------------------------------


def _recent_failures(session: Session, email: str, now: datetime) -> list[datetime]:
    rows = session.exec(
        select(LoginAttempt.created_at)
        .where(LoginAttempt.email == email, LoginAttempt.created_at > now - LOCKOUT_WINDOW)
        .order_by(col(LoginAttempt.created_at).desc())
        .limit(LOCKOUT_FAILURES)
    ).all()
    return list(rows)


def lockout_remaining(session: Session, email: str, now: datetime | None = None) -> timedelta:
    """How long sign-in stays refused: 15 minutes after the 5th failure within 15 minutes."""
    now = now or utcnow()
    failures = _recent_failures(session, normalize_email(email), now)
    if len(failures) < LOCKOUT_FAILURES:
        return timedelta(0)
    return max(timedelta(0), failures[0] + LOCKOUT_WINDOW - now)


def check_not_locked(session: Session, email: str, now: datetime) -> None:
    """Raise AccountLocked while the address is locked out (both sign-in steps count)."""
    remaining = lockout_remaining(session, email, now)
    if remaining:
        minutes = max(1, round(remaining.total_seconds() / 60))
        raise AccountLocked(  # already in the reader's language: the plural depends on n
            _n(
                "Too many failed sign-in attempts. Try again in {n} minute.",
                "Too many failed sign-in attempts. Try again in {n} minutes.",
                minutes,
            )
        )


def count_failure(session: Session, email: str, now: datetime) -> None:
    """One failed attempt (a wrong password or a wrong second-step code)."""
    session.add(LoginAttempt(email=normalize_email(email), created_at=now))


def clear_failures(session: Session, email: str) -> None:
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.email) == normalize_email(email)))  # type: ignore[call-overload]


def authenticate(
    session: Session, email: str, password: str, *, reset_failures: bool = True
) -> User:
    """Return the user, or raise. Unknown email and wrong password read the same.
    `reset_failures=False` keeps the failure count (a second sign-in step is still to come)."""
    email = normalize_email(email)
    now = utcnow()
    check_not_locked(session, email, now)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password, user.password_hash if user else _DUMMY_HASH)
    if not (user and ok and user.is_active):
        count_failure(session, email, now)
        raise ServiceError(SIGN_IN_FAILED)
    if reset_failures:
        clear_failures(session, email)
    if _pwd.needs_update(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.add(user)
    return user


@dataclass(frozen=True)
class SignInResult:
    token: str = ""
    role: str = ""
    error: str = ""
    # Set when the password was right and a second step (a code) is due for this user.
    pending_user_id: int = 0
    device_token: str = ""


def change_password(session: Session, actor: Actor, current: str, new: str) -> None:
    """The actor's own password. Forgets their remembered devices and other sessions."""
    user = session.get(User, actor.id)
    if user is None or not verify_password(current, user.password_hash):
        raise ValidationError("That is not your current password.", "current_password")
    check_password_strength(new, user.email)
    user.password_hash = hash_password(new)
    session.add(user)
    devices.forget_all(session, user.id)
    security_log.record(session, "password_changed", actor, target=user.email)


# --- sessions ------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hmac.new(settings.secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()


def start_session(session: Session, user: User, user_agent: str = "") -> str:
    """Create a server-side session; return the token for the browser (256 random bits)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        AuthSession(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
            user_agent=user_agent[:300],
        )
    )
    session.flush()
    return token


def _look_up_session(session: Session, token: str) -> tuple[AuthSession | None, User | None, str]:
    """The token's session row, its active user (None if none), and what resolving it must
    write: "delete" (expired), "touch" (the idle clock, at most once a minute) or ""."""
    if not token or len(token) > 200:
        return None, None, ""
    row = session.exec(
        select(AuthSession).where(AuthSession.token_hash == token_hash(token))
    ).first()
    if row is None:
        return None, None, ""
    now = utcnow()
    idle_limit = timedelta(minutes=settings.session_idle_minutes)
    if row.expires_at <= now or row.last_seen_at + idle_limit <= now:
        return row, None, "delete"
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return row, None, ""
    return row, user, "touch" if now - row.last_seen_at > timedelta(minutes=1) else ""


def resolve_session(session: Session, token: str) -> User | None:
    """The active user behind a token, or None. Touches the idle clock (at most once a minute)."""
    row, user, write = _look_up_session(session, token)
    if row is not None and write == "delete":
        session.delete(row)
    elif row is not None and write == "touch":
        row.last_seen_at = utcnow()
        session.add(row)
    return user


def peek_session(session: Session, token: str) -> tuple[User | None, bool]:
    """`resolve_session` in a read-only transaction: the user, and whether `resolve_session`
    has something to write (then call it; its answer counts). Most events only read."""
    _, user, write = _look_up_session(session, token)
    return user, bool(write)


def end_session(session: Session, token: str) -> None:
    if token:
        session.exec(delete(AuthSession).where(col(AuthSession.token_hash) == token_hash(token)))  # type: ignore[call-overload]


def end_all_sessions(session: Session, user_id: int) -> None:
    session.exec(delete(AuthSession).where(col(AuthSession.user_id) == user_id))  # type: ignore[call-overload]


# --- user administration (managers) --------------------------------------------------------


def list_users(session: Session, actor: Actor, query: str = "") -> list[User]:
    require_manager(actor)
    stmt = select(User).order_by(User.role, User.name)
    if query.strip():
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(func.lower(User.name).like(like) | col(User.email).like(like))
    return list(session.exec(stmt).all())


def _managed_user(session: Session, actor: Actor, user_id: int) -> User:
    require_manager(actor)
    try:
        user = session.get(User, int(user_id))
    except (TypeError, ValueError):
        user = None
    if user is None:
        raise NotFound("That user no longer exists.")
    return user


def _other_active_managers(session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.MANAGER, User.is_active, User.id != user_id)
    ).one()


def change_role(session: Session, actor: Actor, user_id: int, role: str) -> User:
    user = _managed_user(session, actor, user_id)
    if role not in set(Role):
        raise ValidationError("Choose a role.", "role")
    if (
        user.role == Role.MANAGER
        and role != Role.MANAGER
        and not _other_active_managers(session, user.id)
    ):
        raise ValidationError("The last active manager cannot lose the manager role.", "role")
    if user.role != role:
        detail = f"{user.role} -> {role}"
        security_log.record(session, "role_changed", actor, target=user.email, detail=detail)
    user.role = role
    session.add(user)
    return user


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    user = _managed_user(session, actor, user_id)
    if not active and user.id == actor.id:
        raise ValidationError("You cannot deactivate your own account.")
    if not active and user.role == Role.MANAGER and not _other_active_managers(session, user.id):
        raise ValidationError("The last active manager cannot be deactivated.")
    if user.is_active != active:
        action = "user_activated" if active else "user_deactivated"
        security_log.record(session, action, actor, target=user.email)
    user.is_active = active
    session.add(user)
    if not active:
        end_all_sessions(session, user.id)
    return user


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalize_email(email))).first()
