"""Two-factor sign-in end to end, with real TOTP codes computed here (pyotp) from the key the
page shows as text: enrol, sign out, sign in with password + code, with a recovery code (which
then no longer works), and on a remembered device without a code; and a team that requires
two-factor holds staff at /settings/security until they enrol."""

from __future__ import annotations

import re
import time
import uuid

import pyotp
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, path_re, sign_in

PASSWORD = "a long enough passphrase"


def _new_agent(app_server) -> str:
    email = f"twofa-{uuid.uuid4().hex[:8]}@example.com"
    app_server.cli(
        "create-user",
        "--role",
        "agent",
        "--email",
        email,
        "--name",
        "Tess Two",
        "--password",
        PASSWORD,
    )
    return email


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(path_re("/login"))


def _password_step(page: Page, email: str) -> None:
    sign_in(page, email, PASSWORD)
    expect(page.get_by_role("heading", name="Two-factor sign-in", level=1)).to_be_visible()


def _code_step(page: Page, code: str, remember: bool = False) -> None:
    page.get_by_label("Code", exact=True).fill(code)
    if remember:
        page.get_by_label("Remember this device for 30 days").check()
    page.get_by_role("button", name="Verify").click()


def _enrol(page: Page, from_settings: bool = True) -> tuple[str, list[str]]:
    if from_settings:
        page.goto("/settings")
        page.get_by_role("link", name="Security and two-factor sign-in").click()
    expect(page).to_have_url(path_re("/settings/security"))
    assert_accessible(page, "security-settings" if from_settings else "security-required")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.get_by_label("Setup key").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    assert_accessible(page, "security-enrol")
    page.get_by_label("Code from your app").fill("12345")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("That code is not valid.")).to_be_visible()
    page.get_by_label("Code from your app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    codes_list = page.get_by_role("list", name="Recovery codes")
    expect(codes_list.get_by_role("listitem")).to_have_count(10)
    codes = [c.strip() for c in codes_list.get_by_role("listitem").all_inner_texts()]
    assert_accessible(page, "security-recovery-codes")
    page.get_by_role("button", name="I have stored them").click()
    expect(page.get_by_text("Sign-in asks for a code from your authenticator app.")).to_be_visible()
    expect(page.get_by_text("10 recovery codes left")).to_be_visible()
    return secret, codes


def test_enrol_then_sign_in_with_code_recovery_code_and_remembered_device(page: Page, app_server):
    email = _new_agent(app_server)
    sign_in(page, email, PASSWORD, expect_path="/board")
    secret, codes = _enrol(page)
    _sign_out(page)

    # Password, then a code. A wrong code is refused with a message next to the field.
    _password_step(page, email)
    assert_accessible(page, "login-code-step")
    _code_step(page, "000001")
    expect(page.get_by_text("That code is not valid.")).to_be_visible()
    # The enrolment used this time step's code: the next step's (within the drift window) works.
    _code_step(page, pyotp.TOTP(secret).at(time.time() + 30))
    expect(page).to_have_url(path_re("/board"), timeout=15_000)
    _sign_out(page)

    # A recovery code works once.
    _password_step(page, email)
    _code_step(page, codes[0])
    expect(page).to_have_url(path_re("/board"), timeout=15_000)
    _sign_out(page)
    _password_step(page, email)
    _code_step(page, codes[0])
    expect(page.get_by_text("That code is not valid.")).to_be_visible()

    # Remember this device: the next sign-in skips the code.
    _code_step(page, codes[1], remember=True)
    expect(page).to_have_url(path_re("/board"), timeout=15_000)
    device = next(c for c in page.context.cookies() if c["name"] == "ticketapp_device")
    assert device["httpOnly"] and device["sameSite"] == "Strict"  # no script reads it either
    assert "ticketapp_device" not in page.evaluate("document.cookie")
    _sign_out(page)
    sign_in(page, email, PASSWORD, expect_path="/board")
    page.goto("/settings/security")
    expect(page.get_by_text("8 recovery codes left")).to_be_visible()


def _switch(page: Page):
    return page.get_by_role("switch", name="Require two-factor sign-in for all staff")


def test_required_for_staff_holds_them_at_enrolment(page: Page, new_page, app_server):
    email = _new_agent(app_server)
    boss_email = f"boss-{uuid.uuid4().hex[:8]}@example.com"
    app_server.cli(
        "create-user",
        "--role",
        "manager",
        "--email",
        boss_email,
        "--name",
        "Bo Boss",
        "--password",
        PASSWORD,
    )
    manager = new_page()
    sign_in(manager, boss_email, PASSWORD, expect_path="/analytics")
    # A manager without two-factor cannot require it (it would shut them out too).
    manager.goto("/admin/users")
    _switch(manager).click()
    expect(manager.get_by_text("Turn on two-factor sign-in for yourself first.")).to_be_visible()
    expect(_switch(manager)).not_to_be_checked()
    _enrol(manager)
    manager.goto("/admin/users")
    _switch(manager).click()
    expect(manager.get_by_text("Two-factor sign-in is now required for staff.")).to_be_visible()
    expect(_switch(manager)).to_be_checked()
    assert_accessible(manager, "admin-users-require-2fa")
    try:
        sign_in(page, email, PASSWORD, expect_path="/settings/security")
        expect(
            page.get_by_text("Your team requires two-factor sign-in. Turn it on to continue.")
        ).to_be_visible()
        page.goto("/board")
        expect(page).to_have_url(path_re("/settings/security"), timeout=15_000)
        _enrol(page, from_settings=False)
        page.goto("/board")
        expect(page.get_by_role("heading", name="Board", level=1)).to_be_visible()
        expect(page).to_have_url(path_re("/board"))
    finally:
        manager.goto("/admin/users")
        expect(_switch(manager)).to_be_checked()
        _switch(manager).click()
        expect(_switch(manager)).not_to_be_checked()
