"""Outbound webhooks: managers register endpoints; ticket events reach them as signed JSON POSTs
through an outbox, like e-mail.

- `emit()` is called by the tickets services (and the SLA breach log) in the transaction of the
  change: one WebhookDelivery row per active endpoint subscribed to the event, its JSON body
  fixed at that moment (a resend sends the same body, with the same event id).
- `deliver_due()` (the scheduler's tick, `python -m ticketapp deliver-webhooks`, and the admin
  page's Resend / Send test event) claims a delivery (pending -> sending, committed first, so two
  workers never send the same row), signs it and POSTs it through `net.post` (SSRF checks,
  timeout, no redirects), then logs the attempt: 2xx -> delivered; anything else -> pending
  again with exponential back-off (30 s, 1, 2, 4 ... min, at most 1 h) until MAX_ATTEMPTS,
  then failed. An endpoint failing on every attempt for DISABLE_AFTER (a day) is turned off,
  its pending deliveries stopped and every manager told (in-app, and e-mail per preference).
- Signature: `X-Ticketapp-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
  where timestamp is the `X-Ticketapp-Timestamp` header (Unix seconds) and body the raw bytes.

Modules: events (names, payload, emit), endpoints (managers' CRUD, the secret), net (where a
request may go, the one POST), delivery (the outbox run, resend, the log).
"""

from ticketapp.services.webhooks.delivery import (
    BASE_BACKOFF,
    DISABLE_AFTER,
    HEADER_DELIVERY,
    HEADER_EVENT,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    MAX_ATTEMPTS,
    MAX_BACKOFF,
    STOPPED,
    AttemptView,
    DeliveryView,
    RunResult,
    backoff,
    deliver_due,
    recent_deliveries,
    resend,
    send_test,
    signature,
)
from ticketapp.services.webhooks.endpoints import (
    EndpointView,
    delete_endpoint,
    endpoint_errors,
    list_endpoints,
    reveal_secret,
    rotate_secret,
    save_endpoint,
)
from ticketapp.services.webhooks.events import (
    ASSIGNED,
    EVENTS,
    INTERNAL_NOTE,
    PING,
    PUBLIC_REPLY,
    RATED,
    SLA_BREACHED,
    STATUS_CHANGED,
    TICKET_CREATED,
    assignee_email,
    change_part,
    comment_part,
    emit,
    emit_assignment,
    iso,
)

__all__ = [
    "ASSIGNED",
    "AttemptView",
    "BASE_BACKOFF",
    "DISABLE_AFTER",
    "DeliveryView",
    "EVENTS",
    "EndpointView",
    "HEADER_DELIVERY",
    "HEADER_EVENT",
    "HEADER_SIGNATURE",
    "HEADER_TIMESTAMP",
    "INTERNAL_NOTE",
    "MAX_ATTEMPTS",
    "MAX_BACKOFF",
    "PING",
    "PUBLIC_REPLY",
    "RATED",
    "RunResult",
    "SLA_BREACHED",
    "STOPPED",
    "STATUS_CHANGED",
    "TICKET_CREATED",
    "assignee_email",
    "backoff",
    "change_part",
    "comment_part",
    "delete_endpoint",
    "deliver_due",
    "emit",
    "emit_assignment",
    "iso",
    "endpoint_errors",
    "list_endpoints",
    "recent_deliveries",
    "resend",
    "reveal_secret",
    "rotate_secret",
    "save_endpoint",
    "send_test",
    "signature",
]
