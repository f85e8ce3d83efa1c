"""Send the e-mail outbox from inside the app, every MAIL_INTERVAL seconds.

A stop-gap until the scheduler (issue 7, SLA half) calls `deliver_outbox` from its `run_once`;
safe with several workers or next to `python -m ticketapp deliver-mail`: each message is
claimed atomically before it is sent.
"""

from __future__ import annotations

import asyncio
import logging
import os

from ticketapp.db import get_engine
from ticketapp.services.notifications import deliver_outbox, email_enabled

log = logging.getLogger(__name__)


async def deliver_mail_forever() -> None:
    interval = float(os.environ.get("TICKETAPP_MAIL_INTERVAL", "30"))
    while True:
        if email_enabled():
            try:
                await asyncio.to_thread(deliver_outbox, get_engine())
            except Exception:
                log.exception("e-mail delivery failed; retrying in %s s", interval)
        await asyncio.sleep(interval)
