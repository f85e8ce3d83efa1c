"""Sending the webhook outbox: claim, sign, POST, log the attempt, back off and retry, give up;
disable an endpoint that has failed for a day and tell the managers; resend; the delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ticketapp import clock, i18n
from ticketapp.config import base_url
from ticketapp.models import (
    Role,
    User,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookStatus,
)
from ticketapp.services import notifications
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.webhooks import net
from ticketapp.services.webhooks.endpoints import get_endpoint
from ticketapp.services.webhooks.events import PING, enqueue, payload

BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
MAX_ATTEMPTS = 32  # 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: about 25 hours in all
DISABLE_AFTER = timedelta(days=1)
STALE_CLAIM = timedelta(minutes=15)
BATCH = 50
LOG_LIMIT = 20
STOPPED = i18n.N_("endpoint turned off")  # last_error of the deliveries stopped by `disable`

HEADER_SIGNATURE = "X-Ticketapp-Signature"
HEADER_TIMESTAMP = "X-Ticketapp-Timestamp"
HEADER_EVENT = "X-Ticketapp-Event"
HEADER_DELIVERY = "X-Ticketapp-Delivery"

DISABLED_SUBJECT = i18n.N_("Webhook endpoint turned off: {url}")
DISABLED_BODY = i18n.N_(
    "Every delivery to {url} has failed since {since}, so it was turned off and its pending "
    "deliveries were stopped. The last error: {error}\n"
    "Fix the receiver, then turn the endpoint on again and resend what it missed at {page}."
)


def backoff(attempts: int) -> timedelta:
    """Delay before retry number `attempts` (1-based): 30 s, 1 min, 2 min, ... at most 1 h."""
    return min(BASE_BACKOFF * (2 ** min(max(0, attempts - 1), 20)), MAX_BACKOFF)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Ticketapp-Signature value: "sha256=" + hex HMAC-SHA256 keyed with the endpoint's
    secret over the timestamp header's value, a ".", and the raw request body."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def request_headers(secret: str, delivery: WebhookDelivery, now: datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json",
        HEADER_EVENT: delivery.event,
        HEADER_DELIVERY: delivery.uid,
        HEADER_TIMESTAMP: timestamp,
        HEADER_SIGNATURE: signature(secret, timestamp, delivery.body.encode()),
    }


# --- the delivery run ----------------------------------------------------------------------------


@dataclass
class RunResult:
    delivered: int = 0
    failed: int = 0  # attempts that failed (retried later or given up)
    disabled: list[int] = field(default_factory=list)  # endpoints turned off in this run


def _release_stale(engine: Engine, now: datetime) -> None:
    with Session(engine) as session:
        session.execute(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.status) == WebhookStatus.SENDING,
                col(WebhookDelivery.claimed_at) < now - STALE_CLAIM,
            )
            .values(
                status=WebhookStatus.PENDING,
                last_error=i18n.later("The worker stopped while sending"),
            )
        )
        session.commit()


def _due(engine: Engine, now: datetime, limit: int, only: list[int] | None) -> list[tuple]:
    stmt = (
        select(WebhookDelivery.id, WebhookDelivery.endpoint_id)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == WebhookDelivery.endpoint_id)
        .where(
            col(WebhookEndpoint.is_active).is_(True),
            WebhookDelivery.status == WebhookStatus.PENDING,
        )
        .order_by(col(WebhookDelivery.id))
        .limit(limit)
    )
    if only is not None:
        stmt = stmt.where(col(WebhookDelivery.id).in_(only))
    else:
        stmt = stmt.where(WebhookDelivery.next_attempt_at <= now)
    with Session(engine) as session:
        return list(session.exec(stmt).all())


def _claim(engine: Engine, delivery_id: int, now: datetime) -> tuple | None:
    """(url, secret, headers, body) of a claimed delivery; None if another worker took it."""
    with Session(engine, expire_on_commit=False) as session:
        result = session.execute(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.id) == delivery_id,
                col(WebhookDelivery.status) == WebhookStatus.PENDING,
            )
            .values(status=WebhookStatus.SENDING, claimed_at=now)
        )
        session.commit()
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        assert endpoint is not None
        headers = request_headers(endpoint.secret, delivery, now)
        return endpoint.url, headers, delivery.body.encode()


def deliver_due(
    engine: Engine,
    now: datetime | None = None,
    *,
    limit: int = BATCH,
    only: list[int] | None = None,
) -> RunResult:
    """Send the due deliveries of active endpoints (or the deliveries `only`, due or not),
    oldest first. After a failed attempt the endpoint's other deliveries wait for the next run.
    Safe to run from several workers (a delivery is claimed before it is sent)."""
    now = now or clock.now()
    _release_stale(engine, now)
    result = RunResult()
    failing: set[int] = set()
    for delivery_id, endpoint_id in _due(engine, now, limit, only):
        if endpoint_id in failing:
            continue
        claimed = _claim(engine, delivery_id, now)
        if claimed is None:
            continue
        url, headers, body = claimed
        outcome = net.post(url, body, headers)
        disabled = _finish(engine, delivery_id, outcome, now)
        if outcome.ok:
            result.delivered += 1
            continue
        result.failed += 1
        failing.add(endpoint_id)
        if disabled:
            result.disabled.append(endpoint_id)
    return result


def _finish(engine: Engine, delivery_id: int, outcome: net.Outcome, now: datetime) -> bool:
    """Log the attempt and move the delivery on; True when the endpoint was turned off."""
    with Session(engine) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        assert endpoint is not None
        session.add(
            WebhookAttempt(
                delivery_id=delivery_id,
                attempted_at=now,
                duration_ms=outcome.duration_ms,
                status_code=outcome.status_code,
                ok=outcome.ok,
                error=outcome.error[:1000],
                response_excerpt=outcome.excerpt,
            )
        )
        delivery.attempts += 1
        delivery.claimed_at = None
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error[:1000]
        disabled = False
        if outcome.ok:
            delivery.status = WebhookStatus.DELIVERED
            delivery.delivered_at = now
            endpoint.failing_since = None
        else:
            _retry_or_give_up(delivery, now)
            disabled = _note_failure(session, endpoint, delivery, outcome.error, now)
        session.add(delivery)
        session.add(endpoint)
        session.commit()
        return disabled


def _retry_or_give_up(delivery: WebhookDelivery, now: datetime) -> None:
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookStatus.FAILED
    else:
        delivery.status = WebhookStatus.PENDING
        delivery.next_attempt_at = now + backoff(delivery.attempts)


def _note_failure(
    session: Session,
    endpoint: WebhookEndpoint,
    delivery: WebhookDelivery,
    error: str,
    now: datetime,
) -> bool:
    """Remember when the endpoint started failing; after DISABLE_AFTER of nothing but failures,
    turn it off (this delivery fails with its own error). True when it was turned off now."""
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        return False
    if not endpoint.is_active or now - endpoint.failing_since < DISABLE_AFTER:
        return False
    disable(session, endpoint, error, now, but=delivery.id)
    delivery.status = WebhookStatus.FAILED
    return True


def disable(
    session: Session, endpoint: WebhookEndpoint, error: str, now: datetime, but: int | None = None
) -> None:
    """Turn the endpoint off (failing_since kept, the last error in disabled_reason), stop its
    pending deliveries (except `but`), tell every active manager."""
    since = endpoint.failing_since or now
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = error[:300]
    session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.endpoint_id) == endpoint.id,
            col(WebhookDelivery.status) == WebhookStatus.PENDING,
            col(WebhookDelivery.id) != (but or 0),
        )
        .values(status=WebhookStatus.FAILED, last_error=STOPPED)
    )
    managers = session.exec(
        select(User).where(User.role == Role.MANAGER, col(User.is_active).is_(True))
    ).all()
    page = f"{base_url()}/admin/webhooks"
    for user in managers:
        assert user.id is not None
        with i18n.using(user.locale):
            since_label = clock.local_label(since)
            subject = i18n._(DISABLED_SUBJECT, url=endpoint.url)
            body = i18n._(
                DISABLED_BODY, url=endpoint.url, since=since_label, error=error, page=page
            )
        notifications.notify(
            session,
            user_id=user.id,
            kind="webhook_disabled",
            ticket_id=None,
            subject=subject,
            body=body,
        )


# --- resend, test event, the log -----------------------------------------------------------------


def resend(session: Session, actor: Actor, delivery_id: object) -> int:
    """Queue a copy of a delivery (same payload and event id, new delivery id); returns its id."""
    require_manager(actor)
    try:
        did = int(str(delivery_id))
    except ValueError:
        did = 0
    original = session.get(WebhookDelivery, did) if 0 < did < 2**31 else None
    if original is None:
        raise NotFound("That delivery no longer exists.")
    endpoint = get_endpoint(session, actor, original.endpoint_id)
    if not endpoint.is_active:
        raise ValidationError("Turn the endpoint on before resending.")
    copy = enqueue(session, endpoint, json.loads(original.body), clock.now())
    copy.resent_from_id = original.id
    session.flush()
    assert copy.id is not None
    return copy.id


def send_test(session: Session, actor: Actor, endpoint_id: object) -> int:
    """Queue a "ping" event to one active endpoint; returns the delivery id."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    if not endpoint.is_active:
        raise ValidationError("Turn the endpoint on before sending a test event.")
    now = clock.now()
    delivery = enqueue(session, endpoint, payload(PING, None, actor, now), now)
    session.flush()
    assert delivery.id is not None
    return delivery.id


@dataclass(frozen=True)
class AttemptView:
    attempted_at: datetime
    duration_ms: int
    status_code: int | None
    ok: bool
    error: str
    excerpt: str


@dataclass(frozen=True)
class DeliveryView:
    id: int
    uid: str
    event: str
    ticket_number: int | None
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str
    resent_from_id: int | None
    log: list[AttemptView]


def recent_deliveries(
    session: Session, actor: Actor, endpoint_id: object, limit: int = LOG_LIMIT
) -> list[DeliveryView]:
    """The endpoint's latest deliveries, newest first, each with its attempts (oldest first)."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    rows = session.exec(
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit)
    ).all()
    ids = [d.id for d in rows]
    attempts: dict[int, list[AttemptView]] = {}
    for a in session.exec(
        select(WebhookAttempt)
        .where(col(WebhookAttempt.delivery_id).in_(ids))
        .order_by(col(WebhookAttempt.id))
    ).all():
        attempts.setdefault(a.delivery_id, []).append(
            AttemptView(
                a.attempted_at, a.duration_ms, a.status_code, a.ok, a.error, a.response_excerpt
            )
        )
    return [
        DeliveryView(
            id=d.id,  # type: ignore[arg-type]
            uid=d.uid,
            event=d.event,
            ticket_number=d.ticket_number,
            status=d.status,
            attempts=d.attempts,
            created_at=d.created_at,
            next_attempt_at=d.next_attempt_at,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            resent_from_id=d.resent_from_id,
            log=attempts.get(d.id, []),  # type: ignore[arg-type]
        )
        for d in rows
    ]
