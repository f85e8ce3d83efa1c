"""The ticket list's column choice (services/preferences.py), on both dialects."""

import pytest
from sqlmodel import Session

from tests.unit.factories import people
from ticketapp.services import preferences
from ticketapp.services.errors import PermissionDenied, ValidationError


def test_a_new_agent_sees_the_default_columns(session: Session):
    p = people(session)
    assert preferences.list_columns(session, p.agent) == list(preferences.DEFAULT_LIST_COLUMNS)
    assert "sla" in preferences.DEFAULT_LIST_COLUMNS


def test_the_choice_is_kept_per_user_in_display_order(engine, session: Session):
    p = people(session)
    session.commit()
    chosen = preferences.set_list_columns(session, p.agent, ["sla", "status", "type"])
    session.commit()
    assert chosen == ["status", "type", "sla"]
    with Session(engine) as fresh:  # read back from the database, not the identity map
        assert preferences.list_columns(fresh, p.agent) == ["status", "type", "sla"]
        assert preferences.list_columns(fresh, p.manager) == list(preferences.DEFAULT_LIST_COLUMNS)
    preferences.set_list_columns(session, p.agent, [])
    session.commit()
    assert preferences.list_columns(session, p.agent) == []
    assert preferences.reset_list_columns(session, p.agent) == list(
        preferences.DEFAULT_LIST_COLUMNS
    )
    session.commit()
    assert preferences.list_columns(session, p.agent) == list(preferences.DEFAULT_LIST_COLUMNS)


@pytest.mark.parametrize("bad", [["status", "password_hash"], "status", [1], None])
def test_unknown_columns_are_refused_and_nothing_changes(session: Session, bad):
    p = people(session)
    preferences.set_list_columns(session, p.agent, ["status"])
    with pytest.raises(ValidationError):
        preferences.set_list_columns(session, p.agent, bad)
    assert preferences.list_columns(session, p.agent) == ["status"]


def test_requesters_have_no_ticket_list_columns(session: Session):
    p = people(session)
    with pytest.raises(PermissionDenied):
        preferences.list_columns(session, p.requester)
    with pytest.raises(PermissionDenied):
        preferences.set_list_columns(session, p.requester, ["status"])
    with pytest.raises(PermissionDenied):
        preferences.list_columns(session, None)


def test_the_tags_column_is_a_choice_off_by_default(session: Session):
    p = people(session)
    assert "tags" in preferences.LIST_COLUMNS and "tags" not in preferences.DEFAULT_LIST_COLUMNS
    assert preferences.set_list_columns(session, p.agent, ["tags", "status"]) == ["status", "tags"]
