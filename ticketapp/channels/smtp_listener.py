"""An optional SMTP listener (aiosmtpd) for a small team without a mail server: every message it
accepts goes through `services/mail/intake.ingest_and_commit`, like the pipe command and IMAP.

TICKETAPP_SMTP_LISTEN=HOST:PORT turns it on (e.g. 0.0.0.0:2525; unset: off). It only takes mail
in, never relays. A database failure answers 451 so the sending server retries; anything else is
stored, dropped or quarantined and answered 250. With several workers, the first to bind the
port serves it; the others leave it.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable

from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ticketapp.services.mail import intake

log = logging.getLogger(__name__)
MAX_BYTES = 25 * 1024 * 1024


def listen_address() -> tuple[str, int] | None:
    value = os.environ.get("TICKETAPP_SMTP_LISTEN", "").strip()
    host, _, port = value.rpartition(":")
    if not value or not port.isdigit():
        return None
    return host or "127.0.0.1", int(port)


class Handler:
    def __init__(self, engine: Engine, on_ticket: Callable[[int], None] | None = None) -> None:
        self.engine, self.on_ticket = engine, on_ticket

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        raw = envelope.original_content or envelope.content
        try:
            outcome = await asyncio.to_thread(
                intake.ingest_and_commit, self.engine, bytes(raw), "smtp"
            )
        except SQLAlchemyError as exc:
            log.warning("SMTP listener: database failure, sender will retry: %s", exc)
            return "451 4.3.0 Temporary failure, try again later"
        if outcome.ticket_id is not None and self.on_ticket is not None:
            self.on_ticket(outcome.ticket_id)
        return "250 OK"


def start(
    engine: Engine, host: str, port: int, on_ticket: Callable[[int], None] | None = None
) -> Controller | None:
    """Start listening (in aiosmtpd's own thread); None when the port is taken."""
    controller = Controller(
        Handler(engine, on_ticket), hostname=host, port=port, data_size_limit=MAX_BYTES
    )
    try:
        controller.start()
    except (OSError, RuntimeError) as exc:
        log.info("SMTP listener not started on %s:%s: %s", host, port, exc)
        return None
    return controller


async def serve(on_tickets_changed: Callable[[tuple[int, ...]], None]) -> None:
    """The app's lifespan task: listen while the app runs (when TICKETAPP_SMTP_LISTEN is set);
    tickets it files or replies to are told to `on_tickets_changed` on the app's loop."""
    address = listen_address()
    if address is None:
        return
    from ticketapp.db import get_engine

    loop = asyncio.get_running_loop()

    def changed(ticket_id: int) -> None:
        loop.call_soon_threadsafe(on_tickets_changed, (ticket_id,))

    controller = await asyncio.to_thread(start, get_engine(), *address, changed)
    if controller is None:
        return
    try:
        await asyncio.Event().wait()  # until the app stops (the task is cancelled)
    finally:
        controller.stop()
