"""Ticket search (services/tickets/search.py, search_index.py) on SQLite and PostgreSQL:
what it finds, in which order, what it marks, and what each role may match."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.unit.factories import make_ticket, people
from ticketapp import i18n
from ticketapp.models import Ticket, User
from ticketapp.services import attachments, board, tickets
from ticketapp.services.tickets import search_index


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def _file(session, actor, **fields):
    ref = make_ticket(session, actor, **fields)
    session.commit()
    return ref


def _reply(session, actor, ref, body, internal=False):
    tickets.add_comment(session, actor, ref.id, body, internal=internal)
    session.commit()


def _found(session, actor, query, **filters):
    rows, total = tickets.list_tickets(session, actor, text=query, **filters)
    assert total >= len(rows)
    return [r.id for r in rows]


def test_a_word_only_in_a_reply_finds_the_ticket(session, p):
    ref = _file(session, p.requester, title="Laptop slow", description="Since Monday.")
    _file(session, p.requester, title="Mouse broken", description="Left button.")
    _reply(session, p.agent, ref, "Please reinstall the graphics driver.")
    assert _found(session, p.agent, "graphics") == [ref.id]
    assert _found(session, p.requester, "graphics") == [ref.id]
    assert _found(session, p.agent, "nothingmatcheshere") == []


def test_ranking_title_before_description_before_reply(session, p):
    in_reply = _file(session, p.requester, title="Question", description="See below.")
    _reply(session, p.agent, in_reply, "The invoice is attached.")
    in_body = _file(session, p.requester, title="Question two", description="My invoice is wrong.")
    in_title = _file(session, p.requester, title="Invoice missing", description="Nothing came.")
    assert _found(session, p.agent, "invoice ") == [in_title.id, in_body.id, in_reply.id]


def test_english_and_russian_word_forms(session, p):
    en = _file(session, p.requester, title="Connection drops", description="VPN connections fail.")
    ru = _file(session, p.requester, title="Принтер не печатает", description="Замятие бумаги.")
    assert _found(session, p.agent, "connecting ") == [en.id]
    assert _found(session, p.agent, "принтера ") == [ru.id]
    assert _found(session, p.agent, "принтеры ") == [ru.id]


def test_polish_word_forms(session, p):
    pl = _file(session, p.requester, title="Drukarka nie drukuje", description="Brak papieru.")
    _file(session, p.requester, title="Printer offline", description="Queue stuck.")
    assert _found(session, p.agent, "drukarki ") == [pl.id]
    with i18n.using("pl"):
        assert _found(session, p.agent, "drukarką ") == [pl.id]


def test_prefix_of_the_word_being_typed(session, p):
    ref = _file(session, p.requester, title="Keyboard layout", description="Umlauts missing.")
    assert _found(session, p.agent, "keyb") == [ref.id]
    assert _found(session, p.agent, "layout umla") == [ref.id]
    assert _found(session, p.agent, "keyb ") == []  # a space after it: a whole word, not a prefix


def test_typos_are_corrected_from_the_vocabulary(session, p):
    ref = _file(session, p.requester, title="Printer jammed", description="Paper stuck inside.")
    assert _found(session, p.agent, "priner ") == [ref.id]
    assert _found(session, p.agent, "jamed paper ") == [ref.id]


def test_number_lookup_with_and_without_hash(session, p):
    refs = [_file(session, p.requester, title=f"Thing {i}") for i in range(3)]
    mention = _file(
        session, p.requester, title="Duplicate", description=f"Same as {refs[1].number}"
    )
    assert _found(session, p.agent, f"#{refs[1].number}")[:2] == [refs[1].id, mention.id]
    assert _found(session, p.agent, str(refs[1].number))[0] == refs[1].id
    # A number the requester may not see is not found.
    other = _file(session, p.other, title="Other's")
    assert _found(session, p.requester, f"#{other.number}") == []


def test_snippets_are_escaped_and_marked(session, p):
    ref = _file(
        session, p.requester, title="Web form", description="The <script>alert(1)</script> tag."
    )
    _reply(session, p.agent, ref, "The checkout page throws an error after paying.")
    rows, _ = tickets.list_tickets(session, p.agent, text="checkout")
    assert rows[0].snippet_html.count("<mark>") == 1
    assert "<mark>checkout</mark>" in rows[0].snippet_html
    rows, _ = tickets.list_tickets(session, p.agent, text="script")
    assert "&lt;<mark>script</mark>&gt;" in rows[0].snippet_html
    assert "<script>" not in rows[0].snippet_html
    rows, _ = tickets.list_tickets(session, p.agent, text="web")
    assert rows[0].title_html == "<mark>Web</mark> form"


def test_requesters_match_only_their_own_tickets(session, p):
    mine = _file(session, p.requester, title="Monitor flickers")
    theirs = _file(session, p.other, title="Monitor dead")
    assert _found(session, p.requester, "monitor ") == [mine.id]
    assert _found(session, p.other, "monitor ") == [theirs.id]
    assert set(_found(session, p.agent, "monitor ")) == {mine.id, theirs.id}


def test_internal_notes_match_for_staff_only(session, p):
    ref = _file(session, p.requester, title="Account locked")
    _reply(session, p.agent, ref, "Suspicious logins from abroad.", internal=True)
    assert _found(session, p.agent, "suspicious") == [ref.id]
    assert _found(session, p.manager, "suspicious") == [ref.id]
    assert _found(session, p.requester, "suspicious") == []
    assert _found(session, p.requester, "suspicious locked") == [ref.id]  # any-word fallback
    rows, _ = tickets.list_tickets(session, p.requester, text="suspicious locked")
    assert "Suspicious" not in rows[0].snippet_html


def test_attachment_names_and_requester_are_searchable(session, p, tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path)
    ref = _file(session, p.requester, title="Crash report")
    attachments.store_upload(session, p.requester, ref.id, None, "stacktrace-dump.txt", b"x")
    session.commit()
    assert _found(session, p.agent, "stacktrace") == [ref.id]
    assert _found(session, p.agent, "Rita") == [ref.id]
    assert _found(session, p.agent, p.requester.email.split("@")[0]) == [ref.id]
    user = session.get(User, p.requester.id)
    user.name = "Renamed Person"
    session.commit()
    assert _found(session, p.agent, "renamed") == [ref.id]
    assert _found(session, p.agent, "rita ") == []


def test_title_and_description_edits_are_indexed(session, p):
    ref = _file(session, p.requester, title="Old wording", description="Nothing.")
    tickets.update_fields(session, p.agent, ref.id, None, title="Fresh wording")
    session.commit()
    assert _found(session, p.agent, "fresh") == [ref.id]
    assert _found(session, p.agent, "old ") == []


def test_a_rolled_back_write_leaves_the_index_alone(session, p):
    ref = _file(session, p.requester, title="Stable title")
    tickets.add_comment(session, p.agent, ref.id, "ephemeral words")
    session.rollback()
    assert _found(session, p.agent, "ephemeral") == []
    assert _found(session, p.agent, "stable") == [ref.id]


def test_list_filters_still_apply_to_a_search(session, p):
    a = _file(session, p.requester, title="Disk full")
    b = _file(session, p.requester, title="Disk slow")
    tickets.update_fields(session, p.agent, b.id, None, priority="urgent")
    session.commit()
    assert _found(session, p.agent, "disk ", priority="urgent") == [b.id]
    assert set(_found(session, p.agent, "disk ")) == {a.id, b.id}
    rows, _ = tickets.list_tickets(session, p.agent, text="disk ", sort="number", direction="asc")
    assert [r.id for r in rows] == [a.id, b.id]


def test_board_filter_finds_cards_by_a_reply_word(session, p):
    ref = _file(session, p.requester, title="Badge reader")
    _file(session, p.requester, title="Door stuck")
    _reply(session, p.agent, ref, "Replaced the firmware.")
    columns = board.board_columns(session, p.agent, {"text": "firmware"})
    assert [c.id for col in columns for c in col.cards] == [ref.id]


def test_backfill_indexes_rows_written_without_the_orm(session, p):
    ref = _file(session, p.requester, title="Raw insert")
    session.execute(
        text("UPDATE ticket SET title = 'Backfilled heading' WHERE id = :id"), {"id": ref.id}
    )
    session.commit()
    assert _found(session, p.agent, "backfilled") == []
    assert search_index.backfill(session) == len(session.exec(select(Ticket.id)).all())
    session.commit()
    assert _found(session, p.agent, "backfilled") == [ref.id]


def test_query_syntax_is_never_interpreted(session, p):
    ref = _file(session, p.requester, title="Quotes and stars")
    for q in ['"', "*", "a OR b", "NEAR(", "'; DROP", "quotes\\", "stars:*", "{notes}: x", "&|!"]:
        tickets.list_tickets(session, p.agent, text=q)
        tickets.list_tickets(session, p.requester, text=q)
    assert _found(session, p.agent, 'quotes" AND') == [ref.id]


def test_only_the_newest_matches_are_scored_and_every_match_is_listed(session, p, monkeypatch):
    from ticketapp.services.tickets import search

    monkeypatch.setattr(search, "RANK_WINDOW", 2)
    old = _file(session, p.requester, title="Router reboots", description="Router again.")
    mid = _file(session, p.requester, title="Question", description="About the router.")
    new = _file(session, p.requester, title="Other", description="A router, once.")
    pages = [_found(session, p.agent, "router ", page=n, page_size=1) for n in (1, 2, 3)]
    # The two newest are ranked (the title match is not among them), then the oldest.
    assert {pages[0][0], pages[1][0]} == {mid.id, new.id} and pages[2] == [old.id]
    for found in (
        _found(session, p.agent, "router ", status=["new"]),
        _found(session, p.requester, "router "),
    ):
        assert found[:2] == [pages[0][0], pages[1][0]] and found[2] == old.id


def test_a_search_counts_up_to_the_cap_and_past_the_page(session, p, monkeypatch):
    from ticketapp.services.tickets import search

    monkeypatch.setattr(search, "COUNT_CAP", 2)
    refs = [_file(session, p.requester, title=f"Scanner {i} offline") for i in range(5)]
    rows, total = tickets.list_tickets(session, p.agent, text="scanner", page_size=1)
    assert (total, total.capped, len(rows)) == (2, True, 1)  # "2+": more match
    _rows, total = tickets.list_tickets(session, p.agent, text="scanner", page=3, page_size=1)
    assert (total, total.capped) == (3, True)  # always counted past the page asked for
    rows, total = tickets.list_tickets(session, p.agent, text="scanner", page=5, page_size=1)
    assert (total, total.capped, [r.id for r in rows]) == (5, False, [refs[0].id])
    _rows, total = tickets.list_tickets(
        session, p.agent, text="scanner", page_size=1, exact_count=True
    )
    assert (total, total.capped) == (5, False)
    rows, total = tickets.list_tickets(session, p.agent, text="scanner", page=9, page_size=1)
    assert (rows, total, total.capped) == ([], 5, False)  # past the end: counted
    # A relevance page counts from its ranked window (the newest RANK_WINDOW matches).
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    rows, total = tickets.list_tickets(session, p.agent, text="scanner", page_size=1)
    assert (total, total.capped, len(rows)) == (2, True, 1)
    rows, total = tickets.list_tickets(session, p.agent, text="scanner", page=4, page_size=1)
    assert (total, total.capped, len(rows)) == (4, True, 1)  # beyond the window: counted
    # With other filters (the count goes through the ticket table) and for a requester too.
    _rows, total = tickets.list_tickets(session, p.agent, text="scanner", page_size=1, status="new")
    assert (total, total.capped) == (2, True)
    _rows, total = tickets.list_tickets(session, p.agent, text="scanner", status="new")
    assert (total, total.capped) == (5, False)  # the page of 25 holds them all
    _rows, total = tickets.list_tickets(session, p.requester, text="scanner", page_size=2)
    assert (total, total.capped) == (2, True)
    _rows, total = tickets.list_tickets(session, p.requester, text="scanner", exact_count=True)
    assert (total, total.capped) == (5, False)


def test_snippets_come_from_every_source_in_order(session, p):
    desc = _file(session, p.requester, title="One", description="The toner is empty.")
    _reply(session, p.agent, desc, "Toner ordered.")
    reply = _file(session, p.requester, title="Two", description="Nothing here.")
    _reply(session, p.agent, reply, "First reply.")
    _reply(session, p.agent, reply, "New toner cartridge fitted.")
    _reply(session, p.agent, reply, "Toner again.")
    note = _file(session, p.requester, title="Three", description="Nothing either.")
    _reply(session, p.agent, note, "Internal: toner stock low.", internal=True)
    rows, _total = tickets.list_tickets(session, p.agent, text="toner")
    got = {r.id: r.snippet_html for r in rows}
    assert "The <mark>toner</mark> is empty." in got[desc.id]
    assert got[reply.id].startswith("New <mark>toner</mark>")
    assert "<mark>toner</mark> stock" in got[note.id]
    rows, _total = tickets.list_tickets(session, p.requester, text="toner")
    assert note.id not in {r.id for r in rows}
