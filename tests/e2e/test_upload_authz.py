"""Reflex's upload endpoint (`/_upload`) as a forged client would use it: requester B, signed in
with a real session cookie, posts a reply with a file into requester A's ticket by naming A's
ticket page, exactly as the browser's upload box posts it. Nothing reaches A's ticket and
nothing of A's ticket reaches B; A posting the same way into their own ticket works (so the
refusal is the permission, not a broken request)."""

from __future__ import annotations

import asyncio
import contextvars
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.bench.wsclient import ReflexClient, handler_name
from tests.e2e.conftest import q
from ticketapp.pages.ticket_detail.state import TicketDetailState

PASSWORD = "upload-authz-password-1"


def _run(coro):
    """asyncio.run in a thread of its own (Playwright's sync API owns this thread's loop), with
    this thread's context (Reflex keeps its state registry in a context variable)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(contextvars.copy_context().run, asyncio.run, coro).result()


async def _reply_with_file(base_url: str, email: str, number: int, body: str) -> dict:
    client = ReflexClient(base_url, path=f"/tickets/{number}")
    await client.connect()
    try:
        await client.sign_in(email, PASSWORD if "upload-b" in email else "demo-password")
        client.path = f"/tickets/{number}"
        await client.call(handler_name(TicketDetailState, "on_load"), timeout=60)
        await client.upload(
            handler_name(TicketDetailState, "send_reply"),
            {"body": body},
            files=[("evidence.txt", b"forged")],
        )
        return client.state
    finally:
        await client.close()


def test_upload_endpoint_refuses_a_reply_into_someone_elses_ticket(app_server, db):
    tag = uuid.uuid4().hex[:6]
    email_b = f"upload-b-{tag}@example.com"
    app_server.cli(
        "create-user", "--role", "requester", "--email", email_b, "--name", "Bea",
        "--password", PASSWORD,
    )  # fmt: skip
    number, title = q(
        db,
        'SELECT t.number, t.title FROM ticket t JOIN "user" u ON u.id = t.requester_id '
        "WHERE u.email = 'requester@example.com' AND t.merged_into_id IS NULL "
        "AND t.status NOT IN ('closed') ORDER BY t.number LIMIT 1",
    )[0]
    forged, mine = f"forged {tag}", f"mine {tag}"

    state_b = _run(_reply_with_file(app_server.base_url, email_b, number, forged))
    assert q(db, "SELECT count(*) FROM comment WHERE body = :b", b=forged)[0][0] == 0
    assert q(db, "SELECT count(*) FROM attachment WHERE filename = 'evidence.txt'")[0][0] == 0
    assert title not in repr(state_b)  # nothing of A's ticket reached B's state

    _run(_reply_with_file(app_server.base_url, "requester@example.com", number, mine))
    assert q(db, "SELECT count(*) FROM comment WHERE body = :b", b=mine)[0][0] == 1
