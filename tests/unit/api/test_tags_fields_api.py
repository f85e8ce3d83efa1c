"""Custom fields and tags through the REST API: read, create, update, filter; requesters see
neither tags nor staff-only fields."""

from __future__ import annotations

from ticketapp.services import custom_fields as fields

INCIDENT = {"affected_service": "VPN", "started_at": "2026-12-07T09:00"}


def test_api_reads_and_writes_custom_fields_and_tags(world):
    w, s = world, world.session
    public = fields.save_field(
        s, w.people.manager, ticket_type="incident", label="Site", kind="select", options="HQ\nLab"
    )
    secret = fields.save_field(
        s, w.people.manager, ticket_type="incident", label="Cost", kind="number", public=False
    )
    s.commit()
    new = {"title": "VPN down", "description": "Since 9.", "type": "incident", "details": INCIDENT}
    bad = w.client.post(
        "/api/v1/tickets",
        json={**new, "custom_fields": {public.key: "Mars"}},
        headers=w.auth(w.tokens.requester),
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == public.key
    made = w.client.post(
        "/api/v1/tickets",
        json={**new, "custom_fields": {public.key: "Lab"}},
        headers=w.auth(w.tokens.requester),
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert [(f["label"], f["value"]) for f in body["custom_fields"]] == [("Site", "Lab")]
    assert body["tags"] == []
    url = f"/api/v1/tickets/{body['number']}"
    patched = w.client.patch(
        url,
        json={"custom_fields": {secret.key: "12.50"}, "tags": ["VPN", "outage"]},
        headers=w.auth(w.tokens.agent),
    )
    assert patched.status_code == 200, patched.text
    staff_view = patched.json()
    assert staff_view["tags"] == ["outage", "vpn"]
    assert {f["key"]: f["value"] for f in staff_view["custom_fields"]} == {
        public.key: "Lab",
        secret.key: "12.5",
    }
    mine = w.client.get(url, headers=w.auth(w.tokens.requester)).json()
    assert mine["tags"] == [] and [f["key"] for f in mine["custom_fields"]] == [public.key]
    refused = w.client.patch(url, json={"tags": ["x"]}, headers=w.auth(w.tokens.requester))
    assert refused.status_code in (403, 404)
    listed = w.client.get("/api/v1/tickets?tag=vpn", headers=w.auth(w.tokens.agent)).json()
    assert [t["number"] for t in listed["items"]] == [body["number"]]
