"""Pickers for the filing form and the ticket list: who may look people up, and what matches."""

from __future__ import annotations

import pytest

from tests.unit.factories import make_category, make_ticket, people
from ticketapp.models import User
from ticketapp.services import directory
from ticketapp.services.errors import PermissionDenied


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def test_anyone_signed_in_sees_the_categories(session, p):
    make_category(session, "Printing")
    make_category(session, "Access")
    session.commit()
    names = [n for _i, n in directory.categories(session, p.requester)]
    assert names == ["Access", "Printing"]


def test_find_people_is_staff_only_and_matches_name_or_email(session, p):
    with pytest.raises(PermissionDenied):
        directory.find_people(session, p.requester, "otto")
    assert [x.name for x in directory.find_people(session, p.agent, "OTTO")] == ["Otto Other"]
    email = session.get(User, p.other.id).email
    assert [x.id for x in directory.find_people(session, p.agent, email)] == [p.other.id]
    assert directory.find_people(session, p.agent, "") == []
    # LIKE wildcards in the query are literal.
    assert directory.find_people(session, p.agent, "%") == []


def test_find_people_skips_deactivated_users(session, p):
    user = session.get(User, p.other.id)
    user.is_active = False
    session.add(user)
    session.commit()
    assert directory.find_people(session, p.manager, "otto") == []
    assert directory.person(session, p.manager, p.other.id) is None
    assert directory.person(session, p.manager, "garbage") is None


def test_requesters_with_tickets(session, p):
    make_ticket(session, p.requester)
    session.commit()
    with pytest.raises(PermissionDenied):
        directory.requesters_with_tickets(session, p.requester)
    found = directory.requesters_with_tickets(session, p.agent)
    assert [x.id for x in found] == [p.requester.id]
