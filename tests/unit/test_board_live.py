"""Board additions: WIP limits, live deltas (cards by id under filters), filter choices."""

from __future__ import annotations

import pytest

from tests.unit.factories import make_team, make_ticket, people
from ticketapp.services import board, tickets
from ticketapp.services.errors import PermissionDenied, ValidationError


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def test_wip_limits_managers_only_and_validated(session, p):
    with pytest.raises(PermissionDenied):
        board.set_wip_limit(session, p.agent, "open", 3)
    with pytest.raises(PermissionDenied):
        board.wip_limits(session, p.requester)
    for bad in ("x", -1, True, 10_001):
        with pytest.raises(ValidationError):
            board.set_wip_limit(session, p.manager, "open", bad)
    with pytest.raises(ValidationError):
        board.set_wip_limit(session, p.manager, "nonsense", 3)
    assert board.set_wip_limit(session, p.manager, "open", "3") == 3
    session.commit()
    assert board.wip_limits(session, p.agent) == {"open": 3}
    assert board.set_wip_limit(session, p.manager, "open", "") is None
    session.commit()
    assert board.wip_limits(session, p.agent) == {}


def test_wip_exceeded_warns_only_when_entering_a_full_column(session, p):
    a = make_ticket(session, p.requester, title="A")
    b = make_ticket(session, p.requester, title="B")
    board.move_card(session, p.agent, a.id, "open")
    board.set_wip_limit(session, p.manager, "open", 1)
    session.commit()
    warning = board.wip_exceeded(session, p.agent, b.id, "open")
    assert "limit of 1" in warning and f"#{b.number}" in warning
    assert board.wip_exceeded(session, p.agent, a.id, "open") == ""  # already there
    assert board.wip_exceeded(session, p.agent, b.id, "waiting") == ""
    with pytest.raises(PermissionDenied):
        board.wip_exceeded(session, p.requester, b.id, "open")


def test_cards_by_ids_respects_filters(session, p):
    team = make_team(session, "Network")
    a = make_ticket(session, p.requester, title="VPN down")
    b = make_ticket(session, p.requester, title="Mouse")
    tickets.update_fields(session, p.agent, a.id, None, team_id=team)
    session.commit()
    got = board.cards_by_ids(session, p.agent, [a.id, str(b.id)], {"team_id": team})
    assert [c.id for c in got] == [a.id]
    assert {c.id for c in board.cards_by_ids(session, p.agent, [a.id, b.id])} == {a.id, b.id}
    assert board.column_totals(session, p.agent, {"text": "mouse"})["new"] == 1
    with pytest.raises(PermissionDenied):
        board.cards_by_ids(session, p.requester, [a.id])


def test_filter_options(session, p):
    make_team(session, "Network")
    session.commit()
    opts = board.filter_options(session, p.agent)
    names = [c.label for c in opts["assignees"]]
    assert "Alice Agent" in names and "Max Manager" in names and "Rita Requester" not in names
    assert [c.label for c in opts["teams"]] == ["Network"]
