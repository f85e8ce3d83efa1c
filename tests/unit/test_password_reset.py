"""Password reset: the e-mail, the same answer for unknown addresses, single use, expiry, the
rate limit, the password rules and the end of every session; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from ticketapp.models import AuthSession, OutboxMessage, PasswordReset, Role, User, utcnow
from ticketapp.services import auth, password_reset
from ticketapp.services.errors import ValidationError

OLD = "a long enough passphrase"
NEW = "another fine passphrase"


def _user(session, email="pat@example.com", locale="") -> User:
    user = auth.create_user(session, None, email, "Pat Person", OLD, Role.REQUESTER)
    user.locale = locale
    session.add(user)
    session.commit()
    return user


def _token_from_mail(session, to="pat@example.com") -> str:
    mail = session.exec(
        select(OutboxMessage).where(OutboxMessage.to_addr == to).order_by(OutboxMessage.id.desc())
    ).first()
    assert mail is not None
    match = re.search(r"/reset\?token=([A-Za-z0-9_\-]+)", mail.body)
    assert match, mail.body
    return match.group(1)


def test_a_request_mails_a_link_and_stores_only_a_hash(session):
    _user(session)
    password_reset.request_reset(session, "  Pat@Example.com ")
    session.commit()
    mail = session.exec(select(OutboxMessage)).one()
    assert mail.subject == "Reset your ticketapp password"
    token = _token_from_mail(session)
    row = session.exec(select(PasswordReset)).one()
    assert row.token_hash != token and token not in row.token_hash
    assert row.expires_at - row.created_at == timedelta(hours=1)
    assert password_reset.token_is_valid(session, token)


def test_the_mail_is_in_the_recipients_language(session):
    _user(session, locale="ru")
    password_reset.request_reset(session, "pat@example.com")
    session.commit()
    mail = session.exec(select(OutboxMessage)).one()
    assert "Reset your ticketapp password" not in mail.subject
    assert re.search("[а-я]", mail.subject + mail.body)


def test_an_unknown_address_reads_the_same_and_mails_nothing(session):
    password_reset.request_reset(session, "nobody@example.com")  # no exception: same answer
    session.commit()
    assert session.exec(select(OutboxMessage)).all() == []
    row = session.exec(select(PasswordReset)).one()  # counted for the rate limit
    assert row.user_id is None


def test_a_malformed_address_is_refused_on_its_field(session):
    with pytest.raises(ValidationError) as exc:
        password_reset.request_reset(session, "not-an-address")
    assert exc.value.field == "email"


def test_requests_per_address_are_rate_limited(session):
    _user(session)
    for _ in range(password_reset.RATE_LIMIT + 2):
        password_reset.request_reset(session, "pat@example.com")
    session.commit()
    assert len(session.exec(select(OutboxMessage)).all()) == password_reset.RATE_LIMIT
    later = utcnow() + password_reset.RATE_WINDOW + timedelta(minutes=1)
    password_reset.request_reset(session, "pat@example.com", now=later)
    assert len(session.exec(select(OutboxMessage)).all()) == password_reset.RATE_LIMIT + 1


def test_reset_sets_the_password_once_and_ends_every_session(session):
    user = _user(session)
    auth.start_session(session, user, "laptop")
    auth.start_session(session, user, "phone")
    password_reset.request_reset(session, "pat@example.com")
    session.commit()
    token = _token_from_mail(session)
    password_reset.reset_password(session, token, NEW)
    session.commit()
    assert session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all() == []
    assert auth.authenticate(session, "pat@example.com", NEW).id == user.id
    with pytest.raises(ValidationError) as exc:
        password_reset.reset_password(session, token, "yet another passphrase")
    assert exc.value.field == "token"
    assert not password_reset.token_is_valid(session, token)


def test_a_new_password_uses_up_the_other_open_links(session):
    _user(session)
    password_reset.request_reset(session, "pat@example.com")
    first = _token_from_mail(session)
    password_reset.request_reset(session, "pat@example.com")
    second = _token_from_mail(session)
    password_reset.reset_password(session, second, NEW)
    session.commit()
    assert not password_reset.token_is_valid(session, first)


def test_an_expired_link_is_refused(session):
    _user(session)
    password_reset.request_reset(session, "pat@example.com")
    session.commit()
    token = _token_from_mail(session)
    with pytest.raises(ValidationError):
        password_reset.reset_password(session, token, NEW, now=utcnow() + timedelta(minutes=61))
    assert auth.authenticate(session, "pat@example.com", OLD)


@pytest.mark.parametrize("bad", ["", "garbage", "x" * 500])
def test_a_bad_token_is_refused(session, bad):
    _user(session)
    with pytest.raises(ValidationError) as exc:
        password_reset.reset_password(session, bad, NEW)
    assert exc.value.field == "token"


def test_the_new_password_follows_the_sign_up_rules(session):
    _user(session)
    password_reset.request_reset(session, "pat@example.com")
    session.commit()
    token = _token_from_mail(session)
    with pytest.raises(ValidationError) as exc:
        password_reset.reset_password(session, token, "short")
    assert exc.value.field == "password"
    assert password_reset.token_is_valid(session, token)  # not used up by a refusal


def test_a_deactivated_user_gets_no_link(session):
    user = _user(session)
    user.is_active = False
    session.add(user)
    session.commit()
    password_reset.request_reset(session, "pat@example.com")
    session.commit()
    assert session.exec(select(OutboxMessage)).all() == []
