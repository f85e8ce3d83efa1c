"""Password reset end to end: "Forgot password?" on the sign-in page, the link arrives at the
SMTP sink (sent by `deliver-mail`), a new password is chosen (the sign-up rules apply), the new
password signs in, the old one does not, and the browser that was signed in before is signed
out. The same answer for an unknown address; a used link is refused."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import assert_accessible, path_re, sign_in

OLD = "first passphrase of mine"
NEW = "second passphrase of mine"
LINK = re.compile(r"http://\S+/reset\?token=[\w-]+")


def _sign_up(page: Page, email: str) -> None:
    page.goto("/signup")
    page.get_by_label("Name").fill("Rosa Reset")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(OLD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(path_re("/portal"), timeout=15_000)


def _open_forgot_page(page: Page) -> None:
    """From the sign-in page's link (a click the page takes while it hydrates is repeated)."""
    page.goto("/login")
    for _attempt in range(3):
        page.get_by_role("link", name="Forgot password?").click()
        try:
            page.wait_for_url(path_re("/forgot"), timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()


def _ask_for_link(page: Page, email: str) -> None:
    _open_forgot_page(page)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_text("If an account uses that address, we have sent it")).to_be_visible()


def _link_from_sink(app_server, smtp_sink, email: str) -> str:
    app_server.cli("deliver-mail")
    sink, _ = smtp_sink
    [mail] = sink.to(email)
    assert mail["Subject"] == "Reset your ticketapp password"
    body = mail.get_payload(decode=True).decode()
    match = LINK.search(body)
    assert match, body
    return match.group(0)


def test_reset_by_email_signs_out_the_old_session(page: Page, new_page, app_server, smtp_sink):
    email = f"rosa-{uuid.uuid4().hex[:8]}@example.com"
    old_browser = new_page()
    _sign_up(old_browser, email)

    page.goto("/login")
    assert_accessible(page, "login-forgot-link")
    _ask_for_link(page, email)
    assert_accessible(page, "forgot-sent")
    link = _link_from_sink(app_server, smtp_sink, email)

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Use at least 8 characters.")).to_be_visible()
    expect(page.get_by_label("New password", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "reset-password-error")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password is changed. Sign in with the new one.")).to_be_visible()
    expect(page).to_have_url(path_re("/login"))

    sign_in(page, email, OLD)
    expect(page.get_by_text("Wrong email or password.")).to_be_visible()
    sign_in(page, email, NEW, expect_path="/portal")

    old_browser.goto("/portal")  # the session from before the reset has ended
    expect(old_browser).to_have_url(path_re("/login"), timeout=15_000)

    page.goto(link)  # used once: refused
    expect(page.get_by_text("This reset link is invalid, used or expired.")).to_be_visible()
    assert_accessible(page, "reset-link-used")


def test_an_unknown_address_gets_the_same_answer(page: Page, app_server, smtp_sink):
    email = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    _ask_for_link(page, email)
    app_server.cli("deliver-mail")
    assert smtp_sink[0].to(email) == []
    page.get_by_role("button", name="Toggle dark mode").click()
    assert_accessible(page, "forgot-sent-dark")
