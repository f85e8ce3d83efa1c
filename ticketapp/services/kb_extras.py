"""Knowledge-base helpers for the article pages: status badges for search hits and an article
draft made from a resolved ticket. Plain Python over a Session, like every service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import KbArticle, TicketStatus
from ticketapp.services import tickets
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.errors import ValidationError
from ticketapp.services.kb import MAX_TITLE

DRAFTABLE_STATUSES = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})


@dataclass(frozen=True)
class ArticleFlags:
    status: str
    audience: str


@dataclass(frozen=True)
class ArticleDraft:
    title: str
    body: str
    category_id: int | None
    ticket_number: int


def article_flags(session: Session, actor: Actor, ids: Iterable[int]) -> dict[int, ArticleFlags]:
    """Status and audience of the given articles, for staff badges (requesters get nothing:
    everything they can see is published and public)."""
    if actor is None or not actor.is_staff:
        return {}
    wanted = [i for i in ids if isinstance(i, int)][:100]
    if not wanted:
        return {}
    rows = session.exec(
        select(KbArticle.id, KbArticle.status, KbArticle.audience).where(
            col(KbArticle.id).in_(wanted)
        )
    )
    return {aid: ArticleFlags(status=s, audience=a) for aid, s, a in rows}


def draft_from_ticket(session: Session, actor: Actor, number: object) -> ArticleDraft:
    """A new article's title and body from a resolved (or closed) ticket: its description and
    its public replies, never internal notes. Agents and managers only."""
    require_staff(actor)
    view = tickets.get_ticket_view(session, actor, number)  # NotFound if it does not exist
    if view.status not in DRAFTABLE_STATUSES:
        raise ValidationError(
            "Ticket #{number} is not resolved yet: articles are made from resolved tickets.",
            field="from_ticket",
            number=view.number,
        )
    replies = [c for c in view.conversation if not c.internal and c.body.strip()]
    # The draft is written in its author's language; they edit it before publishing.
    no_description = i18n._("(no description)")
    parts = ["## " + i18n._("Problem"), "", view.description.strip() or no_description]
    if replies:
        parts += ["", "## " + i18n._("Solution")]
        for reply in replies:
            parts += ["", reply.body.strip()]
    return ArticleDraft(
        title=view.title.strip()[:MAX_TITLE],
        body="\n".join(parts) + "\n",
        category_id=view.category_id,
        ticket_number=view.number,
    )
