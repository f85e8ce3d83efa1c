"""The session cookie: one-time sign-in hand-offs, and the HTTP answers that set and clear the
HttpOnly cookie (ticketapp/session_cookie.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from ticketapp import db, session_cookie
from ticketapp.models import Role, SessionHandoff, User
from ticketapp.services import auth, devices, session_handoff

PASSWORD = "a long enough passphrase"


def _user(session) -> User:
    user = auth.create_user(session, None, "pat@example.com", "Pat", PASSWORD, Role.AGENT)
    session.commit()
    return user


def _signed_in(session, user: User, remember: bool = False) -> tuple[str, str]:
    token = auth.start_session(session, user, "test")
    device = devices.remember(session, user.id) if remember else ""
    session.commit()
    return token, device


def test_a_code_works_once_and_redraws_both_tokens(session):
    user = _user(session)
    token, device = _signed_in(session, user, remember=True)
    code = session_handoff.hand_off(session, token, device)
    session.commit()
    assert code not in (token, device)

    new_token, new_device = session_handoff.redeem(session, code)
    session.commit()
    # What passed through the page (the old tokens) no longer works; the new ones do.
    assert auth.resolve_session(session, token) is None
    assert auth.resolve_session(session, new_token).id == user.id
    assert not devices.is_remembered(session, user.id, device)
    assert devices.is_remembered(session, user.id, new_device)
    assert session_handoff.redeem(session, code) is None


def test_expired_unknown_and_malformed_codes_are_refused(session):
    user = _user(session)
    token, _ = _signed_in(session, user)
    code = session_handoff.hand_off(session, token)
    session.commit()
    row = session.exec(select(SessionHandoff)).one()
    row.expires_at -= session_handoff.CODE_LIFETIME + timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert session_handoff.redeem(session, code) is None
    for bad in ("", "x" * 500, "not-a-code", None, 12):
        assert session_handoff.redeem(session, bad) is None  # type: ignore[arg-type]


def test_a_code_without_device_gives_no_device_token(session):
    user = _user(session)
    token, _ = _signed_in(session, user)
    code = session_handoff.hand_off(session, token)
    session.commit()
    _, device = session_handoff.redeem(session, code)
    assert device == ""


def test_cookie_from_reads_one_cookie():
    header = 'a=1; ticketapp_session=abc-_DEF; ticketapp_device="q%20r"; broken'
    assert session_cookie.cookie_from(header, "ticketapp_session") == "abc-_DEF"
    assert session_cookie.cookie_from(header, "ticketapp_device") == "q r"
    assert session_cookie.cookie_from(header, "missing") == ""
    assert session_cookie.cookie_from("", "ticketapp_session") == ""


@pytest.mark.parametrize(
    "path", ["//evil.example/x", "https://evil.example", "/\\evil.example", "/a\nb", "", "x"]
)
def test_only_same_site_paths_are_followed(path):
    assert session_cookie.safe_next(path) == ""
    assert session_cookie.safe_next("/tickets/7?tab=1") == "/tickets/7?tab=1"


@pytest.fixture
def client(engine, monkeypatch) -> TestClient:
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    return TestClient(Starlette(routes=session_cookie.routes), base_url="http://app.test")


SAME_ORIGIN = {"origin": "http://app.test", "sec-fetch-site": "same-origin"}


def test_sign_in_sets_an_httponly_strict_cookie_and_sign_out_clears_it(session, client):
    user = _user(session)
    token, device = _signed_in(session, user, remember=True)
    code = session_handoff.hand_off(session, token, device)
    session.commit()

    answer = client.post(
        "/auth/session",
        data={"code": code, "next": "/board"},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/board"
    cookies = answer.headers.get_list("set-cookie")
    session_line = next(c for c in cookies if c.startswith("ticketapp_session="))
    device_line = next(c for c in cookies if c.startswith("ticketapp_device="))
    for line in (session_line, device_line):
        assert "HttpOnly" in line
        assert "SameSite=strict" in line
        assert "Path=/" in line
        assert "Secure" not in line  # plain HTTP here; over TLS it is Secure
    new_token = client.cookies["ticketapp_session"]
    session.expire_all()
    assert auth.resolve_session(session, new_token).id == user.id
    session.commit()  # SQLite: free the write lock the test's session took

    out = client.post("/auth/sign-out", headers=SAME_ORIGIN, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    cleared = next(c for c in out.headers.get_list("set-cookie") if "ticketapp_session" in c)
    assert "Max-Age=0" in cleared or "expires=" in cleared.lower()
    session.expire_all()
    assert auth.resolve_session(session, new_token) is None


def test_secure_over_tls(session, client):
    user = _user(session)
    token, _ = _signed_in(session, user)
    code = session_handoff.hand_off(session, token)
    session.commit()
    answer = client.post(
        "/auth/session",
        data={"code": code},
        headers={**SAME_ORIGIN, "x-forwarded-proto": "https"},
        follow_redirects=False,
    )
    assert "Secure" in answer.headers["set-cookie"]


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
        {"origin": "https://evil.example"},
        {"sec-fetch-site": "same-site"},
    ],
)
def test_another_site_can_neither_sign_in_nor_out(session, client, headers):
    user = _user(session)
    token, _ = _signed_in(session, user)
    code = session_handoff.hand_off(session, token)
    session.commit()
    answer = client.post("/auth/session", data={"code": code}, headers=headers)
    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers
    client.cookies.set("ticketapp_session", token)
    out = client.post("/auth/sign-out", headers=headers)
    assert out.status_code == 403
    session.expire_all()
    assert auth.resolve_session(session, token) is not None


def test_a_spent_code_signs_nobody_in(session, client):
    user = _user(session)
    token, _ = _signed_in(session, user)
    code = session_handoff.hand_off(session, token)
    session.commit()
    first = client.post("/auth/session", data={"code": code}, headers=SAME_ORIGIN)
    assert first.status_code in (200, 404)  # followed to "/" (no page in this test app)
    client.cookies.clear()
    again = client.post(
        "/auth/session", data={"code": code}, headers=SAME_ORIGIN, follow_redirects=False
    )
    assert again.headers["location"] == "/login"
    assert "set-cookie" not in again.headers
