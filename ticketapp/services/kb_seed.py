"""Seed the demo knowledge base (ticketapp/demo_kb.py) through the service, so it is indexed."""

from __future__ import annotations

from sqlmodel import Session, select

from ticketapp.demo_kb import DEMO_ARTICLES
from ticketapp.models import KbArticle
from ticketapp.services.actor import Actor
from ticketapp.services.kb import create_article


def seed_demo_articles(session: Session, author: Actor, categories_by_name: dict[str, int]) -> int:
    """Create every demo article whose title does not exist yet; returns how many were created.

    Unknown category names leave the article uncategorised. Flushes, never commits.
    """
    existing = set(session.exec(select(KbArticle.title)))
    created = 0
    for item in DEMO_ARTICLES:
        if item["title"] in existing:
            continue
        create_article(
            session,
            author,
            title=item["title"],
            body=item["body"],
            category_id=categories_by_name.get(item["category"]),
            tags=item["tags"],
            status=item["status"],
            audience=item["audience"],
            language=item["language"],
        )
        created += 1
    return created
