"""The notification kinds, who gets which, and each user's choice per kind (in-app, e-mail;
default: both on)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ticketapp.config import smtp_settings
from ticketapp.i18n import N_
from ticketapp.models import (
    NotificationPreference,
)
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ValidationError

# kind -> (label: a msgid, who gets it); the settings page lists the kinds that concern the
# user's role.
KINDS: dict[str, tuple[str, str]] = {
    "received": (N_("Your request was received"), "requester"),
    "public_reply": (N_("A reply on your request"), "requester"),
    "status_changed": (N_("Your request's status changed"), "requester"),
    "resolved": (N_("Your request was resolved"), "requester"),
    "assigned": (N_("A ticket was assigned to me"), "staff"),
    "requester_reply": (N_("The requester replied on my ticket"), "staff"),
    "sla_warning": (N_("A ticket is close to its SLA target"), "staff"),
    "sla_breach": (N_("A ticket breached its SLA target"), "staff"),
    "webhook_disabled": (
        N_("A webhook endpoint was turned off after a day of failures"),
        "manager",
    ),
}


def email_enabled() -> bool:
    return smtp_settings().enabled


# --- preferences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Preference:
    kind: str
    label: str
    in_app: bool
    email: bool


def wanted_channels(session: Session, user_id: int, kind: str) -> tuple[bool, bool]:
    row = session.get(NotificationPreference, (user_id, kind))
    return (row.in_app, row.email) if row else (True, True)


def preferences(session: Session, actor: Actor) -> list[Preference]:
    """The kinds that concern the actor's role, with their current choice (default: both on)."""
    audiences = {"staff", "manager"} if actor.is_manager else set()
    audiences.add("staff" if actor.is_staff else "requester")
    rows = {
        p.kind: p
        for p in session.exec(
            select(NotificationPreference).where(NotificationPreference.user_id == actor.id)
        ).all()
    }
    out = []
    for kind, (label, who) in KINDS.items():
        if who not in audiences:
            continue
        row = rows.get(kind)
        out.append(Preference(kind, label, row.in_app if row else True, row.email if row else True))
    return out


def set_preference(
    session: Session, actor: Actor, kind: object, in_app: object, email: object
) -> None:
    kind = str(kind)
    if kind not in KINDS:
        raise ValidationError("Unknown notification kind.", "kind")
    row = session.get(NotificationPreference, (actor.id, kind))
    if row is None:
        row = NotificationPreference(user_id=actor.id, kind=kind)
    row.in_app = bool(in_app)
    row.email = bool(email)
    session.add(row)
    session.flush()
