"""Personal access tokens: created and shown once, stored as a hash, own only, revoked and
expired ones resolve to nothing, the user row decides role and activity on every call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.unit.factories import people
from ticketapp import cli
from ticketapp.models import ApiToken, Role, User, utcnow
from ticketapp.services import api_tokens
from ticketapp.services.errors import NotFound, ValidationError


def test_create_shows_the_secret_once_and_stores_only_a_hash(session):
    p = people(session)
    view, secret = api_tokens.create_token(session, p.requester, "CRM sync", "write", 30)
    assert secret.startswith("tka_") and len(secret) >= 40
    row = session.get(ApiToken, view.id)
    assert secret not in (row.token_hash, row.prefix) and row.prefix == secret[:8]
    assert view.scope == "write" and view.active
    assert timedelta(days=29) < view.expires_at - utcnow() <= timedelta(days=30)
    resolved = api_tokens.resolve(session, secret)
    assert resolved.actor.id == p.requester.id and resolved.can_write and resolved.touch_due


def test_default_is_read_for_ninety_days(session):
    p = people(session)
    view, secret = api_tokens.create_token(session, p.agent, "reporting")
    assert view.scope == "read"
    assert timedelta(days=89) < view.expires_at - utcnow() <= timedelta(days=90)
    assert not api_tokens.resolve(session, secret).can_write


@pytest.mark.parametrize(
    ("name", "scope", "days", "field"),
    [
        ("", "read", 90, "name"),
        ("x" * 81, "read", 90, "name"),
        ("ok", "admin", 90, "scope"),
        ("ok", "read", 0, "days"),
        ("ok", "read", 367, "days"),
        ("ok", "read", "abc", "days"),
    ],
)
def test_bad_input_names_its_field(session, name, scope, days, field):
    p = people(session)
    with pytest.raises(ValidationError) as err:
        api_tokens.create_token(session, p.requester, name, scope, days)
    assert err.value.field == field


def test_list_and_revoke_only_own(session):
    p = people(session)
    mine, secret = api_tokens.create_token(session, p.requester, "mine")
    api_tokens.create_token(session, p.other, "theirs")
    assert [t.name for t in api_tokens.list_tokens(session, p.requester)] == ["mine"]
    with pytest.raises(NotFound):
        api_tokens.revoke_token(session, p.other, mine.id)
    with pytest.raises(NotFound):
        api_tokens.revoke_token(session, p.requester, "garbage")
    revoked = api_tokens.revoke_token(session, p.requester, mine.id)
    assert not revoked.active
    assert api_tokens.resolve(session, secret) is None


def test_expired_unknown_and_deactivated_resolve_to_nothing(session):
    p = people(session)
    view, secret = api_tokens.create_token(session, p.agent, "old", days=1)
    row = session.get(ApiToken, view.id)
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.flush()
    assert api_tokens.resolve(session, secret) is None
    assert api_tokens.resolve(session, "tka_nope") is None
    assert api_tokens.resolve(session, "not-a-token") is None
    _, live = api_tokens.create_token(session, p.agent, "live")
    user = session.get(User, p.agent.id)
    user.role = Role.MANAGER
    session.add(user)
    session.flush()
    assert api_tokens.resolve(session, live).actor.role == Role.MANAGER  # role at once
    user.is_active = False
    session.add(user)
    session.flush()
    assert api_tokens.resolve(session, live) is None


def test_touch_records_last_use(session):
    p = people(session)
    view, secret = api_tokens.create_token(session, p.requester, "t")
    api_tokens.touch(session, view.id)
    session.flush()
    assert session.get(ApiToken, view.id).last_used_at is not None
    assert not api_tokens.resolve(session, secret).touch_due


def test_cli_prints_a_working_token(session, engine, monkeypatch, capsys):
    p = people(session)
    email = session.exec(select(User.email).where(User.id == p.agent.id)).one()
    session.commit()
    monkeypatch.setattr(cli, "session_scope", lambda: _scope(engine))
    assert cli.main(["create-token", "--email", email, "--name", "ci", "--scope", "write"]) == 0
    secret = capsys.readouterr().out.strip()
    resolved = api_tokens.resolve(session, secret)
    assert resolved.actor.id == p.agent.id and resolved.can_write
    session.commit()
    assert cli.main(["create-token", "--email", "nobody@example.com", "--name", "x"]) == 1


def _scope(engine):
    from ticketapp.db import session_scope

    return session_scope(engine)
