"""Possible duplicates on the filing form: staff see open tickets similar to the one they type
(services/tickets/duplicates.py), each a link; requesters get none (the service would give them
only their own, but the form does not ask for them)."""

from __future__ import annotations

from typing import TypedDict

from ticketapp.services import tickets
from ticketapp.services.actor import Actor


class DuplicateItem(TypedDict):
    number: int
    title: str
    status: str
    status_label: str  # a msgid
    requester: str
    same_requester: bool
    href: str


def find_duplicates(
    session, actor: Actor, title: str, description: str, requester_id: int
) -> list[DuplicateItem]:
    if not actor.is_staff:
        return []
    found = tickets.similar_open_tickets(
        session, actor, title, description, requester_id=requester_id or None
    )
    found.sort(key=lambda d: not d.same_requester)  # theirs first, else best first
    return [
        DuplicateItem(
            number=d.number,
            title=d.title,
            status=d.status,
            status_label=d.status_label,
            requester=d.requester_name,
            same_requester=d.same_requester,
            href=f"/tickets/{d.number}",
        )
        for d in found
    ]
