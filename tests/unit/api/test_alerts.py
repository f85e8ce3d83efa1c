"""Monitoring intake: POST /api/v1/alerts with real Alertmanager webhook bodies (tests/data/alerts)
and the generic shape, and the integrations behind it; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from tests.unit.factories import make_category, make_team
from ticketapp.models import AlertIntegration, Comment, Ticket, User
from ticketapp.services import alerts, tickets
from ticketapp.services.errors import PermissionDenied, ValidationError

DATA = Path(__file__).parent.parent.parent / "data" / "alerts"


def _payload(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def _integration(w, **options) -> tuple[int, str]:
    view, secret = alerts.create_integration(w.session, w.people.manager, "Prometheus", **options)
    w.session.commit()
    return view.id, secret


def _post(w, secret: str, body, status: int = 200):
    kw = {"content": body} if isinstance(body, str) else {"json": body}
    r = w.client.post("/api/v1/alerts", headers=w.auth(secret), **kw)
    assert r.status_code == status, r.text
    return r.json()


def _ticket(w, number: int) -> Ticket:
    w.session.expire_all()
    ticket = w.session.exec(select(Ticket).where(Ticket.number == number)).one()
    w.session.commit()  # end the read: SQLite's BEGIN IMMEDIATE would hold off the API
    return ticket


def _notes(w, ticket: Ticket) -> list[str]:
    rows = w.session.exec(
        select(Comment.body).where(Comment.ticket_id == ticket.id).order_by(Comment.id)
    ).all()
    w.session.commit()
    return list(rows)


def test_a_firing_alert_opens_an_incident(world):
    w = world
    _, secret = _integration(w)
    out = _post(w, secret, _payload("firing.json"))
    [result] = out["results"]
    assert result["action"] == "opened" and result["fingerprint"] == "8c9a3f0d7e21b4c6"
    t = _ticket(w, result["ticket_number"])
    assert t.type == "incident" and t.priority == "urgent" and t.status == "new"
    assert t.title == "HighErrorRate: Checkout API error rate above 5%"
    assert "5xx ratio is 12.4%" in t.description
    assert "runbook_url: https://runbooks.example.com" in t.description
    assert "- service: checkout" in t.description and "- severity: critical" in t.description
    assert "Channel: monitoring (integration Prometheus)" in t.description
    assert t.details["affected_service"] == "checkout"
    assert t.details["started_at"].startswith("2026-12-07T18:02:41")
    requester = w.session.get(User, t.requester_id)
    assert requester.name == "Prometheus" and requester.email.endswith("@integrations.invalid")


def test_the_same_fingerprint_firing_again_adds_to_the_open_ticket(world):
    w = world
    _, secret = _integration(w)
    first = _post(w, secret, _payload("firing.json"))["results"][0]
    again = _post(w, secret, _payload("firing.json"))["results"][0]
    assert again["action"] == "updated"
    assert again["ticket_number"] == first["ticket_number"]
    assert len(w.session.exec(select(Ticket)).all()) == 1
    [note] = _notes(w, _ticket(w, first["ticket_number"]))
    assert "HighErrorRate fired again" in note and "2026-12-07 18:02:41 UTC" in note


def test_resolved_resolves_an_untouched_ticket_with_a_note(world):
    w = world
    _, secret = _integration(w)
    number = _post(w, secret, _payload("firing.json"))["results"][0]["ticket_number"]
    out = _post(w, secret, _payload("resolved.json"))["results"][0]
    assert out == {"fingerprint": "8c9a3f0d7e21b4c6", "action": "resolved", "ticket_number": number}
    t = _ticket(w, number)
    assert t.status == "resolved"
    assert "resolved at 2026-12-07 18:31:11 UTC" in _notes(w, t)[-1]


def test_resolved_after_a_person_touched_it_only_notes(world):
    w = world
    _, secret = _integration(w)
    number = _post(w, secret, _payload("firing.json"))["results"][0]["ticket_number"]
    t = _ticket(w, number)
    tickets.add_comment(w.session, w.people.agent, t.id, "Looking into it", internal=True)
    w.session.commit()
    out = _post(w, secret, _payload("resolved.json"))["results"][0]
    assert out["action"] == "noted"
    t = _ticket(w, number)
    assert t.status == "new"
    assert "stays as it is" in _notes(w, t)[-1]


def test_firing_after_the_ticket_was_resolved_opens_a_new_one(world):
    w = world
    _, secret = _integration(w)
    first = _post(w, secret, _payload("firing.json"))["results"][0]["ticket_number"]
    _post(w, secret, _payload("resolved.json"))
    second = _post(w, secret, _payload("firing.json"))["results"][0]
    assert second["action"] == "opened" and second["ticket_number"] != first


def test_a_resolved_alert_without_a_ticket_is_ignored(world):
    w = world
    _, secret = _integration(w)
    out = _post(w, secret, _payload("resolved.json"))["results"][0]
    assert out["action"] == "ignored" and out["ticket_number"] is None
    assert w.session.exec(select(Ticket)).all() == []


def test_a_group_opens_one_ticket_per_alert_with_the_severity_map(world):
    w = world
    _, secret = _integration(w)
    out = _post(w, secret, _payload("group_two_firing.json"))["results"]
    assert [r["action"] for r in out] == ["opened", "opened"]
    priorities = [_ticket(w, r["ticket_number"]).priority for r in out]
    assert priorities == ["high", "normal"]  # warning, info


def test_the_integration_sets_priority_map_team_and_category(world):
    w = world
    team, category = make_team(w.session, "SRE"), make_category(w.session, "Infrastructure")
    _, secret = _integration(
        w,
        severity_map={"critical": "high", "warning": "low", "info": "low"},
        team_id=team,
        category_id=category,
    )
    number = _post(w, secret, _payload("firing.json"))["results"][0]["ticket_number"]
    t = _ticket(w, number)
    assert (t.priority, t.team_id, t.category_id) == ("high", team, category)


def test_the_generic_shape(world):
    w = world
    _, secret = _integration(w)
    body = {
        "title": "Backup job failed",
        "status": "firing",
        "fingerprint": "backup-nightly",
        "severity": "critical",
        "description": "rsync exited with 23.",
        "labels": {"host": "nas-1"},
        "source_url": "https://ci.example.com/jobs/412",
    }
    opened = _post(w, secret, body)["results"][0]
    t = _ticket(w, opened["ticket_number"])
    assert t.title == "Backup job failed" and t.priority == "urgent"
    assert "rsync exited with 23." in t.description and "- host: nas-1" in t.description
    assert "https://ci.example.com/jobs/412" in t.description
    done = _post(w, secret, {**body, "status": "resolved"})["results"][0]
    assert done["action"] == "resolved" and _ticket(w, t.number).status == "resolved"


@pytest.mark.parametrize("who", ["none", "garbage", "personal", "revoked"])
def test_only_a_live_integration_token_is_accepted(world, who):
    w = world
    integration_id, secret = _integration(w)
    if who == "revoked":
        alerts.revoke_integration(w.session, w.people.manager, integration_id)
        w.session.commit()
    token = {"garbage": "tki_nope", "personal": w.tokens.manager, "revoked": secret}.get(who)
    headers = w.auth(token) if token else {}
    r = w.client.post("/api/v1/alerts", json=_payload("firing.json"), headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert w.session.exec(select(Ticket)).all() == []


def test_an_integration_token_opens_nothing_else(world):
    w = world
    _, secret = _integration(w)
    assert w.client.get("/api/v1/tickets", headers=w.auth(secret)).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", "body"),
        ("[]", "body"),
        ({"status": "firing", "alerts": "none"}, "alerts"),
        ({"status": "burning", "alerts": []}, "status"),
        ({"title": "x"}, "fingerprint"),
    ],
)
def test_a_malformed_body_is_a_422(world, body, field):
    w = world
    _, secret = _integration(w)
    out = _post(w, secret, body, status=422)
    assert out["error"]["code"] == "validation_failed"
    assert out["error"]["field"]
    assert w.session.exec(select(Ticket)).all() == []


# --- integrations (the service behind /admin/integrations) -----------------------------------


def test_only_managers_manage_integrations(world):
    w = world
    with pytest.raises(PermissionDenied):
        alerts.create_integration(w.session, w.people.agent, "Prometheus")
    with pytest.raises(PermissionDenied):
        alerts.list_integrations(w.session, w.people.agent)


def test_the_token_is_shown_once_and_stored_hashed(world):
    w = world
    integration_id, secret = _integration(w)
    assert secret.startswith("tki_") and len(secret) > 40
    row = w.session.get(AlertIntegration, integration_id)
    assert secret not in row.token_hash and row.prefix == secret[:8]
    [view] = alerts.list_integrations(w.session, w.people.manager)
    assert view.severity_map == {"critical": "urgent", "warning": "high", "info": "normal"}
    assert secret not in repr(view)


def test_integration_values_are_checked(world):
    w = world
    with pytest.raises(ValidationError) as exc:
        alerts.create_integration(w.session, w.people.manager, "  ")
    assert exc.value.field == "name"
    with pytest.raises(ValidationError) as exc:
        alerts.create_integration(
            w.session, w.people.manager, "P", severity_map={"critical": "asap"}
        )
    assert exc.value.field == "severity_critical"
    with pytest.raises(ValidationError) as exc:
        alerts.create_integration(w.session, w.people.manager, "P", team_id=999)
    assert exc.value.field == "team_id"


def test_the_integrations_user_cannot_sign_in(world):
    w = world
    integration_id, _ = _integration(w)
    row = w.session.get(AlertIntegration, integration_id)
    bot = w.session.get(User, row.bot_user_id)
    from ticketapp.services import auth

    with pytest.raises(Exception, match="Wrong email or password"):
        auth.authenticate(w.session, bot.email, "!")


def test_nul_characters_are_dropped(world):
    w = world
    _, secret = _integration(w)
    body = {"title": "Disk\x00 full", "fingerprint": "fp\x00-1", "labels": {"a\x00": "b\x00"}}
    number = _post(w, secret, body)["results"][0]["ticket_number"]
    t = _ticket(w, number)
    assert t.title == "Disk full" and "\x00" not in t.description
