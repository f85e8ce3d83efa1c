"""The security audit log end to end: a manager changes a user's role at /admin/users and finds
it at /admin/audit (with the failed and successful sign-ins before it), filters by action,
actor and dates, and exports the filtered log as CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, sign_in

MANAGER = "manager@example.com"
PASSWORD = "a long enough passphrase"


def _choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_role_change_is_in_the_audit_log_filtered_and_exported(page: Page, app_server):
    email = f"audit-{uuid.uuid4().hex[:8]}@example.com"
    name = f"Audra {uuid.uuid4().hex[:4]}"
    app_server.cli(
        "create-user", "--role", "agent", "--email", email, "--name", name, "--password", PASSWORD
    )
    sign_in(page, MANAGER, "not the password")
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    sign_in(page, MANAGER, expect_path="/analytics")

    page.goto("/admin/users")
    page.get_by_label(f"Role of {name}").click()
    page.get_by_role("option", name="Manager").click()
    expect(page.get_by_text("Role changed")).to_be_visible()

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Security audit log")
    row = table.get_by_role("row").filter(has_text=email).first
    expect(row).to_contain_text("Role changed")
    expect(row).to_contain_text(MANAGER)
    expect(row).to_contain_text("agent -> manager")
    expect(table).to_contain_text("Sign-in failed")
    expect(table).to_contain_text("Signed in")
    assert_accessible(page, "admin-audit")

    # Filters: one action, one actor, today.
    today = datetime.now(UTC).date()
    _choose(page, "Action", "Role changed")
    page.get_by_label("Actor", exact=True).fill("manager@")
    page.get_by_label("From", exact=True).fill(str(today))
    page.get_by_label("To", exact=True).fill(str(today))
    page.get_by_role("button", name="Apply filters").click()
    expect(table.get_by_role("row").filter(has_text="Signed in")).to_have_count(0)
    expect(table.get_by_role("row").filter(has_text=email)).to_have_count(1)
    assert_accessible(page, "admin-audit-filtered")

    # Export what the filters select.
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    download = info.value
    assert download.suggested_filename == "audit-log.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["time_utc", "actor", "action", "target", "detail", "ip"]
    assert {r[2] for r in rows[1:]} == {"role_changed"}
    assert any(r[3] == email and r[4] == "agent -> manager" for r in rows[1:])
    expect(page.get_by_text("Audit log exported.")).to_be_visible()

    # A range before today holds none of it; a wrong range is explained next to the field.
    page.get_by_label("From", exact=True).fill(str(today - timedelta(days=3)))
    page.get_by_label("To", exact=True).fill(str(today - timedelta(days=1)))
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No entries match these filters.")).to_be_visible()
    page.get_by_label("From", exact=True).fill(str(today))
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("The end date is before the start date.")).to_be_visible()
    page.get_by_role("button", name="Clear").click()
    expect(table.get_by_role("row").filter(has_text="Data exported").first).to_be_visible()
