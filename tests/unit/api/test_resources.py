"""The API's knowledge base, people, teams and analytics: the services' rules, seen over HTTP."""

from __future__ import annotations

from ticketapp.services import kb


def test_kb_search_get_and_drafts(world):
    w = world
    kb.create_article(
        w.session,
        w.people.agent,
        title="Reset your password",
        body="Use the link.",
        status="published",
    )
    draft = kb.create_article(w.session, w.people.agent, title="Secret draft", body="Soon.")
    w.session.commit()
    hits = w.client.get(
        "/api/v1/kb/articles", params={"q": "password"}, headers=w.auth(w.tokens.requester)
    ).json()
    assert [h["title"] for h in hits] == ["Reset your password"]
    listed = w.client.get("/api/v1/kb/articles", headers=w.auth(w.tokens.requester)).json()
    assert "Secret draft" not in [a["title"] for a in listed]
    url = f"/api/v1/kb/articles/{draft.slug}"
    assert w.client.get(url, headers=w.auth(w.tokens.requester)).status_code == 404
    assert w.client.get(url, headers=w.auth(w.tokens.agent)).json()["status"] == "draft"
    published = w.client.patch(url, json={"status": "published"}, headers=w.auth(w.tokens.agent))
    assert published.status_code == 200
    assert w.client.get(url, headers=w.auth(w.tokens.requester)).status_code == 200
    bad = w.client.patch(url, json={"status": "shouting"}, headers=w.auth(w.tokens.agent))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "status"


def test_users_list_and_create(world):
    w = world
    page = w.client.get(
        "/api/v1/users", params={"role": "requester", "per_page": 1}, headers=w.auth(w.tokens.agent)
    ).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and page["has_more"]
    new = {"email": "nina@example.com", "name": "Nina", "password": "a long passphrase 42"}
    made = w.client.post("/api/v1/users", json=new, headers=w.auth(w.tokens.manager))
    assert made.status_code == 201 and made.json()["role"] == "requester"
    again = w.client.post("/api/v1/users", json=new, headers=w.auth(w.tokens.manager))
    assert again.status_code == 422 and again.json()["error"]["field"] == "email"


def test_teams_and_analytics(world):
    w = world
    boss = w.auth(w.tokens.manager)
    made = w.client.post("/api/v1/teams", json={"name": "Network"}, headers=boss)
    assert made.status_code == 201 and made.json()["members"] == 0
    dup = w.client.post("/api/v1/teams", json={"name": "network"}, headers=boss)
    assert dup.status_code == 422 and dup.json()["error"]["field"] == "name"
    teams = w.client.get("/api/v1/teams", headers=w.auth(w.tokens.agent)).json()
    assert [t["name"] for t in teams] == ["Network"]
    summary = w.client.get(
        "/api/v1/analytics/summary", params={"period": "7"}, headers=w.auth(w.tokens.manager)
    ).json()
    assert summary["metrics"] and summary["start"] <= summary["end"]
    bad = w.client.get(
        "/api/v1/analytics/summary", params={"period": "9"}, headers=w.auth(w.tokens.manager)
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "period"
