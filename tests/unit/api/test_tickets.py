"""The REST API's tickets, called in-process against the real test database (both dialects)."""

from __future__ import annotations

import io

from PIL import Image

NEW = {"title": "Printer on fire", "description": "Smoke from tray 2.", "type": "question"}


def _file(w, token, **body):
    r = w.client.post("/api/v1/tickets", json={**NEW, **body}, headers=w.auth(token))
    assert r.status_code == 201, r.text
    return r.json()


def test_create_get_and_list_own(world):
    w = world
    t = _file(w, w.tokens.requester)
    assert t["number"] >= 1001 and t["status"] == "new" and t["title"] == NEW["title"]
    r = w.client.get(f"/api/v1/tickets/{t['number']}", headers=w.auth(w.tokens.requester))
    assert r.status_code == 200 and r.headers["etag"] == f'"{t["version"]}"'
    assert [e["kind"] for e in r.json()["history"]] == ["created"]
    _file(w, w.tokens.other, title="Other's ticket")
    mine = w.client.get("/api/v1/tickets", headers=w.auth(w.tokens.requester)).json()
    assert [i["number"] for i in mine["items"]] == [t["number"]] and mine["total"] == 1
    staff = w.client.get("/api/v1/tickets", headers=w.auth(w.tokens.agent)).json()
    assert staff["total"] == 2


def test_requester_cannot_see_another_requesters_ticket(world):
    w = world
    t = _file(w, w.tokens.other)
    for path in (f"/api/v1/tickets/{t['number']}", f"/api/v1/tickets/{t['number']}/comments"):
        r = w.client.get(path, headers=w.auth(w.tokens.requester))
        assert r.status_code == 404
        assert r.json()["error"]["code"] == "not_found"
    r = w.client.post(
        f"/api/v1/tickets/{t['number']}/comments",
        json={"body": "hi"},
        headers=w.auth(w.tokens.requester),
    )
    assert r.status_code == 404


def test_idempotency_key_returns_the_same_ticket(world):
    w = world
    headers = w.auth(w.tokens.requester, **{"Idempotency-Key": "order-42"})
    first = w.client.post("/api/v1/tickets", json=NEW, headers=headers)
    again = w.client.post("/api/v1/tickets", json=NEW, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    other = w.client.post(
        "/api/v1/tickets",
        json=NEW,
        headers=w.auth(w.tokens.other, **{"Idempotency-Key": "order-42"}),
    )
    assert other.status_code == 201 and other.json()["number"] != first.json()["number"]
    listed = w.client.get("/api/v1/tickets", headers=w.auth(w.tokens.agent)).json()
    assert listed["total"] == 2


def test_validation_errors_name_the_field_and_are_translated(world):
    w = world
    r = w.client.post(
        "/api/v1/tickets", json={**NEW, "title": "  "}, headers=w.auth(w.tokens.requester)
    )
    assert r.status_code == 422
    assert (
        r.json()["error"]["field"] == "title" and r.json()["error"]["code"] == "validation_failed"
    )
    en = w.client.get("/api/v1/tickets/999999", headers=w.auth(w.tokens.requester))
    ru = w.client.get(
        "/api/v1/tickets/999999", headers=w.auth(w.tokens.requester, **{"Accept-Language": "ru"})
    )
    assert en.status_code == ru.status_code == 404
    assert en.json()["error"]["message"] == "That ticket does not exist or you cannot see it."
    assert ru.json()["error"]["message"] != en.json()["error"]["message"]
    bad_json = w.client.post(
        "/api/v1/tickets",
        content=b"{not json",
        headers=w.auth(w.tokens.requester, **{"Content-Type": "application/json"}),
    )
    assert bad_json.status_code == 400 and bad_json.json()["error"]["code"] == "bad_request"
    missing = w.client.post("/api/v1/tickets", json={"title": "x"}, headers=w.auth(w.tokens.agent))
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "description"


def test_update_with_if_match_and_stale_version(world):
    w = world
    t = _file(w, w.tokens.requester)
    url = f"/api/v1/tickets/{t['number']}"
    etag = w.client.get(url, headers=w.auth(w.tokens.agent)).headers["etag"]
    ok = w.client.patch(
        url, json={"priority": "high"}, headers=w.auth(w.tokens.agent, **{"If-Match": etag})
    )
    assert ok.status_code == 200 and ok.json()["priority"] == "high"
    assert ok.headers["etag"] != etag
    stale = w.client.patch(
        url, json={"priority": "low"}, headers=w.auth(w.tokens.manager, **{"If-Match": etag})
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    bad = w.client.patch(url, json={"priority": "sky-high"}, headers=w.auth(w.tokens.agent))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "priority"
    extra = w.client.patch(url, json={"requester_id": 1}, headers=w.auth(w.tokens.agent))
    assert extra.status_code == 422
    by_requester = w.client.patch(
        url, json={"priority": "urgent"}, headers=w.auth(w.tokens.requester)
    )
    assert by_requester.status_code == 403


def test_comments_public_and_internal(world):
    w = world
    t = _file(w, w.tokens.requester)
    url = f"/api/v1/tickets/{t['number']}/comments"
    reply = w.client.post(url, json={"body": "We are on it."}, headers=w.auth(w.tokens.agent))
    assert reply.status_code == 201 and not reply.json()["internal"]
    note = w.client.post(
        url,
        json={"body": "Secret: tray 2 is cursed", "internal": True},
        headers=w.auth(w.tokens.agent),
    )
    assert note.status_code == 201 and note.json()["internal"]
    as_requester = w.client.get(url, headers=w.auth(w.tokens.requester))
    assert [c["body"] for c in as_requester.json()] == ["We are on it."]
    detail = w.client.get(f"/api/v1/tickets/{t['number']}", headers=w.auth(w.tokens.requester))
    assert "cursed" not in detail.text
    as_agent = w.client.get(url, headers=w.auth(w.tokens.agent)).json()
    assert len(as_agent) == 2
    since = w.client.get(
        url, params={"since": as_agent[0]["created_at"]}, headers=w.auth(w.tokens.agent)
    ).json()
    assert [c["id"] for c in since] == [as_agent[1]["id"]]
    refused = w.client.post(
        url, json={"body": "x", "internal": True}, headers=w.auth(w.tokens.requester)
    )
    assert refused.status_code == 403


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def test_attachments_up_and_down(world):
    w = world
    t = _file(w, w.tokens.requester)
    url = f"/api/v1/tickets/{t['number']}/attachments"
    up = w.client.post(
        url, files={"file": ("dot.png", _png(), "image/png")}, headers=w.auth(w.tokens.requester)
    )
    assert up.status_code == 201, up.text
    down = w.client.get(up.json()["url"], headers=w.auth(w.tokens.requester))
    assert down.status_code == 200 and down.content == _png()
    assert w.client.get(up.json()["url"], headers=w.auth(w.tokens.other)).status_code == 404
    bad = w.client.post(
        url,
        files={"file": ("x.exe", b"MZ", "application/octet-stream")},
        headers=w.auth(w.tokens.requester),
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"]
    big = w.client.post(
        url,
        files={"file": ("big.txt", b"a" * (10 * 1024 * 1024 + 1), "text/plain")},
        headers=w.auth(w.tokens.requester),
    )
    assert big.status_code == 413


def test_list_filters_sort_search_and_pages(world):
    w = world
    numbers = [_file(w, w.tokens.requester, title=f"Laptop {i}")["number"] for i in range(5)]
    _file(w, w.tokens.requester, title="Monitor flicker")
    h = w.auth(w.tokens.agent)
    found = w.client.get("/api/v1/tickets", params={"q": "laptop"}, headers=h).json()
    assert found["total"] == 5
    page1 = w.client.get(
        "/api/v1/tickets",
        params={"q": "laptop", "sort": "number", "direction": "asc", "per_page": 2},
        headers=h,
    )
    assert [i["number"] for i in page1.json()["items"]] == numbers[:2]
    assert page1.json()["has_more"] and 'rel="next"' in page1.headers["link"]
    page3 = w.client.get(
        "/api/v1/tickets",
        params={"q": "laptop", "sort": "number", "direction": "asc", "per_page": 2, "page": 3},
        headers=h,
    ).json()
    assert [i["number"] for i in page3["items"]] == numbers[4:] and not page3["has_more"]
    bad = w.client.get("/api/v1/tickets", params={"status": "melted"}, headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "status"
    by_status = w.client.get("/api/v1/tickets", params={"status": ["new", "open"]}, headers=h)
    assert by_status.json()["total"] == 6


def test_a_search_lists_the_best_matches_first_unless_sorted(world):
    w = world
    best = _file(w, w.tokens.requester, title="Docking station docking failure")["number"]
    newer = _file(w, w.tokens.requester, title="Mouse", description="Near the docking bay.")
    h = w.auth(w.tokens.agent)

    def order(**params) -> list[int]:
        r = w.client.get("/api/v1/tickets", params={"q": "docking", **params}, headers=h)
        return [i["number"] for i in r.json()["items"]]

    assert order() == [best, newer["number"]]  # relevance: the title match, twice
    assert order(sort="updated_at") == [newer["number"], best]


def test_auth_scope_and_unknown_routes(world):
    w = world
    none = w.client.get("/api/v1/tickets")
    assert none.status_code == 401 and none.headers["www-authenticate"].startswith("Bearer")
    assert none.json() == {
        "error": {"code": "unauthorized", "message": none.json()["error"]["message"], "field": None}
    }
    for token in (w.tokens.expired, w.tokens.revoked, "tka_garbage"):
        assert w.client.get("/api/v1/tickets", headers=w.auth(token)).status_code == 401
    read_only = w.client.post("/api/v1/tickets", json=NEW, headers=w.auth(w.tokens.read_only))
    assert read_only.status_code == 403
    assert w.client.get("/api/v1/tickets", headers=w.auth(w.tokens.read_only)).status_code == 200
    missing = w.client.get("/api/v1/nothing-here", headers=w.auth(w.tokens.agent))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    me = w.client.get("/api/v1/me", headers=w.auth(w.tokens.read_only)).json()
    assert me["scope"] == "read" and me["role"] == "requester"


def test_readme_flow_follow_replies_since(world):
    w = world
    r = w.client.post(
        "/api/v1/tickets",
        json={"title": "VPN drops every hour", "description": "Since Monday."},
        headers=w.auth(w.tokens.requester, **{"Idempotency-Key": "crm-case-4711"}),
    )
    number, seen = r.json()["number"], r.json()["created_at"]
    url = f"/api/v1/tickets/{number}/comments"
    mine = w.auth(w.tokens.requester)
    assert w.client.get(url, params={"since": seen}, headers=mine).json() == []
    w.client.post(url, json={"body": "Which office?"}, headers=w.auth(w.tokens.agent))
    replies = w.client.get(url, params={"since": seen}, headers=mine).json()
    assert [c["body"] for c in replies] == ["Which office?"]
    later = w.client.get(url, params={"since": replies[-1]["created_at"]}, headers=mine).json()
    assert later == []


def test_a_file_on_an_internal_note_is_staff_only(world):
    w = world
    t = _file(w, w.tokens.requester)
    note = w.client.post(
        f"/api/v1/tickets/{t['number']}/comments",
        json={"body": "see the log", "internal": True},
        headers=w.auth(w.tokens.agent),
    ).json()
    up = w.client.post(
        f"/api/v1/tickets/{t['number']}/attachments",
        files={"file": ("log.txt", b"secret log line", "text/plain")},
        data={"comment_id": str(note["id"])},
        headers=w.auth(w.tokens.agent),
    )
    assert up.status_code == 201, up.text
    assert w.client.get(up.json()["url"], headers=w.auth(w.tokens.agent)).status_code == 200
    assert w.client.get(up.json()["url"], headers=w.auth(w.tokens.requester)).status_code == 404
    view = w.client.get(f"/api/v1/tickets/{t['number']}", headers=w.auth(w.tokens.requester))
    assert "log.txt" not in view.text
    refused = w.client.post(
        f"/api/v1/tickets/{t['number']}/attachments",
        files={"file": ("mine.txt", b"hello", "text/plain")},
        data={"comment_id": str(note["id"])},
        headers=w.auth(w.tokens.requester),
    )
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
