"""Possible duplicates: open tickets similar to one being filed, found with the ticket search
(services/tickets/search.py) over the typed title and description: tickets holding every word
first, then tickets holding some, each group best first. The actor's visibility holds as
everywhere: a requester could only ever match their own tickets (the filing form shows this
list to staff only)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ticketapp.models import Ticket, User
from ticketapp.services import lifecycle, visibility
from ticketapp.services.actor import Actor
from ticketapp.services.tickets.search import TicketQuery, prepare

MAX_DUPLICATES = 10
MIN_TEXT = 3  # characters typed before anything is looked for


@dataclass(frozen=True)
class Duplicate:
    number: int
    title: str
    status: str
    status_label: str
    requester_name: str
    same_requester: bool  # filed by the person the new ticket is for


def similar_open_tickets(
    session: Session,
    actor: Actor,
    title: object,
    description: object = "",
    requester_id: object = None,
    limit: int = 5,
) -> list[Duplicate]:
    """Open (not resolved, closed or merged) tickets the actor may see whose words match the
    typed title and description, best first: those holding every word, then those holding
    some; the ones of `requester_id` are flagged."""
    text = " ".join(v for v in (title, description) if isinstance(v, str))
    if len(text.strip()) < MIN_TEXT:
        return []
    tq = prepare(session, actor, text, correct=False)
    if tq is None or tq.words.empty:
        return []
    size = max(1, min(int(limit), MAX_DUPLICATES))
    found = _open_matches(session, actor, replace(tq, number=None, mode="and"), size)
    if len(found) < size:
        seen = {t.id for t, _name in found}
        more = _open_matches(session, actor, replace(tq, number=None, mode="or"), size)
        found += [(t, name) for t, name in more if t.id not in seen][: size - len(found)]
    wanted = str(requester_id) if requester_id not in (None, "", 0) else ""
    return [
        Duplicate(
            number=t.number,
            title=t.title,
            status=t.status,
            status_label=lifecycle.label(t.status),
            requester_name=name or "",
            same_requester=bool(wanted) and str(t.requester_id) == wanted,
        )
        for t, name in found
    ]


def _open_matches(session: Session, actor: Actor, tq: TicketQuery, size: int) -> list:
    """(ticket, requester name) of the best `size` open matches the actor may see."""
    ranked = tq.ranked()
    requester = aliased(User)
    stmt = (
        select(Ticket, requester.name)
        .join(ranked, ranked.c.id == Ticket.id)
        .join(requester, col(requester.id) == Ticket.requester_id)
        .where(
            col(Ticket.status).in_(lifecycle.ACTIVE_STATUSES),
            col(Ticket.merged_into_id).is_(None),
        )
        .order_by(ranked.c.score.desc(), col(Ticket.id).desc())
        .limit(size)
    )
    scope = visibility.ticket_scope(actor)
    if scope is not None:
        stmt = stmt.where(scope)
    return [(t, name) for t, name in session.exec(stmt).all()]
