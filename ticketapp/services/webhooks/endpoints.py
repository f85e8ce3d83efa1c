"""Managers' webhook endpoints: list, validate, save, delete, the signing secret (generated,
shown to managers, rotated)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session, col, delete, select

from ticketapp import clock
from ticketapp.i18n import N_
from ticketapp.models import WebhookDelivery, WebhookEndpoint
from ticketapp.services import security_log
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.ids import MAX_DB_INT
from ticketapp.services.webhooks import net
from ticketapp.services.webhooks.events import EVENTS, parse_events

MAX_URL = 2000
MAX_DESCRIPTION = 200
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class EndpointView:
    id: int
    url: str
    description: str
    events: list[str]
    is_active: bool
    failing_since: datetime | None
    disabled_at: datetime | None
    disabled_reason: str  # the last error when it was turned off
    created_at: datetime


def _view(e: WebhookEndpoint) -> EndpointView:
    assert e.id is not None
    return EndpointView(
        id=e.id,
        url=e.url,
        description=e.description,
        events=parse_events(e.events),
        is_active=e.is_active,
        failing_since=e.failing_since,
        disabled_at=e.disabled_at,
        disabled_reason=e.disabled_reason,
        created_at=e.created_at,
    )


def list_endpoints(session: Session, actor: Actor) -> list[EndpointView]:
    require_manager(actor)
    rows = session.exec(select(WebhookEndpoint).order_by(col(WebhookEndpoint.id))).all()
    return [_view(e) for e in rows]


def get_endpoint(session: Session, actor: Actor, endpoint_id: object) -> WebhookEndpoint:
    require_manager(actor)
    try:
        eid = int(str(endpoint_id))
    except ValueError:
        eid = 0
    endpoint = session.get(WebhookEndpoint, eid) if 0 < eid <= MAX_DB_INT else None
    if endpoint is None:
        raise NotFound("That endpoint no longer exists.")
    return endpoint


# --- validation ----------------------------------------------------------------------------------


def url_error(url: str) -> str | None:
    """Why `url` cannot be a webhook target (a msgid), checked when saving. Names are resolved
    (and their addresses checked) again on every delivery."""
    if not url:
        return N_("Enter the URL that receives the events.")
    if len(url) > MAX_URL:
        return N_("Keep the URL under 2,000 characters.")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        return N_("Enter a valid URL, e.g. https://example.com/hooks/ticketapp.")
    if parts.scheme not in ("http", "https") or not host:
        return N_("Enter an http:// or https:// URL, e.g. https://example.com/hooks/ticketapp.")
    if parts.username or parts.password:
        return N_("Leave user names and passwords out of the URL: verify the signature instead.")
    ip = net.literal_ip(host)
    if ip is None and host.lower().rstrip(".") in ("localhost", "localhost.localdomain"):
        ip = net.literal_ip("127.0.0.1")
    reason = net.refusal(ip) if ip is not None else None
    if reason == net.R_PRIVATE:
        return N_("Private and loopback addresses are refused unless the server allows them.")
    if reason:
        return N_("This address is never allowed (link-local, metadata, multicast or reserved).")
    return None


def endpoint_errors(data: dict) -> dict[str, str]:
    """field -> msgid of what is wrong with the form `data` (empty when it can be saved)."""
    errors: dict[str, str] = {}
    problem = url_error(str(data.get("url") or "").strip())
    if problem:
        errors["url"] = problem
    if len(str(data.get("description") or "").strip()) > MAX_DESCRIPTION:
        errors["description"] = N_("Keep the description under 200 characters.")
    events = data.get("events")
    if not isinstance(events, list | tuple) or not events:
        errors["events"] = N_("Choose at least one event.")
    elif any(str(e) not in EVENTS for e in events):
        errors["events"] = N_("Unknown event.")
    return errors


# --- changes -------------------------------------------------------------------------------------


@security_log.audited("webhook_changed", N_("Webhook endpoint"))
def save_endpoint(session: Session, actor: Actor, endpoint_id: object, data: dict) -> int:
    """Create (endpoint_id None/0: with a new secret) or update an endpoint; returns its id.
    Turning an endpoint back on clears its failure record."""
    require_manager(actor)
    errors = endpoint_errors(data)
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(message, field)
    now = clock.now()
    if endpoint_id in (None, "", 0, "0"):
        endpoint = WebhookEndpoint(secret=new_secret(), created_by_id=actor.id, created_at=now)
    else:
        endpoint = get_endpoint(session, actor, endpoint_id)
    active = data.get("is_active", True) is True
    if active and not endpoint.is_active:
        endpoint.failing_since = endpoint.disabled_at = None
        endpoint.disabled_reason = ""
    endpoint.url = str(data["url"]).strip()
    endpoint.description = str(data.get("description") or "").strip()
    endpoint.events = ",".join(e for e in EVENTS if e in {str(x) for x in data["events"]})
    endpoint.is_active = active
    endpoint.updated_at = now
    session.add(endpoint)
    session.flush()
    assert endpoint.id is not None
    return endpoint.id


@security_log.audited("webhook_changed", N_("Webhook endpoint"))
def delete_endpoint(session: Session, actor: Actor, endpoint_id: object) -> str:
    """Delete an endpoint with its delivery log; returns its URL."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    url = endpoint.url
    session.exec(delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == endpoint.id))
    session.delete(endpoint)
    session.flush()
    return url


def reveal_secret(session: Session, actor: Actor, endpoint_id: object) -> str:
    return get_endpoint(session, actor, endpoint_id).secret


@security_log.audited("webhook_changed", N_("Webhook endpoint"))
def rotate_secret(session: Session, actor: Actor, endpoint_id: object) -> str:
    """A new secret, used from the next attempt on (the old one stops working at once)."""
    endpoint = get_endpoint(session, actor, endpoint_id)
    endpoint.secret = new_secret()
    endpoint.updated_at = clock.now()
    session.add(endpoint)
    session.flush()
    return endpoint.secret
