"""The authorization matrix, generated from the OpenAPI document: every operation x (no token,
expired, revoked, requester A, requester B, agent, manager) gets the expected status, and no
response carries another requester's data or an internal note to a requester.

A new operation fails `test_every_operation_has_expectations` until it is added to EXPECTED."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image

from ticketapp.api import create_app
from ticketapp.services import alerts, kb, tickets

OPERATIONS = sorted(
    (method.upper(), path)
    for path, item in create_app().openapi()["paths"].items()
    for method in item
)
WHO = ("none", "expired", "revoked", "requester", "other", "agent", "manager")
# Expected status for (requester A, requester B, agent, manager); no/expired/revoked token: 401.
# The path's ticket, attachment and article belong to requester A (the article: published).
EXPECTED = {
    ("GET", "/api/v1/tickets"): (200, 200, 200, 200),
    ("POST", "/api/v1/tickets"): (201, 201, 201, 201),
    ("GET", "/api/v1/tickets/{number}"): (200, 404, 200, 200),
    ("PATCH", "/api/v1/tickets/{number}"): (403, 404, 200, 200),
    ("GET", "/api/v1/tickets/{number}/comments"): (200, 404, 200, 200),
    ("POST", "/api/v1/tickets/{number}/comments"): (201, 404, 201, 201),
    ("POST", "/api/v1/tickets/{number}/attachments"): (201, 404, 201, 201),
    ("GET", "/api/v1/attachments/{attachment_id}"): (200, 404, 200, 200),
    ("GET", "/api/v1/me"): (200, 200, 200, 200),
    ("GET", "/api/v1/kb/articles"): (200, 200, 200, 200),
    ("POST", "/api/v1/kb/articles"): (403, 403, 201, 201),
    ("GET", "/api/v1/kb/articles/{slug}"): (200, 200, 200, 200),
    ("PATCH", "/api/v1/kb/articles/{slug}"): (403, 403, 200, 200),
    ("GET", "/api/v1/users"): (403, 403, 200, 200),
    ("POST", "/api/v1/users"): (403, 403, 403, 201),
    ("GET", "/api/v1/teams"): (403, 403, 200, 200),
    ("POST", "/api/v1/teams"): (403, 403, 403, 201),
    ("GET", "/api/v1/analytics/summary"): (403, 403, 403, 200),
    # Monitoring intake takes integration tokens only (test_integration_token_below).
    ("POST", "/api/v1/alerts"): (401, 401, 401, 401),
}
A_SECRET = "Alpha-private-7731"  # in requester A's ticket
B_SECRET = "Bravo-private-5519"  # in requester B's ticket
NOTE_SECRET = "Internal-only-4242"  # an internal note on A's ticket
_seq = itertools.count(1)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (3, 3), "blue").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def setup(world):
    w, p, s = world, world.people, world.session
    a = tickets.create_ticket(s, p.requester, title=f"Printer {A_SECRET}", description=A_SECRET)
    tickets.add_comment(s, p.agent, a.id, "Public reply to A")
    tickets.add_comment(s, p.agent, a.id, NOTE_SECRET, internal=True)
    tickets.create_ticket(s, p.other, title=f"Laptop {B_SECRET}", description=B_SECRET)
    article = kb.create_article(
        s, p.agent, title="Reset a password", body="Click reset.", status="published"
    )
    s.commit()
    upload = w.client.post(
        f"/api/v1/tickets/{a.number}/attachments",
        files={"file": ("a.png", _png(), "image/png")},
        headers=w.auth(w.tokens.requester),
    )
    assert upload.status_code == 201, upload.text
    params = {"number": a.number, "attachment_id": upload.json()["id"], "slug": article.slug}
    return w, params


def _request(method: str, path: str):
    n = next(_seq)
    bodies = {
        ("POST", "/api/v1/tickets"): {"json": {"title": f"New {n}", "description": "Hello"}},
        ("PATCH", "/api/v1/tickets/{number}"): {"json": {"priority": "high"}},
        ("POST", "/api/v1/tickets/{number}/comments"): {"json": {"body": f"Reply {n}"}},
        ("POST", "/api/v1/tickets/{number}/attachments"): {
            "files": {"file": (f"f{n}.png", _png(), "image/png")}
        },
        ("POST", "/api/v1/kb/articles"): {"json": {"title": f"Article {n}", "body": "Text"}},
        ("PATCH", "/api/v1/kb/articles/{slug}"): {"json": {"body": f"Text {n}"}},
        ("POST", "/api/v1/users"): {
            "json": {
                "email": f"new{n}@example.com",
                "name": f"New {n}",
                "password": "a long enough passphrase 9",
                "role": "requester",
            }
        },
        ("POST", "/api/v1/teams"): {"json": {"name": f"Team {n}"}},
        ("POST", "/api/v1/alerts"): {
            "json": {"title": f"Disk full {n}", "fingerprint": f"fp-{n}", "severity": "info"}
        },
    }
    return bodies.get((method, path), {})


def test_every_operation_has_expectations():
    assert set(OPERATIONS) == set(EXPECTED)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_for_everyone(setup, method, path):
    w, params = setup
    tokens = {
        "expired": w.tokens.expired,
        "revoked": w.tokens.revoked,
        "requester": w.tokens.requester,
        "other": w.tokens.other,
        "agent": w.tokens.agent,
        "manager": w.tokens.manager,
    }
    expected = dict(zip(WHO, (401, 401, 401, *EXPECTED[(method, path)]), strict=True))
    url = path.format(**params)
    for who in WHO:
        headers = w.auth(tokens[who]) if who in tokens else {}
        r = w.client.request(method, url, headers=headers, **_request(method, path))
        assert r.status_code == expected[who], (who, r.text)
        if r.status_code >= 400:
            assert set(r.json()["error"]) == {"code", "message", "field"}
        body = r.text
        if who == "requester":
            assert B_SECRET not in body and NOTE_SECRET not in body
            assert w.people.other.name not in body and w.people.other.email not in body
        if who == "other":
            assert A_SECRET not in body and NOTE_SECRET not in body
            assert w.people.requester.name not in body
            assert w.people.requester.email not in body
        if who in ("none", "expired", "revoked"):
            assert A_SECRET not in body and B_SECRET not in body


def test_integration_token_below(setup):
    """An integration token posts alerts and reaches nothing else; it sees no ticket data."""
    w, params = setup
    _, secret = alerts.create_integration(w.session, w.people.manager, "Prometheus")
    w.session.commit()
    for method, path in OPERATIONS:
        r = w.client.request(
            method, path.format(**params), headers=w.auth(secret), **_request(method, path)
        )
        expected = 200 if path == "/api/v1/alerts" else 401
        assert r.status_code == expected, (method, path, r.text)
        assert A_SECRET not in r.text and B_SECRET not in r.text and NOTE_SECRET not in r.text
