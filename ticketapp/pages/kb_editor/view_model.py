"""What the editor loads: an article (edit), or the categories and a resolved ticket's draft (new),
as form values."""

from __future__ import annotations

from datetime import datetime

from ticketapp.i18n import _
from ticketapp.services import kb, kb_extras
from ticketapp.services.actor import Actor

NO_CATEGORY = "none"


def _categories(session, actor: Actor) -> list[list[str]]:
    return [[NO_CATEGORY, _("No category")]] + [
        [str(c.id), c.name] for c in kb.list_categories(session, actor)
    ]


def load_edit(session, actor: Actor, slug: str) -> dict:
    view = kb.get_article(session, actor, slug)
    return {
        "id": view.id,
        "slug": view.slug,
        "title": view.title,
        "body": view.body,
        "category": str(view.category_id) if view.category_id else NO_CATEGORY,
        "tags": ", ".join(view.tags),
        "status": view.status,
        "audience": view.audience,
        "language": view.language,
        "updated_at": view.updated_at,
        "categories": _categories(session, actor),
    }


def load_new(session, actor: Actor, from_ticket: str) -> dict:
    data: dict = {"categories": _categories(session, actor)}
    if from_ticket:
        draft = kb_extras.draft_from_ticket(session, actor, from_ticket)
        data.update(
            title=draft.title,
            body=draft.body,
            category=str(draft.category_id) if draft.category_id else NO_CATEGORY,
            ticket_number=draft.ticket_number,
        )
    return data


def current_updated_at(session, actor: Actor, article_id: int) -> datetime:
    return kb.get_article_by_id(session, actor, article_id).updated_at
