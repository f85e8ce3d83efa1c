"""The e-mail channel's remaining pieces in a real browser against the production build:

- a ticket that arrives by `python -m ticketapp ingest-mail` (a separate process, as a mail
  server's pipe transport runs it) appears on an agent's open board without a reload;
- the analytics view filters by channel (the URL keeps it, the CSV names it);
- a manager writes label rules for an integration at /admin/integrations (a bad line is named
  next to the field), and an alert with matching labels opens its incident in the rule's team.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.e2e.conftest import ROOT, assert_accessible, open_admin_page, path_re, sign_in
from ticketapp.db import make_engine
from ticketapp.models import Team, Ticket

AGENT = "agent@example.com"
MANAGER = "manager@example.com"
ALERTS = Path(__file__).resolve().parents[1] / "data" / "alerts"


def ingest(app_server, subject: str, sender: str = "walk.in@example.net") -> str:
    raw = (
        f"From: Walk In <{sender}>\r\nTo: support@help.example.com\r\nSubject: {subject}\r\n"
        f"Message-ID: <{uuid.uuid4().hex}@example.net>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nThe projector in room 4 shows no image.\r\n"
    ).encode()
    done = subprocess.run(
        [sys.executable, "-m", "ticketapp", "ingest-mail"],
        input=raw,
        env=app_server.env,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.decode()


def test_a_ticket_from_ingest_mail_appears_on_an_open_board(page: Page, app_server):
    sign_in(page, AGENT, expect_path="/board")
    new = page.get_by_role("region", name="New", exact=True)
    expect(new).to_be_visible(timeout=20_000)
    page.evaluate("window.__noReload = 'still here'")
    subject = f"Projector dark {uuid.uuid4().hex[:6]}"
    assert ingest(app_server, subject).startswith("created #")
    expect(new.get_by_text(subject)).to_be_visible(timeout=10_000)
    assert page.evaluate("window.__noReload") == "still here"  # pushed, not reloaded


def test_analytics_filters_by_channel(page: Page, app_server):
    ingest(app_server, f"Channel filter {uuid.uuid4().hex[:6]}")
    sign_in(page, MANAGER, expect_path="/analytics")
    expect(page.get_by_test_id("kpi-value-backlog")).to_have_text(re.compile(r"^\d+$"))
    everything = int(page.get_by_test_id("kpi-value-backlog").inner_text())
    page.get_by_role("combobox", name="Channel").click()
    page.get_by_role("option", name="E-mail", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]channel=email"))
    expect(page.get_by_role("combobox", name="Channel")).to_have_text("E-mail")
    backlog = page.get_by_test_id("kpi-value-backlog")
    expect(backlog).not_to_have_text(str(everything))  # the demo's tickets came by the web
    assert 1 <= int(backlog.inner_text()) < everything
    assert_accessible(page, "analytics-channel-email")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert ["filter", "channel", "E-mail", ""] in rows
    page.reload()  # the URL is the truth
    expect(page.get_by_role("combobox", name="Channel")).to_have_text("E-mail")
    page.emulate_media(color_scheme="dark")
    assert_accessible(page, "analytics-channel-email-dark")


def _post_alert(app_server, token: str, labels: dict[str, str]) -> dict:
    body = json.loads((ALERTS / "firing.json").read_text())
    alert = body["alerts"][0]
    alert["labels"].update(labels)
    alert["fingerprint"] = uuid.uuid4().hex[:16]
    request = urllib.request.Request(
        app_server.url("/api/v1/alerts"),
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as resp:
        return json.loads(resp.read())["results"][0]


def _team_of(app_server, number: int) -> str:
    engine = make_engine(app_server.database_url)
    try:
        with Session(engine) as s:
            ticket = s.exec(select(Ticket).where(Ticket.number == number)).one()
            return s.get(Team, ticket.team_id).name if ticket.team_id else ""
    finally:
        engine.dispose()


def test_integration_label_rules_route_alerts(page: Page, app_server):
    sign_in(page, MANAGER, expect_path="/analytics")
    open_admin_page(page, "Integrations")
    expect(page).to_have_url(path_re("/admin/integrations"))
    expect(page.get_by_role("heading", name="Integrations", level=1)).to_be_visible()
    page.get_by_role("button", name="New integration").click()
    dialog = page.get_by_role("dialog")
    name = f"Routed {uuid.uuid4().hex[:6]}"
    dialog.get_by_label("Name").fill(name)
    rules = dialog.get_by_label("Routing by label")
    rules.fill("service=storage -> team: Nobody")
    dialog.get_by_role("button", name="Save integration").click()
    expect(dialog.get_by_text("Line 1: there is no team named Nobody.")).to_be_visible()
    expect(rules).to_have_value("service=storage -> team: Nobody")  # nothing lost
    assert_accessible(page, "integrations-label-rules-error")
    rules.fill("service=storage -> team: infrastructure, category: Infrastructure")
    dialog.get_by_role("button", name="Save integration").click()
    token = page.get_by_role("textbox", name="Token", exact=True).input_value()
    assert token.startswith("tki_")
    page.get_by_role("button", name="Close").click()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("service=storage -> team: Infrastructure, category: Infrastructure")
    assert_accessible(page, "integrations-label-rules")
    routed = _post_alert(app_server, token, {"service": "storage"})
    assert routed["action"] == "opened"
    assert _team_of(app_server, routed["ticket_number"]) == "Infrastructure"
    # Editing shows the rules as written.
    row.get_by_role("button", name=f"Edit {name}").click()
    expect(page.get_by_role("dialog").get_by_label("Routing by label")).to_have_value(
        "service=storage -> team: Infrastructure, category: Infrastructure"
    )
