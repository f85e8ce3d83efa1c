"""Webhook endpoints and their deliveries as the page's rows (what a manager may see; never the
secret, which is loaded only when asked for)."""

from __future__ import annotations

from typing import TypedDict

from ticketapp import i18n
from ticketapp.clock import local_label
from ticketapp.i18n import N_, _, _n
from ticketapp.services import webhooks
from ticketapp.services.actor import Actor

STATUS_LABELS = {
    "pending": N_("Retrying"),
    "sending": N_("Sending"),
    "delivered": N_("Delivered"),
    "failed": N_("Failed"),
}
STATUS_COLORS = {"pending": "amber", "sending": "blue", "delivered": "green", "failed": "red"}


class EndpointItem(TypedDict):
    id: int
    url: str
    description: str
    events: list[str]
    events_label: str
    active: bool
    state_label: str
    state_color: str
    problem: str


class DeliveryItem(TypedDict):
    id: int
    event: str
    ticket: str
    status_label: str
    status_color: str
    response: str
    when: str
    duration: str
    attempts_label: str
    log: str
    excerpt: str


def event_label(event: str) -> str:
    if event == webhooks.PING:
        return _("Test event")
    return _(webhooks.EVENTS.get(event, event))


def _problem(e: webhooks.EndpointView) -> str:
    if e.is_active or e.disabled_at is None:
        return ""
    return _(
        "Failing since {when}; last error: {error}",
        when=local_label(e.failing_since or e.disabled_at),
        error=i18n.shown(e.disabled_reason),
    )


def _endpoint(e: webhooks.EndpointView) -> EndpointItem:
    if e.is_active and e.failing_since is not None:
        state, color = _("Failing since {when}", when=local_label(e.failing_since)), "amber"
    elif e.is_active:
        state, color = _("Active"), "green"
    elif e.disabled_at is not None:
        state, color = _("Turned off after a day of failures"), "red"
    else:
        state, color = _("Off"), "gray"
    every = len(e.events) == len(webhooks.EVENTS)
    return EndpointItem(
        id=e.id,
        url=e.url,
        description=e.description,
        events=e.events,
        events_label=_("All events") if every else ", ".join(event_label(x) for x in e.events),
        active=e.is_active,
        state_label=state,
        state_color=color,
        problem=_problem(e),
    )


def load_endpoints(session, actor: Actor) -> list[EndpointItem]:
    return [_endpoint(e) for e in webhooks.list_endpoints(session, actor)]


def _response(code: int | None, error: str) -> str:
    if error == webhooks.STOPPED:
        error = _("Stopped: the endpoint was turned off")
    error = i18n.shown(error)
    if code is not None and not error:
        return str(code)
    return f"{code} · {error}" if code is not None else error


def _attempt_line(a: webhooks.AttemptView) -> str:
    what = _response(a.status_code, a.error) or "-"
    return f"{local_label(a.attempted_at)} · {a.duration_ms} ms · {what}"


def _delivery(d: webhooks.DeliveryView) -> DeliveryItem:
    last = d.log[-1] if d.log else None
    status = _(STATUS_LABELS.get(d.status, d.status))
    if d.status == "pending" and d.attempts:
        status = _("Retrying at {when}", when=local_label(d.next_attempt_at))
    elif d.status == "pending":
        status = _("Queued")
    return DeliveryItem(
        id=d.id,
        event=event_label(d.event),
        ticket=f"#{d.ticket_number}" if d.ticket_number else "",
        status_label=status,
        status_color=STATUS_COLORS.get(d.status, "gray"),
        response=_response(d.last_status_code, d.last_error) or "-",
        when=local_label(last.attempted_at) if last else "-",
        duration=f"{last.duration_ms} ms" if last else "-",
        attempts_label=_n("{n} attempt", "{n} attempts", d.attempts),
        log="\n".join(_attempt_line(a) for a in d.log),
        excerpt=last.excerpt if last else "",
    )


def load_deliveries(session, actor: Actor, endpoint_id: int) -> list[DeliveryItem]:
    return [_delivery(d) for d in webhooks.recent_deliveries(session, actor, endpoint_id)]
