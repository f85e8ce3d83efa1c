"""Monitoring intake end to end: a manager creates an integration at /admin/integrations (the
token is shown once), the test posts a real Alertmanager webhook body with that token to the
running server, and the incident appears on an agent's open board without a reload; the
integration is revoked after a confirmation, and its token stops working."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, open_admin_page, sign_in

DATA = Path(__file__).resolve().parents[1] / "data" / "alerts"


def _post(app_server, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        app_server.url("/api/v1/alerts"),
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _payload(name: str) -> dict:
    body = json.loads((DATA / "firing.json").read_text())
    alert = body["alerts"][0]
    alert["labels"]["alertname"] = name
    alert["fingerprint"] = uuid.uuid4().hex[:16]
    return body


def _create_integration(page: Page) -> str:
    open_admin_page(page, "Integrations")
    expect(page.get_by_role("heading", name="Integrations", level=1)).to_be_visible()
    expect(page.get_by_text("No integrations yet.")).to_be_visible()
    assert_accessible(page, "integrations-empty")
    page.get_by_role("button", name="New integration").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Save integration").click()
    expect(dialog.get_by_text("Give the integration a name.")).to_be_visible()
    dialog.get_by_label("Name").fill("Prometheus production")
    expect(dialog.get_by_label("critical")).to_have_text("Urgent")
    dialog.get_by_label("warning").click()
    page.get_by_role("option", name="Urgent").click()
    assert_accessible(page, "integrations-form")
    dialog.get_by_role("button", name="Save integration").click()
    token_dialog = page.get_by_role("dialog", name="Token for Prometheus production")
    box = token_dialog.get_by_label("Token", exact=True)
    expect(box).to_have_value(re.compile(r"^tki_[\w-]{40,}$"))
    expect(page.get_by_text("Integration created. Copy its token now.")).to_be_visible()
    # (let the toast leave: under the dialog's overlay axe reads it as low contrast)
    expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=15_000)
    assert_accessible(page, "integrations-token")
    token = box.input_value()
    token_dialog.get_by_role("button", name="Close").click()
    row = page.get_by_role("row", name=re.compile("Prometheus production"))
    expect(row).to_contain_text("warning → Urgent")
    expect(row).not_to_contain_text(token)
    return token


def test_an_alert_opens_an_incident_on_an_open_board(page: Page, new_page, app_server):
    sign_in(page, "manager@example.com", expect_path="/analytics")
    token = _create_integration(page)

    board = new_page()
    sign_in(board, "agent@example.com", expect_path="/board")
    new_column = board.get_by_role("region", name="New", exact=True)
    expect(new_column).to_be_visible(timeout=20_000)

    name = f"DiskFull{uuid.uuid4().hex[:6]}"
    body = _payload(name)
    status, out = _post(app_server, token, body)
    assert status == 200, out
    [result] = out["results"]
    assert result["action"] == "opened"
    card = new_column.get_by_test_id(f"card-{result['ticket_number']}")
    expect(card).to_be_visible(timeout=20_000)  # pushed to the open board: no reload
    expect(card).to_contain_text(name)
    assert_accessible(board, "alerts-board")

    again = _post(app_server, token, body)[1]["results"][0]  # the same alert fires again
    assert again == {**result, "action": "updated"}
    expect(board.get_by_text(name)).to_have_count(1)

    page.get_by_role("button", name="Revoke Prometheus production").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Revoked Prometheus production")).to_be_visible()
    assert _post(app_server, token, _payload(name))[0] == 401
    page.get_by_role("button", name="Toggle dark mode").click()
    assert_accessible(page, "integrations-revoked-dark")


def test_agents_cannot_open_the_integrations_page(page: Page):
    sign_in(page, "agent@example.com", expect_path="/board")
    expect(page.get_by_role("link", name="Integrations")).to_have_count(0)
    page.goto("/admin/integrations")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("button", name="New integration")).to_have_count(0)
