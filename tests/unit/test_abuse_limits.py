"""Abuse limits: tickets filed, replies and KB votes per requester per minute, sign-ups per
address per minute (services/abuse.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.unit.factories import make_ticket, people
from ticketapp.services import abuse, kb, tickets
from ticketapp.services.errors import ValidationError


def test_a_requester_filing_too_fast_is_refused_with_a_clear_message(session, monkeypatch):
    monkeypatch.setenv("TICKETAPP_LIMIT_TICKETS_PER_MINUTE", "3")
    p = people(session)
    for _ in range(3):
        make_ticket(session, p.requester)
    with pytest.raises(ValidationError) as refused:
        make_ticket(session, p.requester)
    assert refused.value.message == abuse.TOO_MANY_TICKETS
    make_ticket(session, p.other)  # per account: another requester still files
    for _ in range(4):
        make_ticket(session, p.agent)  # staff are not limited


def test_the_same_ticket_sent_again_is_not_a_new_filing(session, monkeypatch):
    monkeypatch.setenv("TICKETAPP_LIMIT_TICKETS_PER_MINUTE", "1")
    p = people(session)
    first = make_ticket(session, p.requester, idempotency_key="k1")
    assert make_ticket(session, p.requester, idempotency_key="k1").id == first.id


def test_a_requester_replying_too_fast_is_refused(session, monkeypatch):
    monkeypatch.setenv("TICKETAPP_LIMIT_REPLIES_PER_MINUTE", "2")
    p = people(session)
    ticket = make_ticket(session, p.requester)
    tickets.add_comment(session, p.requester, ticket.id, "one")
    tickets.add_comment(session, p.requester, ticket.id, "two")
    with pytest.raises(ValidationError) as refused:
        tickets.add_comment(session, p.requester, ticket.id, "three")
    assert refused.value.message == abuse.TOO_MANY_REPLIES
    for n in range(3):
        tickets.add_comment(session, p.agent, ticket.id, f"agent {n}")


def test_zero_turns_a_limit_off(session, monkeypatch):
    monkeypatch.setenv("TICKETAPP_LIMIT_TICKETS_PER_MINUTE", "0")
    p = people(session)
    for _ in range(12):
        make_ticket(session, p.requester)


def test_sign_ups_from_one_address_are_limited_per_minute(session, monkeypatch):
    from ticketapp.models import SecurityEvent
    from ticketapp.services import auth, security_log

    monkeypatch.setenv("TICKETAPP_LIMIT_SIGNUPS_PER_MINUTE", "2")
    password = "correct horse battery staple 42"
    security_log.set_request_ip("203.0.113.7")
    auth.sign_up(session, "one@example.org", "One", password)
    auth.sign_up(session, "two@example.org", "Two", password)
    with pytest.raises(ValidationError) as refused:
        auth.sign_up(session, "three@example.org", "Three", password)
    assert refused.value.message == abuse.TOO_MANY_SIGN_UPS
    security_log.set_request_ip("198.51.100.9")  # another network still signs up
    auth.sign_up(session, "four@example.org", "Four", password)
    security_log.set_request_ip("")  # no address known (the CLI): not limited
    auth.sign_up(session, "five@example.org", "Five", password)
    logged = session.exec(
        select(SecurityEvent.target).where(SecurityEvent.action == "signed_up")
    ).all()
    assert sorted(logged) == sorted(f"{n}@example.org" for n in ("one", "two", "four", "five"))


def test_kb_votes_are_limited_per_minute(session, monkeypatch):
    monkeypatch.setenv("TICKETAPP_LIMIT_VOTES_PER_MINUTE", "2")
    p = people(session)
    articles = [
        kb.create_article(
            session,
            p.agent,
            title=f"Printer guide {n}",
            body="How to clear a paper jam.",
            status="published",
            tags="",
            audience="public",
            category_id=None,
        )
        for n in range(3)
    ]
    kb.record_feedback(session, p.requester, articles[0].id, True)
    kb.record_feedback(session, p.requester, articles[1].id, False)
    with pytest.raises(ValidationError) as refused:
        kb.record_feedback(session, p.requester, articles[2].id, True)
    assert refused.value.message == abuse.TOO_MANY_VOTES
    kb.record_feedback(session, p.other, articles[2].id, True)  # per account
    for article in articles:
        kb.record_feedback(session, p.agent, article.id, True)  # staff are not limited
