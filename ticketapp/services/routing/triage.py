"""Triage: keyword phrases matched in any word form, the first matching active rule applied to
a new ticket, and the category suggested while a requester types."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.models import (
    Category,
    RoutingRule,
    Ticket,
    utcnow,
)
from ticketapp.services.actor import Actor
from ticketapp.services.routing.common import routing_event
from ticketapp.services.text import LATIN_LANGUAGES, alternatives, raw_words

_PHRASE_SPLIT = re.compile(r"[,;\n]+")

# --- keywords -------------------------------------------------------------------------------


def word_stems(text: str) -> set[str]:
    """The stems of every word of `text` (stop words kept) in each Latin-script language we
    speak: a short ticket ("Printerim beidzies toneris") does not show its language."""
    return {stem for word in raw_words(text) for stem in alternatives(word, LATIN_LANGUAGES)}


def phrases(keywords: str) -> list[list[tuple[str, ...]]]:
    """Each phrase of `keywords` as its words, each word as its stems in every language we
    speak: one rule's keywords may mix languages ("printer, drukarka, printeris, принтер")."""
    out = []
    for raw in _PHRASE_SPLIT.split(keywords or ""):
        phrase = [alternatives(word, LATIN_LANGUAGES) for word in raw_words(raw)]
        if phrase:
            out.append(phrase)
    return out


def keywords_match(keywords: str, text_stems: set[str]) -> bool:
    """True when any phrase of `keywords` has every word, in some form, in `text_stems`."""
    return any(
        all(not text_stems.isdisjoint(forms) for forms in phrase) for phrase in phrases(keywords)
    )


def rules_by_position(session: Session) -> list[RoutingRule]:
    return list(
        session.exec(
            select(RoutingRule).order_by(col(RoutingRule.position), col(RoutingRule.id))
        ).all()
    )


def rule_matches(rule: RoutingRule, ticket: Ticket, text_stems: set[str]) -> bool:
    if not rule.active:
        return False
    if rule.cond_type and rule.cond_type != ticket.type:
        return False
    if rule.cond_category_id and rule.cond_category_id != ticket.category_id:
        return False
    if rule.cond_requester_id and rule.cond_requester_id != ticket.requester_id:
        return False
    keywords = rule.cond_keywords.strip()
    return not keywords or keywords_match(keywords, text_stems)


def triage(session: Session, ticket: Ticket, now: datetime | None = None) -> RoutingRule | None:
    """Apply the first matching rule to a new ticket (no commit). Returns the rule, if any."""
    now = now or utcnow()
    text_stems = word_stems(f"{ticket.title}\n{ticket.description}")
    for rule in rules_by_position(session):
        if not rule_matches(rule, ticket, text_stems):
            continue
        reason = i18n.later("Triage rule “{name}”", name=rule.name)  # read in the reader's language
        for name, value in (
            ("type", rule.set_type),
            ("category_id", rule.set_category_id),
            ("priority", rule.set_priority),
            ("team_id", rule.set_team_id),
        ):
            if value is None or value == "" or getattr(ticket, name) == value:
                continue
            old = getattr(ticket, name)
            setattr(ticket, name, value)
            routing_event(session, ticket, "triaged", name, old, value, reason, now)
        session.add(ticket)
        session.flush()
        return rule
    return None


# --- suggestions for the requester form ------------------------------------------------------


def suggest_category(session: Session, actor: Actor, text: object) -> tuple[int, str] | None:
    """The category a new ticket with this text would most likely get (rules, then names)."""
    text = str(text or "")[:5000]
    stems = word_stems(text)
    if not stems:
        return None
    for rule in rules_by_position(session):
        if (
            rule.active
            and rule.set_category_id
            and rule.cond_keywords.strip()
            and keywords_match(rule.cond_keywords, stems)
        ):
            cat = session.get(Category, rule.set_category_id)
            if cat is not None:
                return cat.id, cat.name  # type: ignore[return-value]
    for cat in session.exec(select(Category).order_by(col(Category.name))).all():
        name_words = [alternatives(w, LATIN_LANGUAGES) for w in raw_words(cat.name)]
        name_words = [forms for forms in name_words if len(forms[0]) > 2]
        if name_words and all(not stems.isdisjoint(forms) for forms in name_words):
            return cat.id, cat.name  # type: ignore[return-value]
    return None
