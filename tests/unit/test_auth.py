"""Passwords, sign-in, lockout, sessions and user administration, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from ticketapp.config import settings
from ticketapp.models import AuthSession, LoginAttempt, Role, User, utcnow
from ticketapp.services import auth, two_factor
from ticketapp.services.actor import Actor
from ticketapp.services.errors import PermissionDenied, ServiceError, ValidationError

PASSWORD = "a long enough passphrase"


def _user(session, email="pat@example.com", role=Role.REQUESTER) -> User:
    user = auth.create_user(session, None, email, "Pat Person", PASSWORD, role)
    session.commit()
    return user


def test_argon2id_with_owasp_parameters():
    digest = auth.hash_password(PASSWORD)
    assert digest.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in digest
    assert auth.verify_password(PASSWORD, digest)
    assert not auth.verify_password("something else", digest)
    assert not auth.verify_password(PASSWORD, "not a hash")


@pytest.mark.parametrize("bad", ["short", "1234567", "password123", "qwertyuiop", "PASSWORD1"])
def test_weak_passwords_are_refused(bad):
    with pytest.raises(ValidationError) as exc:
        auth.check_password_strength(bad)
    assert exc.value.field == "password"


def test_passphrases_and_no_composition_rules():
    auth.check_password_strength("correct horse battery staple " * 10)
    auth.check_password_strength("alllowercaseletters")


def test_sign_up_makes_requesters_and_normalises_email(session):
    user = auth.sign_up(session, "  Pat@Example.COM ", "Pat", PASSWORD)
    assert user.role == Role.REQUESTER and user.email == "pat@example.com"
    with pytest.raises(ValidationError) as exc:
        auth.sign_up(session, "pat@example.com", "Pat again", PASSWORD)
    assert exc.value.field == "email"
    with pytest.raises(ValidationError) as exc:
        auth.sign_up(session, "not-an-email", "X", PASSWORD)
    assert exc.value.field == "email"


def test_authenticate_same_message_for_unknown_email_and_wrong_password(session):
    _user(session)
    with pytest.raises(ServiceError) as wrong_pw:
        auth.authenticate(session, "pat@example.com", "wrong password")
    with pytest.raises(ServiceError) as unknown:
        auth.authenticate(session, "nobody@example.com", PASSWORD)
    assert wrong_pw.value.message == unknown.value.message == auth.SIGN_IN_FAILED
    assert auth.authenticate(session, "PAT@example.com", PASSWORD).email == "pat@example.com"


def test_lockout_after_five_failures_then_owner_signs_in_later(session):
    _user(session)
    for _ in range(5):
        with pytest.raises(ServiceError):
            auth.authenticate(session, "pat@example.com", "wrong")
    session.commit()
    with pytest.raises(auth.AccountLocked) as exc:
        auth.authenticate(session, "pat@example.com", PASSWORD)
    assert "Try again in 15 minutes" in exc.value.message

    # Sixteen minutes later the window has passed: the real owner gets in, the slate is clean.
    for attempt in session.exec(select(LoginAttempt)).all():
        attempt.created_at -= timedelta(minutes=16)
        session.add(attempt)
    session.commit()
    assert auth.authenticate(session, "pat@example.com", PASSWORD).email == "pat@example.com"
    session.commit()
    assert session.exec(select(LoginAttempt)).all() == []


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(session):
    _user(session)
    now = utcnow()
    for minutes_ago in (40, 30, 20, 10):
        session.add(
            LoginAttempt(email="pat@example.com", created_at=now - timedelta(minutes=minutes_ago))
        )
    session.commit()
    with pytest.raises(ServiceError) as exc:
        auth.authenticate(session, "pat@example.com", "wrong")
    assert not isinstance(exc.value, auth.AccountLocked)
    assert auth.lockout_remaining(session, "pat@example.com") == timedelta(0)


def test_unknown_emails_lock_the_same_way(session):
    for _ in range(5):
        with pytest.raises(ServiceError):
            auth.authenticate(session, "ghost@example.com", "x")
    with pytest.raises(auth.AccountLocked):
        auth.authenticate(session, "ghost@example.com", "x")


def test_sessions_store_only_a_hash_and_resolve(session):
    user = _user(session)
    token = auth.start_session(session, user, "pytest")
    session.commit()
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    row = session.exec(select(AuthSession)).one()
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert auth.resolve_session(session, token).id == user.id
    assert auth.resolve_session(session, token + "x") is None
    assert auth.resolve_session(session, "") is None


def test_idle_and_absolute_expiry(session):
    user = _user(session)
    token = auth.start_session(session, user)
    row = session.exec(select(AuthSession)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)
    session.add(row)
    session.commit()
    assert auth.resolve_session(session, token) is None

    token = auth.start_session(session, user)
    session.commit()
    row = session.exec(select(AuthSession)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert auth.resolve_session(session, token) is None


def test_peek_reads_only_and_says_when_resolving_must_write(session):
    user = _user(session)
    token = auth.start_session(session, user)
    session.commit()
    assert auth.peek_session(session, token) == (user, False)  # fresh: nothing to write
    assert auth.peek_session(session, token + "x") == (None, False)

    row = session.exec(select(AuthSession)).one()
    seen = utcnow() - timedelta(minutes=5)
    row.last_seen_at = seen
    session.add(row)
    session.commit()
    assert auth.peek_session(session, token) == (user, True)  # the idle clock is due
    assert not session.dirty and not session.deleted and not session.new
    assert auth.resolve_session(session, token) == user
    session.commit()
    assert session.exec(select(AuthSession)).one().last_seen_at > seen
    assert auth.peek_session(session, token) == (user, False)

    row = session.exec(select(AuthSession)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert auth.peek_session(session, token) == (None, True)  # expired: to be deleted
    assert session.exec(select(AuthSession)).first() is not None
    assert auth.resolve_session(session, token) is None
    session.commit()
    assert session.exec(select(AuthSession)).first() is None


def test_end_session(session):
    user = _user(session)
    token = auth.start_session(session, user)
    auth.end_session(session, token)
    session.commit()
    assert auth.resolve_session(session, token) is None


def test_deactivation_ends_sessions_and_sign_in(session):
    manager = Actor.of(_user(session, "boss@example.com", Role.MANAGER))
    agent = _user(session, "agent@example.com", Role.AGENT)
    token = auth.start_session(session, agent)
    auth.set_active(session, manager, agent.id, False)
    session.commit()
    assert auth.resolve_session(session, token) is None
    with pytest.raises(ServiceError):
        auth.authenticate(session, "agent@example.com", PASSWORD)


def test_role_change_is_seen_on_next_resolve(session):
    manager = Actor.of(_user(session, "boss@example.com", Role.MANAGER))
    agent = _user(session, "agent@example.com", Role.AGENT)
    token = auth.start_session(session, agent)
    auth.change_role(session, manager, agent.id, Role.REQUESTER)
    session.commit()
    assert auth.resolve_session(session, token).role == Role.REQUESTER


def test_only_managers_administer_users(session):
    agent = Actor.of(_user(session, "agent@example.com", Role.AGENT))
    requester = _user(session, "req@example.com", Role.REQUESTER)
    for call in (
        lambda: auth.list_users(session, agent),
        lambda: auth.change_role(session, agent, requester.id, Role.MANAGER),
        lambda: auth.set_active(session, agent, requester.id, False),
        lambda: auth.create_user(session, agent, "x@example.com", "X", PASSWORD, Role.MANAGER),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_last_manager_is_protected(session):
    boss = _user(session, "boss@example.com", Role.MANAGER)
    actor = Actor.of(boss)
    with pytest.raises(ValidationError):
        auth.change_role(session, actor, boss.id, Role.AGENT)
    with pytest.raises(ValidationError):
        auth.set_active(session, actor, boss.id, False)


def test_bad_ids_from_a_client_are_refused_cleanly(session):
    actor = Actor.of(_user(session, "boss@example.com", Role.MANAGER))
    with pytest.raises(ServiceError):
        auth.set_active(session, actor, "not-a-number", False)
    with pytest.raises(ServiceError):
        auth.change_role(session, actor, 99999, Role.AGENT)
    with pytest.raises(ValidationError):
        auth.change_role(session, actor, actor.id, "superuser")


def test_sign_in_commits_the_failed_attempt_through_the_callers_transaction(engine):
    from ticketapp.db import session_scope

    with session_scope(engine) as s:
        _user(s)
    for _ in range(5):
        with session_scope(engine) as s:
            assert two_factor.sign_in(s, "pat@example.com", "wrong").error == auth.SIGN_IN_FAILED
    with session_scope(engine) as s:
        result = two_factor.sign_in(s, "pat@example.com", PASSWORD)
    assert "Too many failed sign-in attempts" in result.error and not result.token
