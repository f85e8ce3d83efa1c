"""API tokens end to end: a requester opens /settings/tokens from /settings, gets a field error
for a nameless token, creates one (the secret shown once, copied with the button), uses it
against the REST API of the running server, revokes it after confirming, and the API refuses
it. The offline API docs page renders. Axe-clean at every step, light and dark."""

from __future__ import annotations

import re
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, path_re, sign_in

REQUESTER = "requester@example.com"


def _api_me(app_server, secret: str) -> httpx.Response:
    return httpx.get(
        app_server.url("/api/v1/me"), headers={"Authorization": f"Bearer {secret}"}, timeout=10
    )


def test_create_use_and_revoke_a_token(page: Page, app_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, REQUESTER, expect_path="/portal")
    page.goto("/settings")
    page.get_by_role("link", name="API tokens").click()
    expect(page).to_have_url(path_re("/settings/tokens"))
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    assert_accessible(page, "api-tokens-list")

    page.get_by_role("button", name="New token").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Create token").click()
    expect(dialog.get_by_text("Give the token a name.")).to_be_visible()
    assert_accessible(page, "api-tokens-dialog-error")
    name = f"CRM sync {uuid.uuid4().hex[:6]}"
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Scope").click()
    page.get_by_role("option", name="Read and write", exact=True).click()
    dialog.get_by_label("Expires after (days)").fill("30")
    dialog.get_by_role("button", name="Create token").click()

    shown = page.get_by_role("dialog", name="Copy your new token")
    expect(shown).to_be_visible()
    secret = shown.get_by_label("Your new token").input_value()
    assert secret.startswith("tka_") and len(secret) > 40
    assert_accessible(page, "api-tokens-secret")
    shown.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    shown.get_by_role("button", name="Done").click()
    expect(shown).to_be_hidden()

    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Read and write")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text(secret[:8])
    assert secret not in page.content()  # shown once: gone from the page
    me = _api_me(app_server, secret)
    assert me.status_code == 200 and me.json()["email"] == REQUESTER

    # (let the toasts leave: axe reads colours mid-fade)
    expect(page.get_by_text("Copied.")).to_have_count(0, timeout=15_000)
    page.get_by_role("button", name=f"Revoke {name}").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text(name)
    assert_accessible(page, "api-tokens-revoke-confirm")
    confirm.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Token revoked.")).to_be_visible()
    expect(row).to_contain_text("Revoked")
    expect(page.get_by_role("button", name=f"Revoke {name}")).to_have_count(0)
    assert_accessible(page, "api-tokens-revoked")
    refused = _api_me(app_server, secret)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"

    page.get_by_role("button", name="Toggle dark mode").click()
    expect(page.locator("html")).to_have_class(re.compile("dark"))
    assert_accessible(page, "api-tokens-dark")


def test_api_docs_render_offline(page: Page, app_server):
    external: list[str] = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(app_server.base_url) else None,
    )
    page.goto("/api/docs")
    expect(page.get_by_text("ticketapp API").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/api/v1/tickets/{number}").first).to_be_visible()
    assert external == []
