"""Abuse limits: tickets filed and replies written per requester per minute (services/abuse.py),
on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.unit.factories import make_ticket, people
from ticketapp.services import abuse, tickets
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
