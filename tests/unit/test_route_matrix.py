"""The HTTP routes the app serves beside Reflex's websocket (ticketapp/downloads.py: attachment
downloads and thumbnails, the session cookie's sign-in and sign-out) in a matrix like the
handlers' (test_authz_matrix.py): every route must have an entry, and each is called with a
real session cookie as nobody, requester A, requester B, an agent and a manager.

The REST API's routes have their own matrix (tests/unit/api/test_authz_matrix.py); uploads go
through Reflex's upload endpoint to an event handler, which is in the handlers' matrix.
"""

from __future__ import annotations

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from tests.unit.factories import make_ticket, people, png_bytes
from ticketapp import db, downloads
from ticketapp.models import AuthSession, User
from ticketapp.services import attachments, auth, tickets
from ticketapp.session_cookie import SESSION_COOKIE

WHO = ("nobody", "requester A", "requester B", "agent", "manager")
ROUTE_ACCESS = {
    "/attachments/{attachment_id}": "who may read the ticket (internal files: staff)",
    "/attachments/{attachment_id}/thumbnail": "who may read the ticket (internal files: staff)",
    "/auth/session": "anyone with a one-time sign-in code, same site only",
    "/auth/sign-out": "the cookie's own session, same site only",
}


def test_every_route_has_an_entry():
    assert {r.path for r in downloads.create_api().routes} == set(ROUTE_ACCESS)


@pytest.fixture
def client(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    with TestClient(downloads.create_api(), base_url="http://testserver") as c:
        yield c


def _cookies(session, p) -> dict[str, dict[str, str]]:
    actors = {"requester A": p.requester, "requester B": p.other}
    actors |= {"agent": p.agent, "manager": p.manager}
    out = {"nobody": {}}
    for who, actor in actors.items():
        token = auth.start_session(session, session.get(User, actor.id))
        out[who] = {"cookie": f"{SESSION_COOKIE}={token}"}
    session.commit()
    return out


def _statuses(client, cookies, path: str) -> tuple[int, ...]:
    return tuple(client.get(path, headers=cookies[who]).status_code for who in WHO)


def test_downloads_follow_who_may_read_the_ticket(session, client):
    p = people(session)
    ref = make_ticket(session, p.requester)
    reply = tickets.add_comment(
        session, p.agent, ref.id, "Here it is", attachments=[("screen.png", png_bytes())]
    )
    note = tickets.add_comment(
        session, p.agent, ref.id, "Log", internal=True, attachments=[("server.log", b"secret")]
    )
    session.commit()
    cookies = _cookies(session, p)
    public, internal = reply.attachments[0].id, note.attachments[0].id

    readers = (404, 200, 404, 200, 200)
    assert _statuses(client, cookies, f"/attachments/{public}") == readers
    assert _statuses(client, cookies, f"/attachments/{public}/thumbnail") == readers
    assert _statuses(client, cookies, f"/attachments/{internal}") == (404, 404, 404, 200, 200)
    assert _statuses(client, cookies, "/attachments/999999") == (404,) * 5
    assert _statuses(client, cookies, "/attachments/not-a-number") == (404,) * 5
    body = client.get(f"/attachments/{internal}", headers=cookies["agent"])
    assert body.content == b"secret"
    assert body.headers["content-disposition"].startswith("attachment")


def test_sign_out_ends_only_the_cookies_session_and_refuses_other_sites(session, client):
    p = people(session)
    session.commit()
    cookies = _cookies(session, p)
    forged = client.post(
        "/auth/sign-out",
        headers={
            **cookies["requester A"],
            "origin": "https://evil.example",
            "sec-fetch-site": "cross-site",
        },
        follow_redirects=False,
    )
    assert forged.status_code == 403
    signed_out = client.post(
        "/auth/sign-out", headers=cookies["requester A"], follow_redirects=False
    )
    assert signed_out.status_code == 303
    cleared = signed_out.headers["set-cookie"]
    assert cleared.startswith(f'{SESSION_COOKIE}=""') and "Max-Age=0" in cleared
    session.expire_all()
    left = session.exec(select(AuthSession.user_id)).all()
    assert p.requester.id not in left and p.other.id in left


def test_sign_in_needs_a_valid_one_time_code_from_the_same_site(client):
    forged = client.post(
        "/auth/session",
        data={"code": "anything", "next": "/board"},
        headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    unknown = client.post(
        "/auth/session", data={"code": "not-a-code", "next": "/board"}, follow_redirects=False
    )
    assert unknown.status_code == 303 and unknown.headers["location"] == "/login"
    assert SESSION_COOKIE not in unknown.headers.get("set-cookie", "")
