"""Helpfulness votes and deflections ("this solved my problem" while filing)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ticketapp.models import (
    KbArticle,
    KbDeflection,
    KbFeedback,
    utcnow,
)
from ticketapp.services import abuse
from ticketapp.services.actor import Actor
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.kb.common import require_actor, visible
from ticketapp.services.kb.views import FeedbackResult

# --------------------------------------------------------------------------- feedback


def record_feedback(
    session: Session, actor: Actor, article_id: int, helpful: bool
) -> FeedbackResult:
    """ "Was this helpful?": one vote per user and article; voting again changes the vote."""
    require_actor(actor)
    if not isinstance(helpful, bool):
        raise ValidationError("Answer yes or no.", field="helpful")
    abuse.check_vote(session, actor)
    article = session.get(KbArticle, article_id) if isinstance(article_id, int) else None
    if article is None or not visible(actor, article):
        raise NotFound("Article not found.")

    def current() -> KbFeedback | None:
        return session.exec(
            select(KbFeedback)
            .where(KbFeedback.article_id == article_id, KbFeedback.user_id == actor.id)
            .with_for_update()
        ).first()

    existing = current()
    delta_yes = delta_no = 0
    if existing is None:
        try:
            with session.begin_nested():
                session.add(KbFeedback(article_id=article_id, user_id=actor.id, helpful=helpful))
            delta_yes, delta_no = (1, 0) if helpful else (0, 1)
        except IntegrityError:  # the same user voted in a parallel request
            existing = current()
    if existing is not None and existing.helpful != helpful:
        existing.helpful = helpful
        existing.created_at = utcnow()
        session.add(existing)
        delta_yes, delta_no = (1, -1) if helpful else (-1, 1)
    if delta_yes or delta_no:
        session.execute(
            update(KbArticle)
            .where(col(KbArticle.id) == article_id)
            .values(
                helpful_yes=col(KbArticle.helpful_yes) + delta_yes,
                helpful_no=col(KbArticle.helpful_no) + delta_no,
            )
            .execution_options(synchronize_session=False)
        )
    session.flush()
    yes, no = session.exec(
        select(KbArticle.helpful_yes, KbArticle.helpful_no).where(KbArticle.id == article_id)
    ).one()
    session.expire(article, ["helpful_yes", "helpful_no"])
    return FeedbackResult(helpful_yes=yes, helpful_no=no, my_vote=helpful)


def record_deflection(session: Session, actor: Actor, article_id: int, query: str = "") -> int:
    """ "This solved my problem" on the new-ticket form: store it for analytics. Returns its id."""
    require_actor(actor)
    article = session.get(KbArticle, article_id) if isinstance(article_id, int) else None
    if article is None or not visible(actor, article):
        raise NotFound("Article not found.")
    query = " ".join(query.split())[:500] if isinstance(query, str) else ""
    row = KbDeflection(article_id=article_id, user_id=actor.id, query=query)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id
