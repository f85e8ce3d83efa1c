"""The security audit log: who did what security-relevant act, when, from where.

Append-only: `record` adds a row in the caller's transaction (so the act and its record commit
or roll back together); nothing here updates or deletes a row, except `prune`, which the
scheduler runs to drop rows older than the retention (TICKETAPP_AUDIT_RETENTION_DAYS, default
365). The client address comes from `client_ip`: X-Forwarded-For counts only when the request
arrived from a trusted proxy (TICKETAPP_TRUSTED_PROXIES), never because a client sent it.
"""

from __future__ import annotations

import contextvars
import csv
import functools
import io
import ipaddress
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete
from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.models import SecurityEvent, utcnow
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.errors import ValidationError

# action -> its label (msgid); the page's filter offers these.
ACTIONS: dict[str, str] = {
    "sign_in": N_("Signed in"),
    "sign_in_failed": N_("Sign-in failed"),
    "lockout": N_("Account locked"),
    "two_factor_failed": N_("Two-factor code refused"),
    "password_changed": N_("Password changed"),
    "two_factor_enabled": N_("Two-factor enabled"),
    "two_factor_disabled": N_("Two-factor disabled"),
    "recovery_code_used": N_("Recovery code used"),
    "recovery_codes_renewed": N_("Recovery codes renewed"),
    "two_factor_required": N_("Two-factor requirement changed"),
    "signed_up": N_("Signed up"),
    "user_created": N_("User created"),
    "role_changed": N_("Role changed"),
    "user_activated": N_("User activated"),
    "user_deactivated": N_("User deactivated"),
    "api_token_created": N_("API token created"),
    "api_token_revoked": N_("API token revoked"),
    "sla_changed": N_("SLA settings changed"),
    "routing_changed": N_("Routing changed"),
    "escalation_changed": N_("Escalation rules changed"),
    "webhook_changed": N_("Webhook endpoint changed"),
    "export": N_("Data exported"),
}
F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_RETENTION_DAYS = 365
MAX_ROWS = 500
DEFAULT_TRUSTED_PROXIES = "127.0.0.1, ::1"

# The address of the request being handled; entry points set it (pages: a middleware).
_request_ip: contextvars.ContextVar[str] = contextvars.ContextVar("request_ip", default="")


def set_request_ip(ip: str) -> None:
    _request_ip.set(ip[:64])


def current_ip() -> str:
    """The address of the request being handled ("" outside a request: CLI, scheduler)."""
    return _request_ip.get()


def _trusted_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    raw = os.environ.get("TICKETAPP_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES)
    nets = []
    for part in raw.replace(";", ",").split(","):
        try:
            nets.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            continue
    return nets


def _is_trusted(address: str, nets) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in nets)


def client_ip(peer: str, forwarded_for: str = "") -> str:
    """The client's address. `peer` is the TCP peer; when it is a trusted proxy, the
    X-Forwarded-For chain is walked from the right (the entries proxies appended) to the first
    address that is not a trusted proxy. An untrusted peer's header is ignored."""
    nets = _trusted_networks()
    if not _is_trusted(peer, nets):
        return peer[:64]
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # garbage: stop at what the proxies vouched for
        if not _is_trusted(hop, nets):
            return hop
        peer = hop
    return peer[:64]


def retention_days() -> int:
    try:
        return max(1, int(os.environ.get("TICKETAPP_AUDIT_RETENTION_DAYS", "")))
    except ValueError:
        return DEFAULT_RETENTION_DAYS


def record(
    session: Session,
    action: str,
    actor: Actor | None = None,
    *,
    actor_email: str = "",
    target: str = "",
    detail: str = "",
    ip: str = "",
) -> None:
    """Add one row to the log in the caller's transaction."""
    assert action in ACTIONS, action
    session.add(
        SecurityEvent(
            created_at=utcnow(),
            actor_id=actor.id if actor else None,
            actor_email=(actor.email if actor else actor_email)[:254],
            action=action,
            target=target[:300],
            detail=detail[:1000],
            ip=(ip or _request_ip.get())[:64],
        )
    )


@dataclass(frozen=True)
class Filters:
    actor: str = ""  # part of the actor's e-mail
    action: str = ""
    start: date | None = None
    end: date | None = None  # inclusive


def _parse_day(value: object, field: str) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError("Enter a date like 2026-12-31.", field) from None


def parse_filters(params: dict) -> Filters:
    action = str(params.get("action", "") or "")
    if action and action not in ACTIONS:
        raise ValidationError("Choose an action from the list.", "action")
    start = _parse_day(params.get("start"), "start")
    end = _parse_day(params.get("end"), "end")
    if start and end and end < start:
        raise ValidationError("The end date is before the start date.", "end")
    actor = str(params.get("actor", "") or "").strip().lower()[:254]
    return Filters(actor=actor, action=action, start=start, end=end)


def _query(filters: Filters):
    stmt = select(SecurityEvent)
    if filters.actor:
        stmt = stmt.where(col(SecurityEvent.actor_email).contains(filters.actor))
    if filters.action:
        stmt = stmt.where(SecurityEvent.action == filters.action)
    if filters.start:
        since = datetime.combine(filters.start, time.min).replace(tzinfo=utcnow().tzinfo)
        stmt = stmt.where(SecurityEvent.created_at >= since)
    if filters.end:
        until = datetime.combine(filters.end + timedelta(days=1), time.min)
        stmt = stmt.where(SecurityEvent.created_at < until.replace(tzinfo=utcnow().tzinfo))
    return stmt.order_by(col(SecurityEvent.created_at).desc(), col(SecurityEvent.id).desc())


def list_events(
    session: Session, actor: Actor, filters: Filters, limit: int = MAX_ROWS
) -> list[SecurityEvent]:
    """Newest first (managers only)."""
    require_manager(actor)
    return list(session.exec(_query(filters).limit(limit)).all())


CSV_COLUMNS = ("time_utc", "actor", "action", "target", "detail", "ip")


def _csv_lines(rows: list[SecurityEvent]) -> Iterator[list[str]]:
    yield list(CSV_COLUMNS)
    for r in rows:
        when = r.created_at.strftime("%Y-%m-%d %H:%M:%S")
        target, detail = i18n.shown(r.target), i18n.shown(r.detail)
        yield [when, r.actor_email, r.action, target, detail, r.ip]


def _cell(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: defuse them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_csv(session: Session, actor: Actor, filters: Filters) -> str:
    """The filtered log as CSV (managers only); the export itself is logged."""
    rows = list_events(session, actor, filters, limit=100_000)
    out = io.StringIO()
    writer = csv.writer(out)
    for line in _csv_lines(rows):
        writer.writerow([_cell(v) for v in line])
    record(session, "export", actor, target="audit log", detail=f"{len(rows)} rows")
    return out.getvalue()


def record_export(session: Session, actor: Actor, what: str) -> None:
    """A CSV download by staff (the data itself was checked by the service that made it)."""
    require_staff(actor)
    record(session, "export", actor, target=what[:300])


def prune(session: Session, now: datetime | None = None) -> int:
    """Drop rows older than the retention (the scheduler's job; not a service for users)."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days())
    result = session.exec(delete(SecurityEvent).where(col(SecurityEvent.created_at) < cutoff))  # type: ignore[call-overload]
    return result.rowcount or 0


def _msg(msgid: str) -> dict[str, object]:
    """A msgid as a `later()` parameter (translated when the row is read)."""
    return {"id": msgid, "p": {}}


def _later(msgid: str) -> str:
    return i18n.later(msgid)


def audited(action: str, what: str) -> Callable[[F], F]:
    """Decorate an admin service `fn(session, actor, first_arg, ...)`: after it succeeds, log
    `action` in the same transaction, naming `what` and the record (its id, or the id it
    returned when it created one)."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(session: Session, actor: Actor, *args: Any, **kwargs: Any) -> Any:
            result = fn(session, actor, *args, **kwargs)
            rid = result if type(result) is int else getattr(result, "id", None)
            ref = rid if type(rid) is int else (args[0] if args else "")
            name = getattr(result, "name", "")
            ref = str(ref or "").strip()
            target = i18n.later("{what} #{ref}", what=_msg(what), ref=ref) if ref else _later(what)
            detail = fn.__name__.replace("_", " ") + (f": {name}" if name else "")
            record(session, action, actor, target=target, detail=detail)
            return result

        return inner  # type: ignore[return-value]

    return wrap
