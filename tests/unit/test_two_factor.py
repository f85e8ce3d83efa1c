"""Two-factor sign-in with real TOTP codes (pyotp), recovery codes, remembered devices and the
staff requirement, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

from ticketapp.models import RecoveryCode, Role, SecurityEvent, TrustedDevice, User, utcnow
from ticketapp.services import auth, devices, two_factor
from ticketapp.services.actor import Actor
from ticketapp.services.errors import PermissionDenied, ServiceError, ValidationError

PASSWORD = "a long enough passphrase"


def _user(session, email="pat@example.com", role=Role.AGENT) -> Actor:
    user = auth.create_user(session, None, email, "Pat Person", PASSWORD, role)
    session.commit()
    return Actor.of(user)


def _enrol(session, actor: Actor) -> tuple[str, list[str]]:
    enrolment = two_factor.start_enrolment(session, actor)
    session.commit()
    codes = two_factor.confirm_enrolment(session, actor, pyotp.TOTP(enrolment.secret).now())
    session.commit()
    return enrolment.secret, codes


def _actions(session) -> list[str]:
    rows = session.exec(select(SecurityEvent).order_by(SecurityEvent.id)).all()
    return [r.action for r in rows]


def test_enrolment_shows_secret_and_qr_and_needs_a_first_code(session):
    actor = _user(session)
    enrolment = two_factor.start_enrolment(session, actor)
    assert enrolment.qr_data_uri.startswith("data:image/svg+xml")
    assert enrolment.secret in enrolment.uri and "issuer=ticketapp" in enrolment.uri
    session.commit()
    assert not two_factor.is_enabled(session, actor.id)
    with pytest.raises(ValidationError) as exc:
        two_factor.confirm_enrolment(session, actor, "12345x")
    assert exc.value.field == "code"
    codes = two_factor.confirm_enrolment(session, actor, pyotp.TOTP(enrolment.secret).now())
    session.commit()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert two_factor.is_enabled(session, actor.id)
    stored = session.exec(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # hashed, never the codes
    assert "two_factor_enabled" in _actions(session)
    with pytest.raises(ServiceError):
        two_factor.start_enrolment(session, actor)


def test_sign_in_is_two_steps_and_a_code_works_once(session):
    actor = _user(session)
    secret, _codes = _enrol(session, actor)
    first = two_factor.sign_in(session, actor.email, PASSWORD, ip="203.0.113.9")
    assert first.pending_user_id == actor.id and not first.token
    # The enrolment used the current step: the next one is accepted (drift window), once.
    code = pyotp.TOTP(secret).at(time.time() + 30)
    done = two_factor.second_step(session, actor.id, code, ip="203.0.113.9")
    session.commit()
    assert done.token and done.role == Role.AGENT
    assert auth.resolve_session(session, done.token).id == actor.id
    again = two_factor.second_step(session, actor.id, code)
    assert again.error and not again.token
    events = session.exec(select(SecurityEvent).where(SecurityEvent.action == "sign_in")).all()
    assert [e.ip for e in events] == ["203.0.113.9"]


def test_recovery_code_signs_in_once(session):
    actor = _user(session)
    _secret, codes = _enrol(session, actor)
    assert two_factor.second_step(session, actor.id, codes[3].upper()).token
    session.commit()
    assert two_factor.second_step(session, actor.id, codes[3]).error
    assert two_factor.status(session, actor).recovery_left == 9
    assert "recovery_code_used" in _actions(session)


def test_wrong_codes_lock_the_account_like_wrong_passwords(session):
    actor = _user(session)
    secret, _codes = _enrol(session, actor)
    assert two_factor.sign_in(session, actor.email, PASSWORD).pending_user_id
    for _ in range(auth.LOCKOUT_FAILURES):
        assert two_factor.second_step(session, actor.id, "000000").error
        session.commit()
    # Locked: even the right code and the right password are refused now.
    right = pyotp.TOTP(secret).at(time.time() + 30)
    refused = two_factor.second_step(session, actor.id, right)
    assert "Too many" in refused.error
    assert "Too many" in two_factor.sign_in(session, actor.email, PASSWORD).error
    session.commit()
    actions = _actions(session)
    assert actions.count("two_factor_failed") == auth.LOCKOUT_FAILURES
    assert "lockout" in actions


def test_password_again_does_not_reset_the_code_failures(session):
    actor = _user(session)
    _enrol(session, actor)
    for _ in range(auth.LOCKOUT_FAILURES - 1):
        assert two_factor.sign_in(session, actor.email, PASSWORD).pending_user_id
        two_factor.second_step(session, actor.id, "111111")
        session.commit()
    two_factor.second_step(session, actor.id, "111111")
    session.commit()
    assert "Too many" in two_factor.sign_in(session, actor.email, PASSWORD).error


def test_remembered_device_skips_the_code_until_2fa_is_turned_off(session):
    actor = _user(session)
    secret, _codes = _enrol(session, actor)
    code = pyotp.TOTP(secret).at(time.time() + 30)
    done = two_factor.second_step(session, actor.id, code, remember=True)
    session.commit()
    assert done.device_token
    row = session.exec(select(TrustedDevice)).one()
    assert row.expires_at - utcnow() <= timedelta(days=30)
    skipped = two_factor.sign_in(session, actor.email, PASSWORD, device_token=done.device_token)
    assert skipped.token and not skipped.pending_user_id
    other = _user(session, "other@example.com")
    assert not devices.is_remembered(session, other.id, done.device_token)
    two_factor.disable(session, actor, PASSWORD)
    session.commit()
    assert session.exec(select(TrustedDevice)).all() == []
    assert not two_factor.is_enabled(session, actor.id)
    assert session.exec(select(RecoveryCode)).all() == []


def test_password_change_forgets_devices(session):
    actor = _user(session)
    devices.remember(session, actor.id)
    session.commit()
    with pytest.raises(ValidationError):
        auth.change_password(session, actor, "wrong one", "another long passphrase")
    auth.change_password(session, actor, PASSWORD, "another long passphrase")
    session.commit()
    assert session.exec(select(TrustedDevice)).all() == []
    assert "password_changed" in _actions(session)


def test_expired_device_is_not_remembered(session):
    actor = _user(session)
    token = devices.remember(session, actor.id)
    session.flush()
    row = session.exec(select(TrustedDevice)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert not devices.is_remembered(session, actor.id, token)


def test_disable_asks_for_a_code_or_the_password(session):
    actor = _user(session)
    secret, _codes = _enrol(session, actor)
    with pytest.raises(ValidationError):
        two_factor.disable(session, actor, "not it")
    two_factor.disable(session, actor, pyotp.TOTP(secret).at(time.time() + 30))
    session.commit()
    assert "two_factor_disabled" in _actions(session)


def test_renewed_recovery_codes_replace_the_old(session):
    actor = _user(session)
    _secret, old = _enrol(session, actor)
    new = two_factor.renew_recovery_codes(session, actor, PASSWORD)
    session.commit()
    assert len(new) == 10
    assert two_factor.second_step(session, actor.id, old[0]).error
    assert two_factor.second_step(session, actor.id, new[0]).token


def test_staff_requirement(session):
    manager = _user(session, "boss@example.com", Role.MANAGER)
    agent = _user(session, "agent@example.com", Role.AGENT)
    requester = _user(session, "req@example.com", Role.REQUESTER)
    with pytest.raises(PermissionDenied):
        two_factor.set_required_for_staff(session, agent, True)
    with pytest.raises(ValidationError):  # not before they have it themselves
        two_factor.set_required_for_staff(session, manager, True)
    _enrol(session, manager)
    two_factor.set_required_for_staff(session, manager, True)
    session.commit()
    assert not two_factor.must_enrol(session, session.get(User, manager.id))
    user = session.get(User, agent.id)
    assert two_factor.must_enrol(session, user)
    assert not two_factor.must_enrol(session, session.get(User, requester.id))
    assert two_factor.status(session, agent).required
    _enrol(session, agent)
    assert not two_factor.must_enrol(session, user)
    assert "two_factor_required" in _actions(session)


def test_sign_in_without_2fa_logs_success_and_failure(session):
    actor = _user(session)
    assert two_factor.sign_in(session, actor.email, "wrong", ip="198.51.100.1").error
    assert two_factor.sign_in(session, actor.email, PASSWORD).token
    session.commit()
    rows = session.exec(
        select(SecurityEvent)
        .where(SecurityEvent.action != "user_created")
        .order_by(SecurityEvent.id)
    ).all()
    assert [(r.action, r.actor_email) for r in rows] == [
        ("sign_in_failed", actor.email),
        ("sign_in", actor.email),
    ]
    assert rows[0].ip == "198.51.100.1" and rows[0].actor_id is None
