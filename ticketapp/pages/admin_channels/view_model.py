"""Mailboxes and quarantined messages as the page's rows (never a password: only whether one
is set)."""

from __future__ import annotations

from typing import TypedDict

from sqlmodel import Session

from ticketapp import i18n
from ticketapp.clock import local_label
from ticketapp.i18n import N_, _
from ticketapp.services.actor import Actor
from ticketapp.services.choices import edit_choices
from ticketapp.services.mail import mailboxes

NO_TEAM = "none"
SECURITY_LABELS = {
    "ssl": N_("SSL/TLS (port 993)"),
    "starttls": N_("STARTTLS (port 143)"),
    "none": N_("None (local servers only)"),
}


class MailboxItem(TypedDict):
    id: int
    name: str
    host: str
    port: str
    security: str
    username: str
    folder: str
    team_id: str
    server_label: str
    team_label: str
    active: bool
    state_label: str
    state_color: str
    problem: str


class HeldItem(TypedDict):
    id: int
    mailbox: str
    reason: str
    size: str
    when: str


class Option(TypedDict):
    value: str
    label: str


def _mailbox(m: mailboxes.MailboxView) -> MailboxItem:
    if not m.is_active:
        state, color = _("Off"), "gray"
    elif m.last_error:
        state, color = _("Failing"), "red"
    elif m.last_polled_at is None:
        state, color = _("Waiting for the first poll"), "blue"
    else:
        state, color = _("Polled {when}", when=local_label(m.last_polled_at)), "green"
    return MailboxItem(
        id=m.id,
        name=m.name,
        host=m.host,
        port=str(m.port),
        security=m.security,
        username=m.username,
        folder=m.folder,
        team_id=str(m.team_id) if m.team_id else NO_TEAM,
        server_label=f"{m.username} @ {m.host}:{m.port} · {m.folder}",
        team_label=m.team_name or _("No team"),
        active=m.is_active,
        state_label=state,
        state_color=color,
        problem=m.last_error,
    )


def _held(q: mailboxes.QuarantineView) -> HeldItem:
    return HeldItem(
        id=q.id,
        mailbox=q.mailbox or "-",
        reason=i18n.shown(q.reason),
        size=f"{max(1, q.size // 1024)} KB",
        when=local_label(q.created_at),
    )


def load_page(session: Session, actor: Actor) -> tuple[list, list, list]:
    boxes = [_mailbox(m) for m in mailboxes.list_mailboxes(session, actor)]
    held = [_held(q) for q in mailboxes.list_quarantine(session, actor)]
    teams = [Option(value=NO_TEAM, label=_("No team"))] + [
        Option(value=str(t.id), label=t.name) for t in edit_choices(session, actor).teams
    ]
    return boxes, held, teams
