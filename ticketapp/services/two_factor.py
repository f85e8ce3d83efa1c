"""Two-factor sign-in (TOTP, RFC 6238) with single-use recovery codes, remembered devices, and
the team switch that requires it of staff. Sign-in goes through `sign_in` (the password) and,
when the user enrolled, `second_step` (a code or a recovery code); both count failures towards
the same lockout as a wrong password (services/auth.py) and write the security log.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import pyotp
import segno
from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from ticketapp import i18n
from ticketapp.config import settings
from ticketapp.i18n import N_, _
from ticketapp.models import STAFF_ROLES, AppSetting, RecoveryCode, TwoFactor, User, utcnow
from ticketapp.services import auth, devices, security_log
from ticketapp.services.actor import Actor, require_manager, require_role
from ticketapp.services.errors import ServiceError, ValidationError

ISSUER = "ticketapp"
RECOVERY_CODES = 10
STEP_SECONDS = 30
REQUIRE_STAFF_KEY = "require_staff_2fa"
SIGN_IN_AGAIN = N_("Your sign-in expired. Enter your email and password again.")
CODE_REFUSED = N_("That code is not valid. Try the current code from your app.")
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


# --- codes ---------------------------------------------------------------------------------


def _clean_code(code: object) -> str:
    return re.sub(r"[\s-]", "", str(code or "")).lower()[:40]


def _accept_totp(row: TwoFactor, code: object, now_ts: float) -> bool:
    """A code of the current step or one step either side (clock drift), never one of a step
    already used (a code works once)."""
    code = _clean_code(code)
    if not re.fullmatch(r"\d{6}", code):
        return False
    totp = pyotp.TOTP(row.secret)
    current = int(now_ts) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if step > row.last_step and hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            row.last_step = step
            return True
    return False


def _recovery_hash(code: str) -> str:
    key = (settings.secret_key + ":recovery").encode()
    return hmac.new(key, _clean_code(code).encode(), hashlib.sha256).hexdigest()


def _new_recovery_codes(session: Session, user_id: int) -> list[str]:
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))  # type: ignore[call-overload]
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _k in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        session.add(RecoveryCode(user_id=user_id, code_hash=_recovery_hash(code)))
        codes.append(code)
    return codes


def _use_recovery_code(session: Session, user_id: int, code: object) -> bool:
    cleaned = _clean_code(code)
    if len(cleaned) != 10:
        return False
    row = session.exec(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == _recovery_hash(cleaned),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if row is None:
        return False
    row.used_at = utcnow()
    session.add(row)
    return True


# --- status and enrolment ------------------------------------------------------------------


def _row(session: Session, user_id: int) -> TwoFactor | None:
    return session.get(TwoFactor, user_id)


def is_enabled(session: Session, user_id: int) -> bool:
    row = _row(session, user_id)
    return row is not None and row.enabled_at is not None


@dataclass(frozen=True)
class Status:
    enabled: bool
    recovery_left: int
    required: bool  # the team requires it of this user (staff, switch on)


def status(session: Session, actor: Actor) -> Status:
    actor = require_role(actor, *STAFF_ROLES, "requester")
    left = session.exec(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == actor.id, col(RecoveryCode.used_at).is_(None))
    ).one()
    required = actor.is_staff and required_for_staff(session)
    return Status(enabled=is_enabled(session, actor.id), recovery_left=left, required=required)


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str
    qr_data_uri: str  # an SVG QR code as a data: URI (made here; no outside service)


def start_enrolment(session: Session, actor: Actor) -> Enrolment:
    """A fresh secret, not active until `confirm_enrolment` sees a code made from it."""
    actor = require_role(actor, *STAFF_ROLES, "requester")
    row = _row(session, actor.id)
    if row is not None and row.enabled_at is not None:
        raise ServiceError("Two-factor sign-in is already on.")
    secret = pyotp.random_base32()
    if row is None:
        row = TwoFactor(user_id=actor.id, secret=secret)
    row.secret, row.created_at, row.last_step = secret, utcnow(), 0
    session.add(row)
    uri = pyotp.TOTP(secret).provisioning_uri(name=actor.email, issuer_name=ISSUER)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff", border=2)
    return Enrolment(secret=secret, uri=uri, qr_data_uri=qr)


def confirm_enrolment(
    session: Session, actor: Actor, code: object, now_ts: float | None = None
) -> list[str]:
    """Turn two-factor on with a first code; returns the recovery codes (shown once)."""
    actor = require_role(actor, *STAFF_ROLES, "requester")
    row = _row(session, actor.id)
    if row is None or row.enabled_at is not None:
        raise ServiceError("Start the set-up again.")
    if not _accept_totp(row, code, utcnow().timestamp() if now_ts is None else now_ts):
        raise ValidationError(CODE_REFUSED, "code")
    row.enabled_at = utcnow()
    session.add(row)
    security_log.record(session, "two_factor_enabled", actor, target=actor.email)
    return _new_recovery_codes(session, actor.id)


def _check_code_or_password(
    session: Session, actor: Actor, row: TwoFactor, proof: object, now_ts: float | None
) -> None:
    user = session.get(User, actor.id)
    assert user is not None
    now = utcnow().timestamp() if now_ts is None else now_ts
    if _accept_totp(row, proof, now):
        return
    if isinstance(proof, str) and auth.verify_password(proof, user.password_hash):
        return
    raise ValidationError("Enter a current code from your app, or your password.", "proof")


def disable(session: Session, actor: Actor, proof: object, now_ts: float | None = None) -> None:
    """Turn two-factor off (asks for a current code or the password); forgets the recovery
    codes and every remembered device."""
    actor = require_role(actor, *STAFF_ROLES, "requester")
    row = _row(session, actor.id)
    if row is None or row.enabled_at is None:
        raise ServiceError("Two-factor sign-in is already off.")
    _check_code_or_password(session, actor, row, proof, now_ts)
    session.delete(row)
    session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == actor.id))  # type: ignore[call-overload]
    devices.forget_all(session, actor.id)
    security_log.record(session, "two_factor_disabled", actor, target=actor.email)


def renew_recovery_codes(
    session: Session, actor: Actor, proof: object, now_ts: float | None = None
) -> list[str]:
    actor = require_role(actor, *STAFF_ROLES, "requester")
    row = _row(session, actor.id)
    if row is None or row.enabled_at is None:
        raise ServiceError("Turn on two-factor sign-in first.")
    _check_code_or_password(session, actor, row, proof, now_ts)
    security_log.record(session, "recovery_codes_renewed", actor, target=actor.email)
    return _new_recovery_codes(session, actor.id)


# --- the team switch -------------------------------------------------------------------------


def required_for_staff(session: Session) -> bool:
    row = session.get(AppSetting, REQUIRE_STAFF_KEY)
    return row is not None and row.value == "1"


def set_required_for_staff(session: Session, actor: Actor, required: bool) -> None:
    """Managers are staff too: one who turns this on must have two-factor on already, or the
    switch would shut them out of everything but enrolment."""
    require_manager(actor)
    if required is True and not is_enabled(session, actor.id):
        raise ValidationError("Turn on two-factor sign-in for yourself first.", "require_2fa")
    row = session.get(AppSetting, REQUIRE_STAFF_KEY) or AppSetting(key=REQUIRE_STAFF_KEY)
    value = "1" if required is True else "0"
    if row.value != value:
        required_now = value == "1"
        detail = i18n.later("required for staff") if required_now else i18n.later("optional")
        security_log.record(session, "two_factor_required", actor, detail=detail)
    row.value = value
    session.add(row)


def enabled_user_ids(session: Session, actor: Actor) -> set[int]:
    """Who has two-factor on (managers: the users page shows it)."""
    require_manager(actor)
    rows = session.exec(select(TwoFactor.user_id).where(col(TwoFactor.enabled_at).is_not(None)))
    return set(rows.all())


def must_enrol(session: Session, user: User) -> bool:
    """Staff who must turn two-factor on before they may do anything else."""
    return (
        user.role in STAFF_ROLES
        and required_for_staff(session)
        and not is_enabled(session, user.id)
    )


# --- sign-in -------------------------------------------------------------------------------


def _finish(session: Session, user: User, user_agent: str, ip: str) -> auth.SignInResult:
    auth.clear_failures(session, user.email)
    security_log.record(session, "sign_in", Actor.of(user), target=user.email, ip=ip)
    token = auth.start_session(session, user, user_agent)
    return auth.SignInResult(token=token, role=user.role)


def _refused(session: Session, email: str, exc: ServiceError, ip: str) -> auth.SignInResult:
    action = "lockout" if isinstance(exc, auth.AccountLocked) else "sign_in_failed"
    security_log.record(session, action, actor_email=auth.normalize_email(email)[:254], ip=ip)
    return auth.SignInResult(error=exc.message)


def sign_in(
    session: Session,
    email: str,
    password: str,
    user_agent: str = "",
    ip: str = "",
    device_token: str = "",
) -> auth.SignInResult:
    """The first step. Without two-factor (or on a remembered device) this starts the session;
    otherwise it answers `pending_user_id` and `second_step` follows. A refusal is returned,
    not raised, so that the caller's transaction commits the failure the lockout counts."""
    try:
        user = auth.authenticate(session, email, password, reset_failures=False)
    except ServiceError as exc:
        return _refused(session, email, exc, ip)
    if is_enabled(session, user.id) and not devices.is_remembered(session, user.id, device_token):
        return auth.SignInResult(pending_user_id=user.id, role=user.role)
    return _finish(session, user, user_agent, ip)


def second_step(
    session: Session,
    user_id: int,
    code: str,
    remember: bool = False,
    user_agent: str = "",
    ip: str = "",
    now_ts: float | None = None,
) -> auth.SignInResult:
    """A TOTP code or a recovery code for the user who passed `sign_in` (the caller keeps
    `user_id` server-side). Wrong codes count towards the lockout."""
    user = session.get(User, int(user_id))
    row = _row(session, user.id) if user else None
    if user is None or not user.is_active or row is None or row.enabled_at is None:
        return auth.SignInResult(error=_(SIGN_IN_AGAIN))
    now = utcnow()
    try:
        auth.check_not_locked(session, user.email, now)
    except auth.AccountLocked as exc:
        return _refused(session, user.email, exc, ip)
    if _accept_totp(row, code, now.timestamp() if now_ts is None else now_ts):
        session.add(row)
    elif _use_recovery_code(session, user.id, code):
        security_log.record(session, "recovery_code_used", Actor.of(user), target=user.email)
    else:
        auth.count_failure(session, user.email, now)
        security_log.record(session, "two_factor_failed", actor_email=user.email, ip=ip)
        return auth.SignInResult(error=_(CODE_REFUSED), pending_user_id=user.id)
    result = _finish(session, user, user_agent, ip)
    if remember is True:
        return auth.SignInResult(
            token=result.token, role=result.role, device_token=devices.remember(session, user.id)
        )
    return result
