"""The API's edges: rate limit per token (429 + Retry-After), the catch-all 500 in the error
shape with no stack trace, the caller's language, and the offline docs and OpenAPI document."""

from __future__ import annotations

from sqlmodel import Session

from tests.unit.api.conftest import TestClient
from ticketapp.api import create_app
from ticketapp.api import tickets as api_tickets
from ticketapp.api.deps import TokenBuckets
from ticketapp.models import User
from ticketapp.services import tickets


def test_token_bucket_refills():
    buckets = TokenBuckets(rate=10, burst=2)
    assert buckets.take(1) == (0, 1) and buckets.take(1) == (0, 0)
    wait, left = buckets.take(1)
    assert 0 < wait <= 0.1 and left == 0
    assert buckets.take(2) == (0, 1)  # another token has its own bucket


def test_rate_limit_per_token(world, engine):
    w = world
    app = create_app(engine, TokenBuckets(rate=0.01, burst=3))
    with TestClient(app, raise_server_exceptions=False) as client:
        codes = [
            client.get("/api/v1/me", headers=w.auth(w.tokens.requester)).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        ok = client.get("/api/v1/me", headers=w.auth(w.tokens.other))
        assert ok.headers["x-ratelimit-limit"] == "3" and ok.headers["x-ratelimit-remaining"] == "2"
        limited = client.get("/api/v1/me", headers=w.auth(w.tokens.requester))
        assert limited.json()["error"]["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/api/v1/me", headers=w.auth(w.tokens.agent)).status_code == 200


def test_unexpected_errors_are_a_500_without_a_trace(world, monkeypatch):
    w = world

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals at /srv/app.py line 12")

    monkeypatch.setattr(api_tickets.tickets, "list_tickets", boom)
    r = w.client.get("/api/v1/tickets", headers=w.auth(w.tokens.agent))
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "internal_error"
    assert "secret internals" not in r.text and "Traceback" not in r.text


def test_language_from_header_else_the_users_setting(world):
    w = world
    user = w.session.get(User, w.people.requester.id)
    user.locale = "lv"
    w.session.add(user)
    w.session.commit()
    path = "/api/v1/tickets/999999"
    setting = w.client.get(path, headers=w.auth(w.tokens.requester)).json()["error"]["message"]
    header = w.client.get(
        path, headers=w.auth(w.tokens.requester, **{"Accept-Language": "pl"})
    ).json()["error"]["message"]
    english = w.client.get(path, headers=w.auth(w.tokens.agent)).json()["error"]["message"]
    assert len({setting, header, english}) == 3
    assert english == "That ticket does not exist or you cannot see it."


def test_read_token_is_refused_every_write(world):
    w = world
    t = tickets.create_ticket(w.session, w.people.requester, title="Mine", description="Mine too")
    w.session.commit()
    r = w.client.post(
        f"/api/v1/tickets/{t.number}/comments",
        json={"body": "hi"},
        headers=w.auth(w.tokens.read_only),
    )
    assert r.status_code == 403 and "read" in r.json()["error"]["message"]


def test_openapi_and_offline_docs(world):
    w = world
    doc = w.client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    page = w.client.get("/api/docs")
    assert page.status_code == 200 and "/api/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text and "https://" not in page.text.split("<body>")[-1]
    js = w.client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000


def test_a_deactivated_user_is_refused_at_once(world):
    w = world
    with Session(w.session.bind) as s:
        user = s.get(User, w.people.agent.id)
        user.is_active = False
        s.add(user)
        s.commit()
    assert w.client.get("/api/v1/me", headers=w.auth(w.tokens.agent)).status_code == 401


def test_an_oversized_body_is_refused_before_it_is_read(world):
    w = world
    r = w.client.post(
        "/api/v1/tickets",
        content=b"x" * (12 * 1024 * 1024),
        headers=w.auth(w.tokens.requester, **{"Content-Type": "application/json"}),
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


def test_refusals_before_sign_in_speak_the_callers_language(world):
    w = world
    en = w.client.get("/api/v1/tickets").json()["error"]["message"]
    ru = w.client.get("/api/v1/tickets", headers={"Accept-Language": "ru"}).json()
    assert ru["error"]["message"] != en and ru["error"]["code"] == "unauthorized"
    bad = w.client.post(
        "/api/v1/tickets",
        content=b"{",
        headers={"Content-Type": "application/json", "Accept-Language": "pl"},
    ).json()["error"]
    assert bad["code"] == "bad_request" and bad["message"] != "The request is malformed."


def test_a_requester_filing_too_fast_gets_429_with_retry_after(world, monkeypatch):
    """The abuse limit (services/abuse.py) is a rate limit to an API client: 429, not 422."""
    w = world
    monkeypatch.setenv("TICKETAPP_LIMIT_TICKETS_PER_MINUTE", "2")
    body = {"title": "Printer jams", "description": "On floor 3."}
    headers = w.auth(w.tokens.requester)
    codes = [w.client.post("/api/v1/tickets", json=body, headers=headers).status_code]
    codes.append(w.client.post("/api/v1/tickets", json=body, headers=headers).status_code)
    refused = w.client.post("/api/v1/tickets", json=body, headers=headers)
    assert codes == [201, 201] and refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert "faster than we allow" in refused.json()["error"]["message"]
    assert refused.headers["retry-after"] == "60"
