"""Notifications: in-app (the bell) and e-mail through an outbox, with per-user preferences.

`notify()` is the one entry point: it writes an in-app Notification and, when SMTP is configured
and the user's preference allows, an OutboxMessage in the same transaction as the change that
caused it (nothing here commits). `deliver_outbox()` sends due messages over SMTP:

- a message is claimed (pending -> sending) with a conditional UPDATE that is committed before
  the SMTP conversation, so two workers never send the same row; it is marked sent right after
  the server accepts it;
- a refusal (4xx, connection refused, timeout) puts it back to pending with exponential
  back-off (30 s, 1 min, 2 min, ... capped at 1 h); after MAX_ATTEMPTS, or on a permanent 5xx
  refusal, it is marked failed and kept (nothing is deleted);
- a claim older than STALE_CLAIM (the worker died mid-send) is returned to pending. That is
  the only window for a duplicate: the server accepted, the worker died before marking it sent.
  The Message-ID is stable (derived from the dedupe key), so receiving servers can drop it.

Modules: preferences (kinds and per-user choices), inbox (notify and the bell), hooks (the
ticket events), outbox (delivery). Callers use the names re-exported here.
"""

from ticketapp.services.notifications.hooks import (
    on_assigned,
    on_comment,
    on_created,
    on_status_changed,
    ticket_url,
)
from ticketapp.services.notifications.inbox import (
    LIST_LIMIT,
    NotificationView,
    list_notifications,
    mark_read,
    notify,
    recent_recipients,
    unread_count,
)
from ticketapp.services.notifications.outbox import (
    BASE_BACKOFF,
    MAX_ATTEMPTS,
    MAX_BACKOFF,
    SMTP_TIMEOUT,
    STALE_CLAIM,
    OutboxStats,
    backoff,
    deliver_outbox,
    outbox_stats,
)
from ticketapp.services.notifications.preferences import (
    KINDS,
    Preference,
    email_enabled,
    preferences,
    set_preference,
    wanted_channels,
)

__all__ = [
    "BASE_BACKOFF",
    "KINDS",
    "LIST_LIMIT",
    "MAX_ATTEMPTS",
    "MAX_BACKOFF",
    "NotificationView",
    "OutboxStats",
    "Preference",
    "SMTP_TIMEOUT",
    "STALE_CLAIM",
    "backoff",
    "deliver_outbox",
    "email_enabled",
    "list_notifications",
    "mark_read",
    "notify",
    "on_assigned",
    "on_comment",
    "on_created",
    "on_status_changed",
    "outbox_stats",
    "preferences",
    "recent_recipients",
    "set_preference",
    "ticket_url",
    "unread_count",
    "wanted_channels",
]
