"""What the server remembers between events (issue 21: services/memo and its users) is
forgotten as soon as a change that outdates it is committed: sessions on sign-out, role change
and deactivation; board counts on moves and filings; KB answers on article edits. On SQLite and
PostgreSQL."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from tests.unit.factories import make_ticket, people
from ticketapp.models import Role, Ticket
from ticketapp.services import auth, board, kb, session_cache
from ticketapp.services.actor import Actor
from ticketapp.services.board import counts
from ticketapp.services.kb import cache as kb_cache
from ticketapp.services.memo import Memo, db_key

PASSWORD = "a long enough passphrase"


def _remembered(session: Session, user) -> str:
    token = auth.start_session(session, user)
    session.commit()
    session_cache.put(token, (Actor.of(user), False), session_cache.generation())
    assert session_cache.get(token) is not None
    return token


def test_a_remembered_session_is_forgotten_on_role_change_sign_out_and_deactivation(session):
    p = people(session)
    session.commit()
    token = _remembered(session, auth.get_user_by_email(session, p.agent.email))
    auth.change_role(session, p.manager, p.agent.id, Role.REQUESTER)
    assert session_cache.get(token) is not None  # nothing committed yet
    session.commit()
    assert session_cache.get(token) is None

    user = auth.get_user_by_email(session, p.agent.email)
    token = _remembered(session, user)
    other = _remembered(session, user)
    auth.end_session(session, token)  # a bulk DELETE: sign-out
    session.commit()
    assert session_cache.get(token) is None and session_cache.get(other) is None

    token = _remembered(session, user)
    auth.set_active(session, p.manager, user.id, False)
    session.commit()
    assert session_cache.get(token) is None


def test_touching_the_idle_clock_keeps_what_is_remembered(session):
    p = people(session)
    session.commit()
    user = auth.get_user_by_email(session, p.requester.email)
    token = _remembered(session, user)
    assert auth.resolve_session(session, token) is not None
    session.commit()
    make_ticket(session, p.requester)  # and so does work that is not about who is who
    session.commit()
    assert session_cache.get(token) is not None


def test_board_counts_follow_filings_moves_and_bulk_updates(session):
    p = people(session)
    session.commit()
    a = make_ticket(session, p.requester)
    make_ticket(session, p.requester)
    session.commit()
    assert counts.status_counts(session)["new"] == 2
    assert counts.status_counts(session)["new"] == 2  # remembered
    board.move_card(session, p.agent, a.id, "in_progress")
    session.commit()
    totals = board.column_totals(session, p.agent)
    assert (totals["new"], totals["in_progress"]) == (1, 1)
    session.exec(update(Ticket).values(status="open"))  # type: ignore[call-overload]
    session.commit()
    assert board.column_counts(session)["open"] == 2
    assert board.column_totals(session, p.agent, {"priority": "urgent"})["open"] == 0


def test_kb_answers_are_forgotten_when_an_article_changes(session):
    p = people(session)
    session.commit()
    assert kb.search(session, p.requester, "gateway ") == []
    hits = kb_cache.memo.hits
    assert kb.search(session, p.requester, "gateway ") == []
    assert kb_cache.memo.hits == hits + 1
    article = kb.create_article(
        session, p.agent, title="Gateway restart", body="Restart it.", status="published"
    )
    session.commit()
    assert [h.title for h in kb.search(session, p.requester, "gateway ")] == ["Gateway restart"]
    suggested = kb.suggest_for_ticket(session, p.requester, "gatway broken", "")  # a typo
    assert [h.title for h in suggested] == ["Gateway restart"]
    kb.update_article(session, p.agent, article.id, title="Router restart")
    session.commit()
    assert kb.search(session, p.requester, "gateway ") == []
    assert kb.suggest_for_ticket(session, p.requester, "gatway broken", "") == []


def test_an_answer_computed_across_a_change_is_not_kept():
    memo = Memo("test", max_entries=2, max_age=60)

    def racing():
        memo.bump()  # a change committed while the answer was computed
        return "old"

    assert memo.cached("k", racing) == "old"
    assert memo.cached("k", lambda: "new") == "new"
    assert memo.cached("k", lambda: "newer") == "new"
    memo.cached("a", lambda: 1)
    memo.cached("b", lambda: 2)  # bounded: the least recently used goes
    assert memo.cached("k", lambda: "again") == "again"


def test_a_shared_board_follows_moves_and_a_transaction_sees_its_own(session):
    p = people(session)
    session.commit()
    a = make_ticket(session, p.requester)
    session.commit()

    def new_ids():
        cols = board.board_columns(session, p.agent)
        return [c.id for c in next(col for col in cols if col.status == "new").cards]

    assert new_ids() == [a.id]
    assert board.board_columns(session, p.agent) == board.board_columns(session, p.agent)
    board.move_card(session, p.agent, a.id, "in_progress")  # not committed yet
    assert new_ids() == []  # this transaction sees its own move
    session.rollback()
    assert new_ids() == [a.id]
    board.move_card(session, p.agent, a.id, "in_progress")
    session.commit()
    assert new_ids() == []


def test_board_counts_take_each_commit_and_ignore_rollbacks(session):
    p = people(session)
    session.commit()
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.requester)
    session.commit()
    assert counts.status_counts(session)["new"] == 2
    assert counts.memo.get(db_key(session)) is not None  # kept
    board.move_card(session, p.agent, a.id, "in_progress")
    assert counts.status_counts(session)["in_progress"] == 1  # its own, uncommitted
    session.rollback()
    assert counts.status_counts(session)["in_progress"] == 0
    board.move_card(session, p.agent, a.id, "in_progress")
    board.move_card(session, p.agent, b.id, "open")
    make_ticket(session, p.requester)
    session.commit()
    kept = counts.memo.get(db_key(session))
    assert kept is not None and (kept["new"], kept["open"], kept["in_progress"]) == (1, 1, 1)
    assert counts.status_counts(session) == counts._count(session)


def test_read_only_sessions_share_their_database_s_memos(engine):
    """db.run_in_session(readonly=True) binds a fresh execution_options copy of the engine
    each time: the memos must still see one database."""
    with Session(engine) as a, Session(engine.execution_options(readonly=True)) as b:
        assert db_key(a) == db_key(b)
