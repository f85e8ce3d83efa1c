"""A requester's own browser sends a manager-only event over its websocket: it is refused.

Reflex lets any client call any public handler with any arguments; the role guard and the
services must refuse it whatever is sent.
"""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import Page, WebSocketRoute
from reflex_base.utils.format import format_event_handler
from sqlmodel import Session, select

from tests.e2e.conftest import path_re, sign_in
from ticketapp.db import make_engine
from ticketapp.models import User
from ticketapp.pages.admin_users import AdminUsersState
from ticketapp.services import auth
from ticketapp.state import SessionState

FRAME_PREFIX = re.compile(r"^(42(?:/[^,\[]*,)?)\[")


class SocketTap:
    """Sits between the page and the server, forwarding both ways and recording."""

    def __init__(self) -> None:
        self.server: WebSocketRoute | None = None
        self.prefix = ""
        self.received: list[str] = []

    def attach(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        self.server = server

        def from_page(message):
            if isinstance(message, str) and (m := FRAME_PREFIX.match(message)):
                self.prefix = m.group(1)
            server.send(message)

        def from_server(message):
            self.received.append(message if isinstance(message, str) else "")
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)

    def send_event(self, name: str, payload: dict) -> None:
        assert self.server is not None and self.prefix, "the page has not sent an event yet"
        self.server.send(self.prefix + json.dumps(["event", {"name": name, "payload": payload}]))


def _user(database_url: str, email: str) -> User:
    engine = make_engine(database_url)
    with Session(engine) as s:
        user = s.exec(select(User).where(User.email == email)).one()
    engine.dispose()
    return user


def test_requester_calling_manager_handler_is_refused(page: Page, app_server):
    tap = SocketTap()
    page.route_web_socket(re.compile(r"/_event"), tap.attach)
    sign_in(page, "requester@example.com", expect_path="/portal")
    page.wait_for_timeout(500)
    victim = _user(app_server.database_url, "agent@example.com")

    handler = format_event_handler(AdminUsersState.event_handlers["set_active"])
    before = len(tap.received)
    tap.send_event(handler, {"user_id": victim.id, "active": False})

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(
        "not allowed" in m for m in tap.received[before:]
    ):
        page.wait_for_timeout(100)
    assert any("not allowed" in m for m in tap.received[before:]), tap.received[before:]
    assert _user(app_server.database_url, "agent@example.com").is_active
    # The refusal carried no user list either.
    assert not any("agent@example.com" in m for m in tap.received[before:])
    expect_still_requester = page.get_by_role("heading", name="My tickets")
    expect_still_requester.wait_for()
    assert path_re("/portal").search(page.url)


def test_resume_session_never_replaces_a_signed_in_session(page: Page, app_server):
    """`resume_session` (the recovery after Redis lost a tab's state) takes the page's stored
    values only into a fresh state, and never a session: that comes from the HttpOnly cookie of
    the connection alone. A signed-in requester cannot use it to become someone else, whatever
    token it sends under whatever name."""
    tap = SocketTap()
    page.route_web_socket(re.compile(r"/_event"), tap.attach)
    sign_in(page, "requester@example.com", expect_path="/portal")
    _wait(page, lambda: bool(tap.prefix))
    engine = make_engine(app_server.database_url)
    with Session(engine) as s:
        agent = s.exec(select(User).where(User.email == "agent@example.com")).one()
        agent_token = auth.start_session(s, agent)
        s.commit()
    engine.dispose()

    cookie_var = f"{SessionState.get_full_name()}.session_token_rx_state_"  # the old var's name
    handler = format_event_handler(SessionState.event_handlers["resume_session"])
    before = len(tap.received)
    tap.send_event(handler, {"stored": {cookie_var: agent_token}})
    # resume_session answers by reloading the requester's own page (/portal).
    _wait(page, lambda: any("portal" in m for m in tap.received[before:]))
    assert not any(agent_token in m for m in tap.received[before:])
    page.goto("/board")
    page.get_by_role("heading", name="Not allowed").wait_for()


def _wait(page: Page, condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert condition(), "timed out"
