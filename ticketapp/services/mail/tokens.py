"""The signed reply token of a ticket: `1234-<mac>`, an HMAC of the ticket number with the app's
secret key. It travels in the Reply-To address's plus part (`support+t1234-<mac>@...`) and in
the subject (`[#1234-<mac>]`); a reply threads into a ticket only when the token verifies, never
by a bare Message-ID or `[#1234]`."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from ticketapp.config import settings

MAC_LENGTH = 12
_SUBJECT = re.compile(r"\[#(\d{1,9})-([0-9a-f]{12})\]")
_ADDRESS = re.compile(r"\+t(\d{1,9})-([0-9a-f]{12})@")


def _mac(number: int) -> str:
    key = settings.secret_key.encode()
    digest = hmac.new(key, f"mail-reply:{number}".encode(), hashlib.sha256).hexdigest()
    return digest[:MAC_LENGTH]


def token(number: int) -> str:
    return f"{number}-{_mac(number)}"


def subject_tag(number: int) -> str:
    return f"[#{token(number)}]"


def reply_address(number: int, sender: str) -> str:
    """`sender` with the ticket's token as its plus part: support@x -> support+t1234-mac@x."""
    local, _, domain = sender.partition("@")
    return f"{local.split('+')[0]}+t{token(number)}@{domain}" if domain else sender


def _verified(found: Iterable[tuple[str, str]]) -> int | None:
    for number, mac in found:
        if hmac.compare_digest(mac, _mac(int(number))):
            return int(number)
    return None


def ticket_number(subject: str, recipients: Iterable[str]) -> int | None:
    """The ticket a reply belongs to, from a token that verifies, else None."""
    from_addresses = _verified(m.groups() for a in recipients if (m := _ADDRESS.search(a)))
    if from_addresses is not None:
        return from_addresses
    return _verified(_SUBJECT.findall(subject or ""))


def strip_tag(subject: str) -> str:
    return " ".join(_SUBJECT.sub("", subject or "").split())
