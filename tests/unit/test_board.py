import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from tests.unit.factories import make_team, make_ticket, people
from ticketapp.models import Ticket, TicketEvent
from ticketapp.services import board, tickets
from ticketapp.services.errors import Conflict, NotFound, PermissionDenied, ValidationError


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def column(cols, status):
    return next(c for c in cols if c.status == status)


def ids(cols, status):
    return [c.id for c in column(cols, status).cards]


def ranks(session):
    return dict(session.exec(select(Ticket.id, Ticket.rank)).all())


def test_columns_in_rank_order_with_limit_and_total(session, p):
    refs = [make_ticket(session, p.requester, title=f"T{i}") for i in range(5)]
    session.commit()
    cols = board.board_columns(session, p.agent, limit=3)
    assert [c.status for c in cols] == [
        "new",
        "open",
        "in_progress",
        "waiting",
        "resolved",
        "closed",
    ]
    new = column(cols, "new")
    assert new.total == 5 and [c.id for c in new.cards] == [r.id for r in refs[:3]]
    assert new.label == "New" and new.cards[0].assignee_name == "Unassigned"
    collapsed = board.board_columns(session, p.agent, limits={"new": 0})
    assert column(collapsed, "new").cards == [] and column(collapsed, "new").total == 5


def test_card_fields_and_filters(session, p):
    team = make_team(session, "Network")
    a = make_ticket(session, p.requester, title="VPN down")
    b = make_ticket(session, p.requester, title="Mouse")
    tickets.update_fields(
        session, p.agent, a.id, None, assignee_id=p.agent.id, team_id=team, priority="high"
    )
    session.commit()
    card = column(board.board_columns(session, p.agent), "new").cards[0]
    assert (card.assignee_initials, card.assignee_name, card.team_name) == (
        "AA",
        "Alice Agent",
        "Network",
    )
    for filters, expected in [
        ({"assignee": "me"}, [a.id]),
        ({"assignee": "unassigned"}, [b.id]),
        ({"assignee": str(p.agent.id)}, [a.id]),
        ({"team_id": team}, [a.id]),
        ({"priority": "high"}, [a.id]),
        ({"text": "mouse"}, [b.id]),
        ({"type": "question"}, [a.id, b.id]),
        ({"requester_id": 12345}, [a.id, b.id]),  # not a board filter: ignored
    ]:
        assert ids(board.board_columns(session, p.agent, filters), "new") == expected, filters


def test_move_within_column_rewrites_one_row(session, p):
    a, b, c = (make_ticket(session, p.requester) for _ in range(3))
    session.commit()
    before = ranks(session)
    card = board.move_card(session, p.agent, c.id, "new", None, a.id, c.version)  # c to the top
    session.commit()
    after = ranks(session)
    assert [k for k in before if before[k] != after[k]] == [c.id]
    assert ids(board.board_columns(session, p.agent), "new") == [c.id, a.id, b.id]
    assert card.version == c.version + 1
    # between a and b, naming both neighbours
    board.move_card(session, p.agent, str(c.id), "new", a.id, b.id)
    session.commit()
    assert ids(board.board_columns(session, p.agent), "new") == [a.id, c.id, b.id]
    moved = session.exec(select(TicketEvent).where(TicketEvent.kind == "moved")).all()
    assert len(moved) == 2
    # the ticket page history does not list reorders
    view = tickets.get_ticket_view(session, p.agent, c.number)
    assert all(e.kind != "moved" for e in view.history)


def test_move_across_columns_goes_through_lifecycle(session, p):
    a = make_ticket(session, p.requester)
    x = make_ticket(session, p.requester)
    board.move_card(session, p.agent, x.id, "in_progress")
    session.commit()
    card = board.move_card(session, p.agent, a.id, "in_progress", x.id, None)
    session.commit()
    assert card.status == "in_progress"
    assert ids(board.board_columns(session, p.agent), "in_progress") == [x.id, a.id]
    event = session.exec(
        select(TicketEvent).where(
            TicketEvent.ticket_id == a.id, TicketEvent.kind == "status_changed"
        )
    ).one()
    assert (event.old_value, event.new_value, event.actor_id) == ("new", "in_progress", p.agent.id)
    board.move_card(session, p.agent, a.id, "closed")
    with pytest.raises(ValidationError, match="Can't move from Closed to Resolved. Allowed: Open."):
        board.move_card(session, p.agent, a.id, "resolved")
    session.rollback()


def test_stale_move_names_who_moved_it(session, engine, p):
    a = make_ticket(session, p.requester)
    session.commit()
    with Session(engine) as other:
        board.move_card(other, p.manager, a.id, "open", None, None, a.version)
        other.commit()
    with pytest.raises(Conflict, match="Max Manager moved or changed #1001"):
        board.move_card(session, p.agent, a.id, "in_progress", None, None, a.version)
    session.rollback()
    assert session.get(Ticket, a.id).status == "open"


def test_stale_or_foreign_neighbours_are_ignored(session, p):
    a, b = make_ticket(session, p.requester), make_ticket(session, p.requester)
    session.commit()
    # neighbours in another column, garbage, or the card itself: placed at the bottom
    card = board.move_card(session, p.agent, a.id, "open", b.id, "garbage")
    assert card.status == "open"
    card = board.move_card(session, p.agent, b.id, "new", b.id, 10**12)
    assert card.status == "new"
    # both named but in the wrong order: trust the one above
    c = make_ticket(session, p.requester)
    board.move_card(session, p.agent, c.id, "open", a.id, a.id)
    session.commit()
    assert ids(board.board_columns(session, p.agent), "open") == [a.id, c.id]


def test_legacy_rows_without_rank_are_rebalanced(session, p):
    refs = [make_ticket(session, p.requester) for _ in range(4)]
    session.execute(update(Ticket).values(rank=""))
    session.commit()
    board.move_card(session, p.agent, refs[3].id, "new", refs[0].id, refs[1].id)
    session.commit()
    order = ids(board.board_columns(session, p.agent), "new")
    assert order == [refs[0].id, refs[3].id, refs[1].id, refs[2].id]
    assert all(r for r in ranks(session).values())


def test_many_moves_into_one_gap_stay_bounded(session, p):
    a, b, c = (make_ticket(session, p.requester) for _ in range(3))
    session.commit()
    top, mover = a.id, c.id
    for _ in range(60):  # keep dropping the last card right under the first one
        board.move_card(session, p.agent, mover, "new", top, None)
        top, mover = mover, (b.id if mover == c.id else c.id)
    session.commit()
    assert max(len(r) for r in ranks(session).values()) <= 48
    assert len(ids(board.board_columns(session, p.agent), "new")) == 3


def test_staff_only_and_counts(session, p):
    a = make_ticket(session, p.requester)
    with pytest.raises(PermissionDenied):
        board.board_columns(session, p.requester)
    with pytest.raises(PermissionDenied):
        board.move_card(session, p.requester, a.id, "open")
    with pytest.raises(NotFound):
        board.move_card(session, p.agent, "nope", "open")
    with pytest.raises(ValidationError):
        board.move_card(session, p.agent, a.id, "archived")
    board.move_card(session, p.agent, a.id, "waiting")
    session.commit()
    counts = board.column_counts(session)
    assert (
        counts["waiting"] == 1
        and counts["new"] == 0
        and set(counts)
        == {
            "new",
            "open",
            "in_progress",
            "waiting",
            "resolved",
            "closed",
        }
    )
