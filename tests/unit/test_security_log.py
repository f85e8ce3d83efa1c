"""The security audit log: what is recorded (in the act's transaction), who may read it, the
filters, the CSV export, retention, and the client address behind a trusted proxy only."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlmodel import select

from ticketapp import i18n
from ticketapp.models import Role, SecurityEvent, utcnow
from ticketapp.services import api_tokens, auth, security_log
from ticketapp.services.actor import Actor
from ticketapp.services.errors import PermissionDenied, ValidationError
from ticketapp.services.routing import people
from ticketapp.services.sla import admin as sla_admin

PASSWORD = "a long enough passphrase"


def _user(session, email, role) -> Actor:
    user = auth.create_user(session, None, email, email.split("@")[0].title(), PASSWORD, role)
    session.commit()
    return Actor.of(user)


def _rows(session) -> list[SecurityEvent]:
    """The log after the set-up (creating users from the shell is logged too)."""
    stmt = select(SecurityEvent).where(SecurityEvent.action != "user_created")
    return list(session.exec(stmt.order_by(SecurityEvent.id)).all())


@pytest.fixture
def people_(session):
    return (
        _user(session, "boss@example.com", Role.MANAGER),
        _user(session, "agent@example.com", Role.AGENT),
    )


def test_role_and_activation_changes_are_recorded(session, people_):
    boss, agent = people_
    auth.change_role(session, boss, agent.id, Role.MANAGER)
    auth.set_active(session, boss, agent.id, False)
    auth.set_active(session, boss, agent.id, False)  # no change: nothing more
    session.commit()
    rows = _rows(session)
    assert [(r.action, r.actor_email, r.target) for r in rows] == [
        ("role_changed", boss.email, agent.email),
        ("user_deactivated", boss.email, agent.email),
    ]
    assert rows[0].detail == "agent -> manager"


def test_a_refused_act_leaves_no_record(session, people_):
    boss, _agent = people_
    with pytest.raises(ValidationError):
        auth.change_role(session, boss, boss.id, Role.AGENT)  # the last manager
    session.rollback()
    assert _rows(session) == []


def test_a_rolled_back_act_takes_its_record_with_it(session, people_):
    boss, agent = people_
    auth.change_role(session, boss, agent.id, Role.MANAGER)
    session.rollback()
    assert _rows(session) == []


def test_tokens_admin_edits_and_exports(session, people_):
    boss, agent = people_
    view, _secret = api_tokens.create_token(session, agent, "CRM sync", "read", 30)
    api_tokens.revoke_token(session, agent, view.id)
    team = people.create_team(session, boss, "Network")
    policy = sla_admin.save_policy(
        session,
        boss,
        None,
        {
            "name": "Urgent",
            "priority": "urgent",
            "first_response_minutes": "30",
            "resolution_minutes": "240",
            "business_hours": False,
        },
    )
    security_log.record_export(session, boss, "analytics-2026-12-01-to-2026-12-07.csv")
    session.commit()
    got = [(r.action, i18n.shown(r.target)) for r in _rows(session)]
    assert ("api_token_created", "CRM sync") in got
    assert ("api_token_revoked", "CRM sync") in got
    assert ("routing_changed", f"Team #{team.id}") in got
    assert ("sla_changed", f"SLA policy #{policy}") in got
    assert ("export", "analytics-2026-12-01-to-2026-12-07.csv") in got


def test_only_managers_read_it_and_filters_work(session, people_):
    boss, agent = people_
    auth.change_role(session, boss, agent.id, Role.MANAGER)
    security_log.record(session, "sign_in_failed", actor_email="x@example.com")
    session.commit()
    with pytest.raises(PermissionDenied):
        security_log.list_events(session, _user(session, "a2@example.com", Role.AGENT), None)  # type: ignore[arg-type]
    everything = security_log.list_events(session, boss, security_log.Filters())
    assert {r.action for r in everything} == {"role_changed", "sign_in_failed", "user_created"}
    by_actor = security_log.list_events(
        session, boss, security_log.parse_filters({"actor": "BOSS"})
    )
    assert [r.action for r in by_actor] == ["role_changed"]
    by_action = security_log.parse_filters({"action": "sign_in_failed"})
    assert [r.actor_email for r in security_log.list_events(session, boss, by_action)] == [
        "x@example.com"
    ]
    today = utcnow().date()
    span = security_log.parse_filters({"start": str(today), "end": str(today)})
    assert len(security_log.list_events(session, boss, span)) == len(everything)
    past = security_log.parse_filters({"end": str(today - timedelta(days=1))})
    assert security_log.list_events(session, boss, past) == []
    with pytest.raises(ValidationError):
        security_log.parse_filters({"action": "drop table"})
    with pytest.raises(ValidationError) as exc:
        security_log.parse_filters({"start": "2026-12-07", "end": "2026-12-01"})
    assert exc.value.field == "end"
    with pytest.raises(ValidationError):
        security_log.parse_filters({"start": "yesterday"})
    assert security_log.parse_filters({"start": "2026-12-01"}).start == date(2026, 12, 1)


def test_csv_export_defuses_formulas_and_is_logged(session, people_):
    boss, _agent = people_
    security_log.record(session, "sign_in_failed", actor_email="=cmd|'/c calc'!A1@x.com")
    session.commit()
    only_failed = security_log.Filters(action="sign_in_failed")
    text = security_log.export_csv(session, boss, only_failed)
    session.commit()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(security_log.CSV_COLUMNS)
    assert len(rows) == 2 and rows[1][1].startswith("'=")
    assert _rows(session)[-1].action == "export"


def test_prune_keeps_the_retention(session, people_, monkeypatch):
    boss, _agent = people_
    monkeypatch.setenv("TICKETAPP_AUDIT_RETENTION_DAYS", "30")
    security_log.record(session, "export", boss, target="old")
    security_log.record(session, "export", boss, target="new")
    session.flush()
    old = _rows(session)[0]
    old.created_at = utcnow() - timedelta(days=31)
    session.add(old)
    session.commit()
    assert security_log.prune(session) == 1
    session.commit()
    assert [r.target for r in _rows(session)] == ["new"]


def test_no_update_or_delete_path_in_services():
    import inspect

    source = inspect.getsource(security_log)
    assert source.count("delete(") == 1  # prune, the scheduler's retention job
    assert "update(" not in source


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("203.0.113.7", "", "203.0.113.7"),
        ("203.0.113.7", "1.2.3.4", "203.0.113.7"),  # a client's own header is ignored
        ("127.0.0.1", "198.51.100.2", "198.51.100.2"),  # nginx on the same host
        ("127.0.0.1", "6.6.6.6, 198.51.100.2", "198.51.100.2"),  # forged first entry
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("10.0.0.5", "198.51.100.2", "10.0.0.5"),  # not configured as trusted
    ],
)
def test_client_ip(peer, header, expected, monkeypatch):
    monkeypatch.delenv("TICKETAPP_TRUSTED_PROXIES", raising=False)
    assert security_log.client_ip(peer, header) == expected


def test_trusted_proxies_are_configurable(monkeypatch):
    monkeypatch.setenv("TICKETAPP_TRUSTED_PROXIES", "10.0.0.0/8")
    assert security_log.client_ip("10.0.0.5", "198.51.100.2, 10.0.0.9") == "198.51.100.2"
    assert security_log.client_ip("127.0.0.1", "198.51.100.2") == "127.0.0.1"
