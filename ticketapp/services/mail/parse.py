"""Reading a raw RFC 5322 message into what intake needs: sender, copies, subject, the text
(text/plain, else the HTML sanitised to Markdown), files, and the signs of automatic mail."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.services.mail.body import html_to_markdown

MAX_FILES = 20
_BULK = {"bulk", "junk", "list"}
_DAEMONS = ("mailer-daemon", "postmaster", "noreply-dmarc", "mail-daemon")


class Unreadable(Exception):
    """The message cannot be processed as it is: it goes to the quarantine."""


@dataclass
class Incoming:
    message_id: str
    from_addr: str
    from_name: str
    subject: str
    text: str
    recipients: list[str] = field(default_factory=list)  # To, Cc, Delivered-To
    cc: list[tuple[str, str]] = field(default_factory=list)  # (name, address)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    bounce: str = ""  # why it is a bounce (dropped)
    automatic: str = ""  # why it is automatic (dropped)


def parse(raw: bytes) -> Incoming:
    if not raw or not raw.strip():
        raise Unreadable(i18n.later("The message is empty."))
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        return _read(msg, raw)
    except Unreadable:
        raise
    except Exception as exc:  # the email package raises many kinds on broken input
        error = f"{type(exc).__name__}: {exc}"[:300]
        raise Unreadable(i18n.later("The message cannot be read: {error}", error=error)) from exc


def _read(msg: EmailMessage, raw: bytes) -> Incoming:
    if not msg.keys():
        raise Unreadable(i18n.later("The message has no headers."))
    name, addr = parseaddr(str(msg.get("From", "")))
    addr = addr.strip().lower()
    return_path = str(msg.get("Return-Path", "")).strip()
    if "@" not in addr and return_path != "<>":
        raise Unreadable(i18n.later("The message has no sender address in From."))
    text, files = _content(msg)
    return Incoming(
        message_id=_message_id(msg, raw),
        from_addr=addr,
        from_name=name.strip(),
        subject=" ".join(str(msg.get("Subject", "")).split()),
        text=text,
        recipients=_addresses(msg, "to", "cc", "delivered-to", "x-original-to"),
        cc=[(n, a.lower()) for n, a in getaddresses(msg.get_all("cc", [])) if "@" in a],
        files=files,
        bounce=_bounce(msg, addr, return_path),
        automatic=_automatic(msg),
    )


def _message_id(msg: EmailMessage, raw: bytes) -> str:
    mid = str(msg.get("Message-ID", "")).strip()
    if mid and len(mid) <= 255:
        return mid
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def _addresses(msg: EmailMessage, *headers: str) -> list[str]:
    values = [str(v) for h in headers for v in msg.get_all(h, [])]
    return [a.lower() for _, a in getaddresses(values) if "@" in a]


def _bounce(msg: EmailMessage, addr: str, return_path: str) -> str:
    if return_path == "<>" or not addr:
        return N_("null sender")
    if addr.split("@")[0] in _DAEMONS:
        return "mailer-daemon"
    if msg.get_content_type() == "multipart/report":
        return N_("delivery report")
    return ""


def _automatic(msg: EmailMessage) -> str:
    auto = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(msg.get("Precedence", "")).strip().lower()
    if precedence in _BULK:
        return "precedence: " + precedence
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id"):
        if msg.get(header) is not None:
            return header
    return ""


def _content(msg: EmailMessage) -> tuple[str, list[tuple[str, bytes]]]:
    plain, html, files = [], [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        if (
            filename
            or disposition == "attachment"
            or (kind.startswith("image/") and part.get("Content-ID"))
        ):
            if len(files) < MAX_FILES:
                files.append((filename or _inline_name(part), _payload(part)))
        elif kind == "text/plain":
            plain.append(_text(part))
        elif kind == "text/html":
            html.append(_text(part))
    if any(p.strip() for p in plain):
        return "\n\n".join(p.strip() for p in plain if p.strip()), files
    return html_to_markdown("\n".join(html)), files


def _inline_name(part: EmailMessage) -> str:
    cid = str(part.get("Content-ID", "image")).strip("<> ").split("@")[0] or "image"
    ext = part.get_content_subtype().replace("jpeg", "jpg")
    return f"{cid}.{ext}"


def _payload(part: EmailMessage) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _text(part: EmailMessage) -> str:
    try:
        return str(part.get_content())
    except (LookupError, UnicodeDecodeError):
        charset = part.get_content_charset() or "utf-8"
        try:
            return _payload(part).decode(charset, errors="replace")
        except LookupError:
            return _payload(part).decode("utf-8", errors="replace")
