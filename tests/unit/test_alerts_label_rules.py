"""Alerts routed by their labels: an integration's rules choose the team and the category of the
incident an alert opens (first match; else the integration's own); the rules as written at
/admin/integrations, checked line by line. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.unit.factories import make_category, make_team, people
from ticketapp.models import Category, Team, Ticket
from ticketapp.services import alerts
from ticketapp.services.alerts import label_rules
from ticketapp.services.errors import ValidationError

RULES = """
# databases to the DBAs; anything critical to on-call
service=postgres -> team: database, category: Infrastructure
severity=critical -> team: On-call
env=staging -> category: Testing
"""


@pytest.fixture
def setup(session):
    p = people(session)
    ids = {
        "db": make_team(session, "Database"),
        "oncall": make_team(session, "On-call"),
        "ops": make_team(session, "Operations"),
        "infra": make_category(session, "Infrastructure"),
        "testing": make_category(session, "Testing"),
        "other": make_category(session, "Other"),
    }
    view, secret = alerts.create_integration(
        session, p.manager, "Prometheus", None, ids["ops"], ids["other"], RULES
    )
    session.commit()
    return p, ids, view, secret


def fire(session, secret: str, name: str, severity: str = "warning", **labels) -> Ticket:
    source = alerts.resolve(session, secret)
    labels = {"alertname": name, "severity": severity, **labels}
    alert = alerts.Alert(status="firing", name=name, severity=severity, labels=labels)
    [out] = alerts.receive(session, source, [alert])
    session.commit()
    return session.get(Ticket, out.ticket_id)


def test_the_first_matching_rule_chooses_team_and_category(session, setup):
    _p, ids, view, secret = setup
    assert [r["label"] for r in view.label_rules] == ["service", "severity", "env"]
    db = fire(session, secret, "PgDown", "critical", service="postgres")
    assert (db.team_id, db.category_id) == (ids["db"], ids["infra"])  # first rule wins the team
    hot = fire(session, secret, "DiskFull", "critical", service="nginx", env="staging")
    assert (hot.team_id, hot.category_id) == (ids["oncall"], ids["testing"])
    plain = fire(session, secret, "Slow", "warning", service="nginx")
    assert (plain.team_id, plain.category_id) == (ids["ops"], ids["other"])  # the integration's


def test_a_deleted_team_falls_back_to_the_integrations(session, setup):
    _p, ids, _view, secret = setup
    session.delete(session.get(Team, ids["db"]))
    session.delete(session.get(Category, ids["infra"]))
    session.commit()
    t = fire(session, secret, "PgDown", "warning", service="postgres")
    assert (t.team_id, t.category_id) == (ids["ops"], ids["other"])


def test_rules_round_trip_and_edit(session, setup):
    p, ids, view, _secret = setup
    teams = {ids["db"]: "Database", ids["oncall"]: "On-call", ids["ops"]: "Operations"}
    cats = {ids["infra"]: "Infrastructure", ids["testing"]: "Testing", ids["other"]: "Other"}
    text = label_rules.as_text(view.label_rules, teams, cats)
    assert text.splitlines() == [
        "service=postgres -> team: Database, category: Infrastructure",
        "severity=critical -> team: On-call",
        "env=staging -> category: Testing",
    ]
    edited = alerts.update_integration(
        session,
        p.manager,
        view.id,
        "Prometheus",
        None,
        ids["ops"],
        None,
        "team=db -> team: Database",
    )
    assert edited.label_rules == [
        {"label": "team", "value": "db", "team_id": ids["db"], "category_id": None}
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("service postgres -> team: Database", 1),
        ("\nservice=postgres -> squad: Database", 2),
        ("service=postgres -> team: Nobody", 1),
        ("service=x -> team: Database\nservice=y -> category: Nothing", 2),
        ("service=postgres ->", 1),
    ],
)
def test_a_bad_line_is_named(session, setup, text, line):
    p, ids, view, _secret = setup
    with pytest.raises(ValidationError) as err:
        alerts.update_integration(session, p.manager, view.id, "P", None, None, None, text)
    assert err.value.field == "label_rules" and err.value.params["line"] == line
