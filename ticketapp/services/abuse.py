"""Abuse limits: tickets filed, replies and KB votes per requester per minute, self-service
sign-ups per network address per minute.

Counted from the rows themselves (tickets and comments of the last minute), so the limit holds
across workers without another store. Generous by default (10 tickets, 30 replies a minute:
`make load` files a few a minute per requester); staff are not limited. Set with
TICKETAPP_LIMIT_TICKETS_PER_MINUTE / TICKETAPP_LIMIT_REPLIES_PER_MINUTE /
TICKETAPP_LIMIT_VOTES_PER_MINUTE (30) / TICKETAPP_LIMIT_SIGNUPS_PER_MINUTE (10 per address,
counted from the security log's sign-up rows) (0: no limit).
Sign-in (lockout), password reset and API tokens have their own limits.
"""

from __future__ import annotations

import os
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from ticketapp.i18n import N_
from ticketapp.models import Comment, KbFeedback, SecurityEvent, Ticket, utcnow
from ticketapp.services.actor import Actor
from ticketapp.services.errors import TooManyRequests

WINDOW = timedelta(minutes=1)
TOO_MANY_TICKETS = N_("You are filing tickets faster than we allow. Wait a minute, then try again.")
TOO_MANY_REPLIES = N_("You are replying faster than we allow. Wait a minute, then try again.")
TOO_MANY_VOTES = N_("You are voting faster than we allow. Wait a minute, then try again.")
TOO_MANY_SIGN_UPS = N_(
    "Too many accounts were created from your network just now. Wait a minute, then try again."
)


def _limit(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _recent(session: Session, column, created_at, actor_id: int) -> int:
    since = utcnow() - WINDOW
    stmt = select(func.count()).where(column == actor_id, created_at > since)
    return session.exec(stmt).one()


def check_filing(session: Session, actor: Actor) -> None:
    """Raise when a requester has filed the minute's allowance already."""
    limit = _limit("TICKETAPP_LIMIT_TICKETS_PER_MINUTE", 10)
    if actor.is_staff or limit <= 0:
        return
    if _recent(session, Ticket.requester_id, Ticket.created_at, actor.id) >= limit:
        raise TooManyRequests(TOO_MANY_TICKETS)


def check_reply(session: Session, actor: Actor) -> None:
    """Raise when a requester has written the minute's allowance of replies already."""
    limit = _limit("TICKETAPP_LIMIT_REPLIES_PER_MINUTE", 30)
    if actor.is_staff or limit <= 0:
        return
    if _recent(session, Comment.author_id, Comment.created_at, actor.id) >= limit:
        raise TooManyRequests(TOO_MANY_REPLIES)


def check_vote(session: Session, actor: Actor) -> None:
    """Raise when a requester has cast the minute's allowance of "Was this helpful?" votes."""
    limit = _limit("TICKETAPP_LIMIT_VOTES_PER_MINUTE", 30)
    if actor.is_staff or limit <= 0:
        return
    if _recent(session, KbFeedback.user_id, KbFeedback.created_at, actor.id) >= limit:
        raise TooManyRequests(TOO_MANY_VOTES)


def check_sign_up(session: Session, ip: str) -> None:
    """Raise when the minute's allowance of self-service sign-ups from `ip` is used up (no
    address known, e.g. the CLI: not limited)."""
    limit = _limit("TICKETAPP_LIMIT_SIGNUPS_PER_MINUTE", 10)
    if not ip or limit <= 0:
        return
    since = utcnow() - WINDOW
    stmt = select(func.count()).where(
        SecurityEvent.action == "signed_up",
        SecurityEvent.ip == ip,
        SecurityEvent.created_at > since,
    )
    if session.exec(stmt).one() >= limit:
        raise TooManyRequests(TOO_MANY_SIGN_UPS)
