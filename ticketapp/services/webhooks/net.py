"""Where a webhook may be sent, and the one HTTP request that sends it (SSRF protection).

The host is resolved once; every address it resolves to is checked, and the request connects to
the checked address (the URL's host replaced by the IP, the Host header and the TLS server name
kept), so a name that resolves to a public address for the check and to an internal one for the
connection (DNS rebinding) cannot slip through. Never refused-able by configuration: link-local
(169.254.0.0/16, fe80::/10, which hold the cloud metadata services), the known metadata
addresses, multicast, unspecified, reserved and broadcast. Refused by default: private, loopback
and other non-global ranges; `TICKETAPP_WEBHOOKS_ALLOW_PRIVATE=1` allows them for on-premise
receivers (and tests). Redirects are never followed; environment proxies are not used.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from ticketapp import i18n
from ticketapp.i18n import N_

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_PRIVATE_ENV = "TICKETAPP_WEBHOOKS_ALLOW_PRIVATE"
TIMEOUT_ENV = "TICKETAPP_WEBHOOKS_TIMEOUT"
MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_CHARS = 500
USER_AGENT = "ticketapp-webhooks/1"

# Metadata services outside the link-local ranges (Alibaba, AWS over IPv6, Oracle).
METADATA = tuple(
    ipaddress.ip_network(n) for n in ("100.100.100.200/32", "fd00:ec2::254/128", "192.0.0.192/32")
)
LINK_LOCAL = tuple(ipaddress.ip_network(n) for n in ("169.254.0.0/16", "fe80::/10"))

# Reasons, as the delivery log keeps them (msgids: shown in the reader's language).
R_LINK_LOCAL = N_("link-local or cloud metadata address")
R_MULTICAST = N_("multicast address")
R_UNSPECIFIED = N_("unspecified address")
R_RESERVED = N_("reserved address")
R_PRIVATE = N_("private or loopback address")
R_SCHEME = N_("only http and https URLs")


class Refused(Exception):
    """The target may not be contacted; `reason` is a msgid, `address` the offending IP."""

    def __init__(self, reason: str, address: str = ""):
        super().__init__(f"{reason}: {address}" if address else reason)
        self.reason = reason
        self.address = address


class Unresolvable(OSError):
    """The host name has no address."""

    def __init__(self, host: str):
        super().__init__(host)
        self.host = host


def allow_private() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def timeout_seconds() -> float:
    try:
        return min(60.0, max(1.0, float(os.environ.get(TIMEOUT_ENV, "10"))))
    except ValueError:
        return 10.0


def refusal(ip: Address, private_ok: bool | None = None) -> str | None:
    """Why `ip` may not be contacted (a msgid), or None when it may."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in net for net in LINK_LOCAL + METADATA if net.version == ip.version):
        return R_LINK_LOCAL
    if ip.is_multicast:
        return R_MULTICAST
    if ip.is_unspecified:
        return R_UNSPECIFIED
    reserved = ip.is_reserved or ip == ipaddress.IPv4Address("255.255.255.255")
    if reserved and not ip.is_loopback:  # (::1 sits in the reserved ::/8)
        return R_RESERVED
    if not ip.is_global:
        allowed = allow_private() if private_ok is None else private_ok
        return None if allowed else R_PRIVATE
    return None


def literal_ip(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve(host: str, port: int) -> Address:
    """The address to connect to: every address `host` resolves to must be allowed (a name with
    one internal address among public ones is refused), the first is used."""
    ip = literal_ip(host)
    if ip is not None:
        found = [ip]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise Unresolvable(host) from exc
        found = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not found:
        raise Unresolvable(host)
    for address in found:
        reason = refusal(address)
        if reason:
            raise Refused(reason, str(address))
    return found[0]


@dataclass(frozen=True)
class Outcome:
    """One attempt: `ok` on a 2xx answer; otherwise `error` says why."""

    ok: bool
    status_code: int | None
    duration_ms: int
    error: str = ""
    excerpt: str = ""


def _read_excerpt(response: httpx.Response) -> str:
    data = b""
    for chunk in response.iter_bytes():
        data += chunk
        if len(data) >= MAX_RESPONSE_BYTES:
            break
    return data[:MAX_RESPONSE_BYTES].decode("utf-8", "replace")[:EXCERPT_CHARS]


def _judge(response: httpx.Response, excerpt: str, started: float) -> Outcome:
    ms = int((time.monotonic() - started) * 1000)
    code = response.status_code
    if 200 <= code < 300:
        return Outcome(True, code, ms, "", excerpt)
    if 300 <= code < 400:
        where = response.headers.get("location", "")[:300]
        error = i18n.later("Redirect to {location} not followed", location=where or "?")
        return Outcome(False, code, ms, error, excerpt)
    return Outcome(False, code, ms, f"HTTP {code}", excerpt)


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url` through the checks above; never raises for network trouble."""
    started = time.monotonic()
    try:
        target = httpx.URL(url)
        if target.scheme not in ("http", "https") or not target.host:
            raise Refused(R_SCHEME)
        port = target.port or (443 if target.scheme == "https" else 80)
        address = resolve(target.host, port)
        host_header = urlsplit(url).netloc.rsplit("@", 1)[-1]
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        request_headers = {**headers, "Host": host_header, "User-Agent": USER_AGENT}
        with httpx.Client(
            timeout=httpx.Timeout(timeout_seconds()), follow_redirects=False, trust_env=False
        ) as client:
            request = client.build_request(
                "POST",
                target.copy_with(host=str(address)),
                content=body,
                headers=request_headers,
                extensions=extensions,
            )
            response = client.send(request, stream=True)
            try:
                excerpt = _read_excerpt(response)
            finally:
                response.close()
        return _judge(response, excerpt, started)
    except Refused as exc:
        ms = int((time.monotonic() - started) * 1000)
        reason = {"id": exc.reason, "p": {}}
        error = i18n.later("Refused: {reason} {address}", reason=reason, address=exc.address)
        return Outcome(False, None, ms, error)
    except Unresolvable as exc:
        ms = int((time.monotonic() - started) * 1000)
        return Outcome(False, None, ms, i18n.later("Cannot resolve {host}", host=exc.host[:200]))
    except (httpx.HTTPError, OSError, ValueError) as exc:
        ms = int((time.monotonic() - started) * 1000)
        return Outcome(False, None, ms, f"{type(exc).__name__}: {exc}"[:1000])
