"""Accounts, sessions and roles, as a person uses them."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, path_re, sign_in

HOMES = [
    ("requester@example.com", "/portal", "My tickets"),
    ("agent@example.com", "/board", "Board"),
    ("manager@example.com", "/analytics", "Analytics"),
]


def _unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.org"


def test_sign_in_page_is_accessible(page: Page):
    page.goto("/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page, "login")


@pytest.mark.parametrize(("email", "home", "heading"), HOMES)
def test_each_role_lands_on_its_home(page: Page, email: str, home: str, heading: str):
    sign_in(page, email, expect_path=home)
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page, f"home-{home.strip('/')}")


def test_sign_up_makes_a_requester(page: Page):
    page.goto("/signup")
    assert_accessible(page, "signup")
    page.get_by_label("Name").fill("Sam Signup")
    page.get_by_label("Email").fill(_unique_email("sam"))
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Use at least 8 characters")).to_be_visible()
    # Nothing typed is lost on the error.
    expect(page.get_by_label("Name")).to_have_value("Sam Signup")

    page.get_by_label("Password").fill("password123")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("too common")).to_be_visible()

    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(path_re("/portal"))
    expect(page.get_by_text("Sam Signup")).to_be_visible()


def test_wrong_email_and_wrong_password_read_the_same(page: Page):
    sign_in(page, "agent@example.com", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    sign_in(page, "nobody-here@example.com", "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    expect(page).to_have_url(path_re("/login"))


def test_lockout_after_five_failures(page: Page, app_server):
    email = _unique_email("lock")
    app_server.cli(
        "create-user",
        "--role",
        "agent",
        "--email",
        email,
        "--name",
        "Lock Test",
        "--password",
        "a long enough passphrase",
    )
    for _ in range(5):
        sign_in(page, email, "wrong password!")
        expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    # Even the right password is refused while locked, with a clear message.
    sign_in(page, email, "a long enough passphrase")
    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-in attempts")
    expect(page).to_have_url(path_re("/login"))


def test_sign_out_ends_the_session_server_side(page: Page, new_page):
    sign_in(page, "agent@example.com", expect_path="/board")
    token = next(c for c in page.context.cookies() if c["name"] == "ticketapp_session")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(path_re("/login"))
    page.goto("/board")
    expect(page).to_have_url(re.compile(r"/login"))

    # The old token, replayed from another browser, no longer works.
    other = new_page()
    other.context.add_cookies([token])
    other.goto("/board")
    expect(other).to_have_url(re.compile(r"/login"))


# /analytics sends non-managers to their home instead: tests/e2e/test_analytics.py.
@pytest.mark.parametrize("path", ["/board", "/admin/users"])
def test_requester_is_refused_staff_pages(page: Page, path: str):
    sign_in(page, "requester@example.com", expect_path="/portal")
    page.goto(path)
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_text("manager@example.com")).to_have_count(0)


def test_signed_out_visitor_is_sent_to_sign_in_and_back(page: Page):
    page.goto("/admin/users")
    expect(page).to_have_url(re.compile(r"/login\?next=/admin/users"))
    page.get_by_label("Email").fill("manager@example.com")
    page.get_by_label("Password").fill("demo-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(path_re("/admin/users"))


def test_manager_creates_agent_changes_role_and_deactivates(page: Page, new_page):
    email = _unique_email("newagent")
    sign_in(page, "manager@example.com", expect_path="/analytics")
    # The Admin menu by keyboard: Enter opens it on its first page, Enter opens that.
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Admin").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("menuitem", name="Users", exact=True)).to_be_focused()
    assert_accessible(page, "admin-menu")
    page.keyboard.press("Enter")
    expect(page).to_have_url(path_re("/admin/users"))
    page.get_by_role("button", name="New user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Nora Newagent")
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Password").fill("a fresh agent passphrase")
    assert_accessible(page, "admin-users-new")
    dialog.get_by_role("button", name="Create user").click()
    expect(page.get_by_text(f"Account created for {email}")).to_be_visible()
    expect(page.get_by_role("cell", name=email)).to_be_visible()
    assert_accessible(page, "admin-users")

    # The new agent signs in and lands on the board.
    agent = new_page()
    sign_in(agent, email, "a fresh agent passphrase", expect_path="/board")

    # Role change applies on the agent's very next action.
    page.get_by_label("Role of Nora Newagent").click()
    page.get_by_role("option", name="requester").click()
    expect(page.get_by_text("Role changed")).to_be_visible()
    agent.goto("/board")
    expect(agent.get_by_role("heading", name="Not allowed")).to_be_visible()

    # Deactivation signs them out everywhere, after a confirmation.
    page.get_by_role("button", name="Deactivate Nora Newagent").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("signed out everywhere")
    confirm.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("User deactivated.")).to_be_visible()
    agent.goto("/portal")
    expect(agent).to_have_url(re.compile(r"/login"))
    sign_in(agent, email, "a fresh agent passphrase")
    expect(agent.get_by_role("alert")).to_have_text("Wrong email or password.")


def test_dark_mode_toggle_is_accessible(page: Page):
    sign_in(page, "agent@example.com", expect_path="/board")
    page.get_by_role("button", name="Toggle dark mode").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    assert_accessible(page, "home-board-dark")
    page.reload()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page, "login-dark")
