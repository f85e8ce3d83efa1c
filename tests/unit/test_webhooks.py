"""Outbound webhooks: endpoints, events written with the change, and delivery to a real HTTP
receiver in this process (signature, retry, disable after a day, no redirects, SSRF refusals)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import Session, col, select

from tests.unit.factories import make_team, make_ticket, people
from ticketapp import clock, i18n
from ticketapp.models import (
    Notification,
    SlaPolicy,
    Ticket,
    TicketStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookStatus,
)
from ticketapp.services import scheduler, tickets, webhooks
from ticketapp.services.errors import PermissionDenied, ValidationError
from ticketapp.services.notifications import preferences as kinds_for
from ticketapp.services.webhooks import net

ALL = list(webhooks.EVENTS)


# --- a receiver in this process -----------------------------------------------------------------


class Receiver:
    """An HTTP server on 127.0.0.1 that answers with the queued (status, headers) replies (then
    200) and keeps every request it got."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []
        self.always: int | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                if receiver.replies:
                    status, headers = receiver.replies.pop(0)
                else:
                    status, headers = (receiver.always or 200), {}
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                reply = b'{"ok": true}' if status < 300 else b"receiver says no"
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(autouse=True)
def _clock_and_env(monkeypatch):
    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV, raising=False)
    clock.set_now(datetime.now(UTC).replace(microsecond=0))
    yield
    clock.reset()


@pytest.fixture
def allow_private(monkeypatch):
    monkeypatch.setenv(net.ALLOW_PRIVATE_ENV, "1")


def _endpoint(session: Session, manager, url: str, events=None, active=True) -> int:
    data = {"url": url, "events": events or ALL, "is_active": active, "description": "CRM"}
    eid = webhooks.save_endpoint(session, manager, None, data)
    session.commit()
    return eid


def _deliveries(session: Session) -> list[WebhookDelivery]:
    session.expire_all()
    rows = list(session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all())
    session.commit()  # SQLite: end the read transaction (BEGIN IMMEDIATE) before deliveries
    return rows


def _attempts(session: Session, delivery_id: int) -> list[WebhookAttempt]:
    rows = list(
        session.exec(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id == delivery_id)
            .order_by(col(WebhookAttempt.id))
        ).all()
    )
    session.commit()
    return rows


def _endpoint_row(session: Session, eid: int) -> WebhookEndpoint:
    session.expire_all()
    row = session.get(WebhookEndpoint, eid)
    session.commit()
    return row


# --- endpoints --------------------------------------------------------------------------------


def test_only_managers_manage_endpoints(session, allow_private):
    p = people(session)
    data = {"url": "https://example.com/hook", "events": ALL}
    with pytest.raises(PermissionDenied):
        webhooks.save_endpoint(session, p.agent, None, data)
    with pytest.raises(PermissionDenied):
        webhooks.list_endpoints(session, p.requester)
    eid = webhooks.save_endpoint(session, p.manager, None, data)
    with pytest.raises(PermissionDenied):
        webhooks.reveal_secret(session, p.agent, eid)
    secret = webhooks.reveal_secret(session, p.manager, eid)
    assert secret.startswith("whsec_") and len(secret) > 40
    rotated = webhooks.rotate_secret(session, p.manager, eid)
    assert rotated != secret and webhooks.reveal_secret(session, p.manager, eid) == rotated
    [view] = webhooks.list_endpoints(session, p.manager)
    assert (view.url, view.events, view.is_active) == ("https://example.com/hook", ALL, True)
    assert webhooks.delete_endpoint(session, p.manager, eid) == "https://example.com/hook"
    assert webhooks.list_endpoints(session, p.manager) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the URL that receives the events."),
        ("ftp://example.com/x", "Enter an http:// or https:// URL"),
        ("https://", "Enter an http:// or https:// URL"),
        ("https://user:pw@example.com/", "Leave user names and passwords out"),
        ("http://169.254.169.254/latest/meta-data", "never allowed"),
        ("http://[fe80::1]/", "never allowed"),
        ("http://224.0.0.1/", "never allowed"),
        ("http://127.0.0.1:8080/", "Private and loopback addresses are refused"),
        ("http://localhost/", "Private and loopback addresses are refused"),
        ("http://10.1.2.3/", "Private and loopback addresses are refused"),
        ("https://example.com:99999/", "Enter a valid URL"),
    ],
)
def test_url_validation(url, message):
    errors = webhooks.endpoint_errors({"url": url, "events": ALL})
    assert message in errors["url"]


def test_events_and_private_switch_validation(monkeypatch):
    assert webhooks.endpoint_errors({"url": "https://example.com", "events": []}) == {
        "events": "Choose at least one event."
    }
    assert "events" in webhooks.endpoint_errors({"url": "https://x.org", "events": ["nope"]})
    monkeypatch.setenv(net.ALLOW_PRIVATE_ENV, "1")
    assert webhooks.endpoint_errors({"url": "http://127.0.0.1:9/x", "events": ALL}) == {}
    # link-local / metadata stay refused even with the switch
    assert "url" in webhooks.endpoint_errors({"url": "http://169.254.169.254/", "events": ALL})


def test_save_refuses_bad_input_with_the_field(session):
    p = people(session)
    with pytest.raises(ValidationError) as err:
        webhooks.save_endpoint(session, p.manager, None, {"url": "http://10.0.0.1/", "events": ALL})
    assert err.value.field == "url"


# --- events -----------------------------------------------------------------------------------


def test_event_is_written_in_the_same_transaction(session, allow_private, receiver):
    p = people(session)
    _endpoint(session, p.manager, receiver.url())
    make_ticket(session, p.requester)
    assert [d.event for d in session.exec(select(WebhookDelivery)).all()] == ["ticket.created"]
    session.rollback()  # the filing is undone: so is its webhook
    assert _deliveries(session) == []


def test_every_event_with_its_payload(session, allow_private, receiver):
    p = people(session)
    _endpoint(session, p.manager, receiver.url())
    team = make_team(session, "Hardware team")
    ref = make_ticket(session, p.requester, title="VPN down")
    ref = tickets.update_fields(
        session, p.agent, ref.id, ref.version, assignee_id=p.agent.id, team_id=team
    )
    tickets.add_comment(session, p.agent, ref.id, "Try turning it off and on.")
    tickets.add_comment(session, p.agent, ref.id, "Probably the cert.", internal=True)
    session.expire_all()
    version = session.get(Ticket, ref.id).version
    tickets.update_fields(session, p.agent, ref.id, version, status=TicketStatus.RESOLVED)
    tickets.rate(session, p.requester, ref.id, 5, "Quick!")
    session.commit()
    bodies = [json.loads(d.body) for d in _deliveries(session)]
    events = [b["event"] for b in bodies]
    assert events == [
        "ticket.created",
        "ticket.assigned",
        "ticket.public_reply",
        "ticket.internal_note",
        "ticket.status_changed",
        "ticket.rated",
    ]
    created, assigned, reply, note, status, rated = bodies
    assert created["ticket"]["title"] == "VPN down"
    assert created["ticket"]["requester_email"] == p.requester.email
    assert created["ticket"]["url"].endswith(f"/tickets/{ref.number}")
    assert set(created["ticket"]) == {
        "number",
        "title",
        "status",
        "priority",
        "type",
        "category",
        "team",
        "assignee",
        "requester_email",
        "url",
    }
    assert created["id"].startswith("evt_") and created["occurred_at"].endswith("Z")
    assert assigned["changes"]["assignee"] == {"from": None, "to": p.agent.email}
    assert assigned["changes"]["team"] == {"from": None, "to": "Hardware team"}
    assert assigned["ticket"]["assignee"] == {"name": p.agent.name, "email": p.agent.email}
    assert reply["comment"]["body"] == "Try turning it off and on."
    assert reply["comment"]["internal"] is False
    assert note["comment"]["internal"] is True
    assert status["changes"]["status"]["to"] == "resolved"
    assert status["actor"] == {"name": p.agent.name, "email": p.agent.email}
    assert rated["rating"] == {"score": 5, "comment": "Quick!"}


def test_only_subscribed_active_endpoints_get_events(session, allow_private, receiver):
    p = people(session)
    _endpoint(session, p.manager, receiver.url("/a"), events=["ticket.status_changed"])
    _endpoint(session, p.manager, receiver.url("/b"), active=False)
    make_ticket(session, p.requester)
    session.commit()
    assert _deliveries(session) == []


def test_sla_breach_from_the_scheduler(session, engine, allow_private, receiver):
    p = people(session)
    session.add(
        SlaPolicy(
            name="Normal",
            priority="normal",
            first_response_minutes=60,
            resolution_minutes=240,
            business_hours=False,
        )
    )
    _endpoint(session, p.manager, receiver.url(), events=["ticket.sla_breached"])
    ref = make_ticket(session, p.requester)
    session.commit()
    clock.advance(timedelta(hours=5))
    result = scheduler.run_once(engine, clock.now(), redis_url="")
    assert result.webhooks.delivered == 2  # first response and resolution, delivered in the tick
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    assert {b["sla"]["target"] for b in bodies} == {"first_response", "resolution"}
    assert {b["ticket"]["number"] for b in bodies} == {ref.number}
    scheduler.run_once(engine, clock.now(), redis_url="")
    assert len(receiver.requests) == 2  # logged once per ticket and target


# --- delivery against the receiver ------------------------------------------------------------


def test_signed_delivery_verifies_with_the_secret(session, engine, allow_private, receiver):
    p = people(session)
    eid = _endpoint(session, p.manager, receiver.url())
    make_ticket(session, p.requester)
    session.commit()
    assert webhooks.deliver_due(engine).delivered == 1
    [req] = receiver.requests
    h = req["headers"]
    secret = webhooks.reveal_secret(session, p.manager, eid)
    session.commit()
    signed = h["X-Ticketapp-Timestamp"].encode() + b"." + req["body"]
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(h["X-Ticketapp-Signature"], expected)
    assert h["X-Ticketapp-Event"] == "ticket.created"
    assert h["Content-Type"] == "application/json"
    assert h["Host"] == f"127.0.0.1:{receiver.port}"
    [delivery] = _deliveries(session)
    assert h["X-Ticketapp-Delivery"] == delivery.uid
    assert abs(int(h["X-Ticketapp-Timestamp"]) - clock.now().timestamp()) < 2
    assert delivery.status == WebhookStatus.DELIVERED
    [attempt] = _attempts(session, delivery.id)
    assert (attempt.ok, attempt.status_code) == (True, 200)
    assert attempt.response_excerpt == '{"ok": true}' and attempt.duration_ms >= 0
    # a wrong secret does not verify
    wrong = hmac.new(b"whsec_wrong", signed, hashlib.sha256).hexdigest()
    assert h["X-Ticketapp-Signature"] != "sha256=" + wrong


def test_a_500_is_retried_after_back_off_and_then_succeeds(
    session, engine, allow_private, receiver
):
    p = people(session)
    _endpoint(session, p.manager, receiver.url())
    make_ticket(session, p.requester)
    session.commit()
    receiver.replies = [(500, {})]
    run = webhooks.deliver_due(engine)
    assert (run.delivered, run.failed) == (0, 1)
    [d] = _deliveries(session)
    assert (d.status, d.attempts, d.last_status_code) == ("pending", 1, 500)
    assert d.next_attempt_at == clock.now() + webhooks.BASE_BACKOFF
    assert webhooks.deliver_due(engine).delivered == 0  # not due yet
    clock.advance(webhooks.BASE_BACKOFF)
    assert webhooks.deliver_due(engine).delivered == 1
    [d] = _deliveries(session)
    assert (d.status, d.attempts) == ("delivered", 2)
    first, second = _attempts(session, d.id)
    assert (first.ok, first.status_code, first.error) == (False, 500, "HTTP 500")
    assert first.response_excerpt == "receiver says no"
    assert (second.ok, second.status_code) == (True, 200)
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert _endpoint_row(session, d.endpoint_id).failing_since is None


def test_backoff_doubles_up_to_an_hour():
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 7, 8, 30)] == [
        30,
        60,
        120,
        1920,
        3600,
        3600,
    ]


def test_failing_for_a_day_turns_the_endpoint_off_and_tells_managers(
    session, engine, allow_private, receiver
):
    p = people(session)
    eid = _endpoint(session, p.manager, receiver.url())
    make_ticket(session, p.requester)
    make_ticket(session, p.requester)
    session.commit()
    receiver.always = 500
    start = clock.now()
    runs = 0
    while True:
        run = webhooks.deliver_due(engine)
        runs += 1
        assert run.delivered == 0
        endpoint = _endpoint_row(session, eid)
        if not endpoint.is_active:
            break
        assert clock.now() - start < webhooks.DISABLE_AFTER
        pending = [d for d in _deliveries(session) if d.status == "pending"]
        clock.set_now(min(d.next_attempt_at for d in pending))
    assert run.disabled == [eid]
    assert (
        webhooks.DISABLE_AFTER <= clock.now() - start < webhooks.DISABLE_AFTER + timedelta(hours=1)
    )
    assert endpoint.disabled_at == clock.now() and endpoint.disabled_reason == "HTTP 500"
    assert endpoint.failing_since == start
    # One delivery at a time while failing: the second ticket's waits behind the first's.
    assert len(receiver.requests) == runs
    assert [(d.status, d.last_error) for d in _deliveries(session)] == [
        ("failed", "HTTP 500"),  # the one that was tried
        ("failed", "endpoint turned off"),  # waited behind it, stopped
    ]
    notes = session.exec(select(Notification).where(Notification.kind == "webhook_disabled")).all()
    session.commit()
    assert [n.user_id for n in notes] == [p.manager.id]
    assert receiver.url() in notes[0].subject and "/admin/webhooks" in notes[0].body
    # Turned off: new events are not queued, nothing more is sent.
    make_ticket(session, p.requester)
    session.commit()
    assert webhooks.deliver_due(engine).failed == 0 and len(receiver.requests) == runs
    # Turning it back on clears the failure record; a resend then goes out.
    data = {"url": receiver.url(), "events": ALL, "is_active": True}
    webhooks.save_endpoint(session, p.manager, eid, data)
    session.commit()
    endpoint = _endpoint_row(session, eid)
    assert (endpoint.failing_since, endpoint.disabled_at) == (None, None)
    receiver.always = None
    first = _deliveries(session)[0]
    copy = webhooks.resend(session, p.manager, first.id)
    session.commit()
    assert webhooks.deliver_due(engine, only=[copy]).delivered == 1


def test_a_success_resets_the_failure_clock(session, engine, allow_private, receiver):
    p = people(session)
    eid = _endpoint(session, p.manager, receiver.url())
    make_ticket(session, p.requester)
    session.commit()
    receiver.replies = [(503, {})]
    webhooks.deliver_due(engine)
    assert _endpoint_row(session, eid).failing_since == clock.now()
    clock.advance(timedelta(minutes=1))
    webhooks.deliver_due(engine)
    endpoint = _endpoint_row(session, eid)
    assert endpoint.failing_since is None and endpoint.is_active


def test_the_managers_preference_lists_the_new_kind(session):
    p = people(session)
    kinds = [pref.kind for pref in kinds_for(session, p.manager)]
    assert "webhook_disabled" in kinds
    assert "webhook_disabled" not in [x.kind for x in kinds_for(session, p.agent)]


def test_a_redirect_is_not_followed(session, engine, allow_private, receiver):
    p = people(session)
    _endpoint(session, p.manager, receiver.url())
    make_ticket(session, p.requester)
    session.commit()
    receiver.replies = [(302, {"Location": receiver.url("/elsewhere")})]
    assert webhooks.deliver_due(engine).failed == 1
    assert [r["path"] for r in receiver.requests] == ["/hook"]
    [d] = _deliveries(session)
    [attempt] = _attempts(session, d.id)
    assert attempt.status_code == 302 and not attempt.ok
    assert i18n.shown(attempt.error) == f"Redirect to {receiver.url('/elsewhere')} not followed"


def test_resend_sends_the_same_event_again(session, engine, allow_private, receiver):
    p = people(session)
    eid = _endpoint(session, p.manager, receiver.url())
    make_ticket(session, p.requester)
    session.commit()
    webhooks.deliver_due(engine)
    [original] = _deliveries(session)
    with pytest.raises(PermissionDenied):
        webhooks.resend(session, p.agent, original.id)
    copy_id = webhooks.resend(session, p.manager, original.id)
    session.commit()
    assert webhooks.deliver_due(engine, only=[copy_id]).delivered == 1
    first, again = receiver.requests
    assert first["body"] == again["body"]  # same payload, same event id
    assert first["headers"]["X-Ticketapp-Delivery"] != again["headers"]["X-Ticketapp-Delivery"]
    log = webhooks.recent_deliveries(session, p.manager, eid)
    assert [(d.id, d.status, d.resent_from_id) for d in log] == [
        (copy_id, "delivered", original.id),
        (original.id, "delivered", None),
    ]
    assert [a.status_code for a in log[0].log] == [200]


def test_send_test_event(session, engine, allow_private, receiver):
    p = people(session)
    eid = _endpoint(session, p.manager, receiver.url())
    did = webhooks.send_test(session, p.manager, eid)
    session.commit()
    assert webhooks.deliver_due(engine, only=[did]).delivered == 1
    body = json.loads(receiver.requests[0]["body"])
    assert body["event"] == "ping" and "ticket" not in body
    assert body["actor"]["email"] == p.manager.email


# --- SSRF ---------------------------------------------------------------------------------------


def _fake_dns(monkeypatch, answers: dict[str, list[str]]):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (a, port),
                )
                for a in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_metadata_address_is_refused_even_with_the_switch(allow_private):
    outcome = net.post("http://169.254.169.254/latest/meta-data/", b"{}", {})
    assert not outcome.ok and outcome.status_code is None
    assert (
        i18n.shown(outcome.error) == "Refused: link-local or cloud metadata address 169.254.169.254"
    )
    assert "Refused" in i18n.shown(net.post("http://[::ffff:169.254.169.254]/", b"{}", {}).error)
    assert "Refused" in i18n.shown(net.post("http://100.100.100.200/", b"{}", {}).error)


def test_a_name_resolving_to_loopback_is_refused_without_the_switch(monkeypatch, receiver):
    _fake_dns(monkeypatch, {"hooks.example.test": ["127.0.0.1"]})
    url = f"http://hooks.example.test:{receiver.port}/hook"
    outcome = net.post(url, b"{}", {})
    assert i18n.shown(outcome.error) == "Refused: private or loopback address 127.0.0.1"
    assert receiver.requests == []
    # With the switch the same name reaches the receiver: connected to the resolved address,
    # the Host header keeps the name.
    monkeypatch.setenv(net.ALLOW_PRIVATE_ENV, "1")
    assert net.post(url, b"{}", {}).ok
    assert receiver.requests[0]["headers"]["Host"] == f"hooks.example.test:{receiver.port}"


def test_a_name_with_any_forbidden_address_is_refused(monkeypatch, allow_private):
    _fake_dns(monkeypatch, {"rebind.example.test": ["93.184.216.34", "169.254.169.254"]})
    outcome = net.post("http://rebind.example.test/", b"{}", {})
    assert (
        i18n.shown(outcome.error) == "Refused: link-local or cloud metadata address 169.254.169.254"
    )


def test_connects_to_the_checked_address_not_a_second_lookup(monkeypatch, receiver):
    """DNS rebinding: the name is resolved once; a second lookup would answer differently."""
    monkeypatch.setenv(net.ALLOW_PRIVATE_ENV, "1")
    calls = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "flip.example.test":
            calls.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert net.post(f"http://flip.example.test:{receiver.port}/", b"{}", {}).ok
    assert calls == ["flip.example.test"]


def test_refused_delivery_is_logged_and_retried(session, engine, monkeypatch):
    p = people(session)
    monkeypatch.setenv(net.ALLOW_PRIVATE_ENV, "1")
    _endpoint(session, p.manager, "http://loopback.example.test:9/hook")
    monkeypatch.delenv(net.ALLOW_PRIVATE_ENV)
    _fake_dns(monkeypatch, {"loopback.example.test": ["127.0.0.1"]})
    make_ticket(session, p.requester)
    session.commit()
    assert webhooks.deliver_due(engine).failed == 1
    [d] = _deliveries(session)
    assert d.status == "pending" and i18n.shown(d.last_error).startswith(
        "Refused: private or loopback"
    )


@pytest.mark.parametrize(
    ("address", "private_ok", "reason"),
    [
        ("8.8.8.8", False, None),
        ("2606:4700::1111", False, None),
        ("127.0.0.1", False, net.R_PRIVATE),
        ("127.0.0.1", True, None),
        ("::1", False, net.R_PRIVATE),
        ("192.168.1.10", True, None),
        ("fd12::1", False, net.R_PRIVATE),
        ("169.254.169.254", True, net.R_LINK_LOCAL),
        ("fe80::1", True, net.R_LINK_LOCAL),
        ("fd00:ec2::254", True, net.R_LINK_LOCAL),
        ("::ffff:127.0.0.1", False, net.R_PRIVATE),
        ("0.0.0.0", True, net.R_UNSPECIFIED),
        ("::", True, net.R_UNSPECIFIED),
        ("239.1.1.1", True, net.R_MULTICAST),
        ("ff02::1", True, net.R_MULTICAST),
        ("255.255.255.255", True, net.R_RESERVED),
        ("240.0.0.1", True, net.R_RESERVED),
    ],
)
def test_address_policy(address, private_ok, reason):
    import ipaddress

    assert net.refusal(ipaddress.ip_address(address), private_ok) == reason
