from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.unit.factories import make_category, make_team, make_ticket, people
from ticketapp import i18n
from ticketapp.models import Comment, Ticket, TicketEvent, TicketLink, utcnow
from ticketapp.services import tickets
from ticketapp.services.errors import Conflict, NotFound, PermissionDenied, ValidationError


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def events(session, ticket_id, kind=None):
    stmt = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
    if kind:
        stmt = stmt.where(TicketEvent.kind == kind)
    return session.exec(stmt.order_by(TicketEvent.id)).all()


def resolve(session, agent, ref):
    t = session.get(Ticket, ref.id)
    return tickets.update_fields(session, agent, ref.id, t.version, status="resolved")


# --- filing ---------------------------------------------------------------------------------


def test_numbers_start_at_1001_and_increase(session, p):
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.requester)
    session.commit()
    assert (a.number, b.number) == (1001, 1002)
    t = session.get(Ticket, a.id)
    assert t.status == "new" and t.requester_id == p.requester.id and t.rank
    assert [e.kind for e in events(session, a.id)] == ["created"]
    assert session.get(Ticket, b.id).rank > t.rank  # new tickets join the bottom of New


def test_double_submit_with_same_key_files_one_ticket(session, p):
    a = make_ticket(session, p.requester, idempotency_key="form-123")
    session.commit()
    b = make_ticket(session, p.requester, idempotency_key="form-123")
    assert a == b
    assert len(session.exec(select(Ticket)).all()) == 1
    with pytest.raises(ValidationError):  # someone else replaying the key learns nothing
        make_ticket(session, p.other, idempotency_key="form-123")


def test_validation_reports_every_bad_field(session, p):
    with pytest.raises(tickets.FormInvalid) as err:
        tickets.create_ticket(
            session,
            p.requester,
            title="  ",
            description="",
            type="bogus",
            category_id="abc",
            impact="apocalyptic",
        )
    assert set(err.value.errors) == {"title", "description", "type", "category_id", "impact"}
    assert err.value.field == "title"


@pytest.mark.parametrize(
    ("type_", "fields"),
    [
        ("incident", {"affected_service", "started_at"}),
        ("problem", {"steps", "expected", "actual"}),
        ("change_request", {"desired_date", "justification"}),
    ],
)
def test_type_specific_fields_are_required(session, p, type_, fields):
    with pytest.raises(tickets.FormInvalid) as err:
        make_ticket(session, p.requester, type=type_, details={})
    assert set(err.value.errors) == fields


def test_incident_details_are_cleaned_and_stored(session, p):
    started = (utcnow() - timedelta(hours=2)).isoformat()
    ref = make_ticket(
        session,
        p.requester,
        type="incident",
        details={"affected_service": " VPN ", "started_at": started, "junk": "x"},
    )
    details = session.get(Ticket, ref.id).details
    assert details == {"affected_service": "VPN", "started_at": started}


def test_change_request_date_must_not_be_past(session, p):
    with pytest.raises(tickets.FormInvalid) as err:
        make_ticket(
            session,
            p.requester,
            type="change_request",
            details={"desired_date": "2001-01-01", "justification": "because"},
        )
    assert set(err.value.errors) == {"desired_date"}


def test_staff_files_on_behalf_requester_cannot(session, p):
    ref = make_ticket(session, p.agent, requester_id=str(p.requester.id))
    t = session.get(Ticket, ref.id)
    assert (t.requester_id, t.created_by_id) == (p.requester.id, p.agent.id)
    with pytest.raises(PermissionDenied):
        make_ticket(session, p.requester, requester_id=p.other.id)
    with pytest.raises(ValidationError):
        make_ticket(session, p.agent, requester_id=999999)


# --- the ticket page ------------------------------------------------------------------------


def test_view_hides_internal_notes_and_history_from_requester(session, p):
    ref = make_ticket(session, p.requester)
    tickets.add_comment(session, p.agent, ref.id, "Public answer")
    tickets.add_comment(session, p.agent, ref.id, "SECRET note", internal=True)
    tickets.log_time(session, p.agent, ref.id, 15, "triage")
    tickets.update_fields(session, p.agent, ref.id, None, priority="high")
    session.commit()

    mine = tickets.get_ticket_view(session, p.requester, ref.number)
    assert [c.body for c in mine.conversation] == ["Public answer"]
    assert "SECRET" not in repr(mine)
    assert all(e.kind in tickets.REQUESTER_EVENT_KINDS for e in mine.history)
    assert mine.time_entries == [] and mine.total_minutes == 0 and mine.allowed_statuses == []

    staff = tickets.get_ticket_view(session, p.agent, f"#{ref.number}")
    assert [c.internal for c in staff.conversation] == [False, True]
    assert staff.total_minutes == 15
    change = next(e for e in staff.history if e.field == "priority")
    assert (change.old_value, change.new_value, change.actor_name) == (
        "Normal",
        "High",
        "Alice Agent",
    )
    assert "resolved" in staff.allowed_statuses


@pytest.mark.parametrize("garbage", ["abc", "", None, "-1", "99999999999999", "1001; drop"])
def test_view_with_garbage_number_is_not_found(session, p, garbage):
    make_ticket(session, p.requester)
    with pytest.raises(NotFound):
        tickets.get_ticket_view(session, p.agent, garbage)


# --- agent edits ----------------------------------------------------------------------------


def test_update_fields_writes_one_event_per_change(session, p):
    ref = make_ticket(session, p.requester)
    cat, team = make_category(session), make_team(session)
    new = tickets.update_fields(
        session,
        p.agent,
        str(ref.id),
        ref.version,
        title="Printer smoking",
        priority="urgent",
        category_id=str(cat),
        team_id=team,
        assignee_id=p.agent.id,
        status="in_progress",
    )
    session.commit()
    assert new.version > ref.version
    kinds = {(e.kind, e.field) for e in events(session, ref.id)}
    assert {
        ("field_changed", "title"),
        ("field_changed", "priority"),
        ("field_changed", "category_id"),
        ("assigned", "team_id"),
        ("assigned", "assignee_id"),
        ("status_changed", "status"),
    } <= kinds


def test_stale_version_is_refused_with_a_clear_message(session, engine, p):
    ref = make_ticket(session, p.requester)
    session.commit()
    with Session(engine) as other:  # another agent saves first
        tickets.update_fields(other, p.manager, ref.id, ref.version, priority="high")
        other.commit()
    with pytest.raises(Conflict, match="changed by someone else") as err:
        tickets.update_fields(session, p.agent, ref.id, ref.version, priority="low")
    assert "Max Manager" in err.value.message
    session.rollback()
    assert session.get(Ticket, ref.id).priority == "high"


def test_update_refuses_unknown_fields_and_bad_values(session, p):
    ref = make_ticket(session, p.requester)
    with pytest.raises(ValidationError):
        tickets.update_fields(session, p.agent, ref.id, None, requester_id=p.other.id)
    with pytest.raises(ValidationError) as err:
        tickets.update_fields(session, p.agent, ref.id, None, assignee_id=p.requester.id)
    assert err.value.field == "assignee_id"
    with pytest.raises(ValidationError):
        tickets.update_fields(session, p.agent, ref.id, "v1", priority="high")


def test_refused_transition_changes_nothing(session, p):
    ref = make_ticket(session, p.requester)
    tickets.update_fields(session, p.agent, ref.id, None, status="closed")
    with pytest.raises(ValidationError, match="Can't move from Closed to Resolved. Allowed: Open."):
        tickets.update_fields(session, p.agent, ref.id, None, status="resolved", priority="high")
    session.rollback()


def test_assign_to_me(session, p):
    ref = make_ticket(session, p.requester)
    tickets.assign_to_me(session, p.agent, ref.id)
    assert session.get(Ticket, ref.id).assignee_id == p.agent.id
    assert events(session, ref.id, "assigned")[0].new_value == str(p.agent.id)


def test_bulk_update_reports_per_ticket(session, p):
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.requester)
    tickets.update_fields(session, p.agent, b.id, None, status="closed")
    out = tickets.bulk_update(session, p.agent, [a.id, b.id, "junk"], status="resolved")
    session.commit()
    assert [o.ok for o in out] == [True, False, False]
    assert "Allowed: Open" in out[1].message
    assert session.get(Ticket, a.id).status == "resolved"
    assert session.get(Ticket, b.id).status == "closed"


# --- conversation and lifecycle side effects ------------------------------------------------


def test_first_public_staff_reply_sets_first_response(session, p):
    ref = make_ticket(session, p.requester)
    tickets.add_comment(session, p.agent, ref.id, "note", internal=True)
    session.commit()
    assert session.get(Ticket, ref.id).first_response_at is None
    tickets.add_comment(session, p.agent, ref.id, "Hello!")
    session.commit()
    t = session.get(Ticket, ref.id)
    assert t.first_response_at is not None
    assert t.version == ref.version  # appending to the conversation does not bump the version
    assert [e.kind for e in events(session, ref.id)][-2:] == ["internal_note", "comment"]


@pytest.mark.parametrize("status", ["waiting", "resolved"])
def test_requester_reply_reopens(session, p, status):
    ref = make_ticket(session, p.requester)
    tickets.update_fields(session, p.agent, ref.id, None, status=status)
    tickets.add_comment(session, p.requester, ref.id, "Still broken")
    session.commit()
    assert session.get(Ticket, ref.id).status == "open"
    last = events(session, ref.id, "status_changed")[-1]
    assert (last.old_value, last.new_value, last.actor_id) == (status, "open", p.requester.id)


def test_requester_cannot_reply_to_closed_or_write_notes(session, p):
    ref = make_ticket(session, p.requester)
    with pytest.raises(PermissionDenied):
        tickets.add_comment(session, p.requester, ref.id, "x", internal=True)
    with pytest.raises(ValidationError):
        tickets.add_comment(session, p.requester, ref.id, "   ")
    tickets.update_fields(session, p.agent, ref.id, None, status="closed")
    with pytest.raises(ValidationError, match="closed"):
        tickets.add_comment(session, p.requester, ref.id, "hello?")


def test_log_time_validates_minutes(session, p):
    ref = make_ticket(session, p.requester)
    for bad in (0, 1441, "abc", None, True):
        with pytest.raises(ValidationError):
            tickets.log_time(session, p.agent, ref.id, bad)
    entry = tickets.log_time(session, p.agent, ref.id, "90", "call")
    assert entry.minutes == 90
    assert events(session, ref.id, "time_logged")[0].new_value == "90"


def test_rating_once_per_resolution(session, p):
    ref = make_ticket(session, p.requester)
    with pytest.raises(ValidationError):
        tickets.rate(session, p.requester, ref.id, 5)
    resolve(session, p.agent, ref)
    t = session.get(Ticket, ref.id)
    assert t.resolution_count == 1 and t.resolved_at is not None
    with pytest.raises(ValidationError):
        tickets.rate(session, p.requester, ref.id, 6)
    tickets.rate(session, p.requester, ref.id, "5", "Great")
    session.commit()
    assert tickets.get_ticket_view(session, p.requester, ref.number).rating_score == 5
    with pytest.raises(ValidationError, match="already"):
        tickets.rate(session, p.requester, ref.id, 4)
    session.rollback()
    # reopened and resolved again: a new resolution can be rated
    tickets.add_comment(session, p.requester, ref.id, "It broke again")
    resolve(session, p.agent, ref)
    assert session.get(Ticket, ref.id).resolution_count == 2
    assert tickets.get_ticket_view(session, p.requester, ref.number).can_rate
    tickets.rate(session, p.requester, ref.id, 3)
    session.commit()


def test_auto_close_resolved(session, p):
    old = make_ticket(session, p.requester)
    fresh = make_ticket(session, p.requester)
    resolve(session, p.agent, old)
    resolve(session, p.agent, fresh)
    session.get(Ticket, old.id).resolved_at = utcnow() - timedelta(days=8)
    session.commit()
    assert tickets.auto_close_resolved(session, utcnow(), 7) == [old.id]
    session.commit()
    assert session.get(Ticket, old.id).status == "closed"
    assert session.get(Ticket, fresh.id).status == "resolved"
    closing = events(session, old.id, "status_changed")[-1]
    assert closing.actor_id is None and closing.new_value == "closed"
    # closed after resolution: the requester may still rate it
    tickets.rate(session, p.requester, old.id, 4)


# --- merge and links ------------------------------------------------------------------------


def test_scheduler_auto_closes_long_resolved_tickets_in_batches(session, engine, p, monkeypatch):
    """The in-app scheduler closes what has been resolved for TICKETAPP_AUTO_CLOSE_DAYS, the
    longest resolved first and a batch a tick; 0 days turns it off."""
    from ticketapp import config
    from ticketapp.services import scheduler

    monkeypatch.setattr(scheduler, "AUTO_CLOSE_BATCH", 2)
    old = [make_ticket(session, p.requester, title=f"Old {i}") for i in range(3)]
    fresh = make_ticket(session, p.requester, title="Fresh")
    for ref in [*old, fresh]:
        resolve(session, p.agent, ref)
    for days, ref in zip((9, 11, 10), old, strict=True):
        session.get(Ticket, ref.id).resolved_at = utcnow() - timedelta(days=days)
    session.commit()

    monkeypatch.setattr(config, "settings", replace(config.settings, auto_close_days=0))
    assert scheduler.run_once(engine, utcnow(), redis_url="").closed == []
    monkeypatch.setattr(config, "settings", replace(config.settings, auto_close_days=7))
    first = scheduler.run_once(engine, utcnow(), redis_url="")
    assert first.closed == [old[1].id, old[2].id]
    assert set(first.closed) <= set(first.ticket_ids)  # what the live feed is told
    assert scheduler.run_once(engine, utcnow(), redis_url="").closed == [old[0].id]
    assert scheduler.run_once(engine, utcnow(), redis_url="").closed == []
    session.expire_all()
    assert {session.get(Ticket, r.id).status for r in old} == {"closed"}
    assert session.get(Ticket, fresh.id).status == "resolved"


def test_merge_closes_source_and_links_both_ways(session, p):
    target = make_ticket(session, p.requester, title="VPN down")
    source = make_ticket(session, p.other, title="VPN broken too")
    tickets.add_comment(session, p.other, source.id, "Since 9am")
    tickets.merge(session, p.agent, source.id, target.id)
    session.commit()
    src = session.get(Ticket, source.id)
    assert src.status == "closed" and src.merged_into_id == target.id
    links = session.exec(select(TicketLink.ticket_id, TicketLink.other_ticket_id)).all()
    assert set(links) == {(source.id, target.id), (target.id, source.id)}
    assert events(session, source.id, "merged") and events(session, target.id, "merged")
    staff_view = tickets.get_ticket_view(session, p.agent, target.number)
    assert [m.number for m in staff_view.merged_from] == [source.number]
    # the duplicate's requester still reads their conversation, and sees the merge note
    mine = tickets.get_ticket_view(session, p.other, source.number)
    assert [c.body for c in mine.conversation][0] == "Since 9am"
    assert "merged into" in mine.conversation[-1].body
    with i18n.using("ru"):  # the note is stored language-neutral, read in the reader's language
        mine_ru = tickets.get_ticket_view(session, p.other, source.number)
        staff_ru = tickets.get_ticket_view(session, p.agent, target.number)
    assert mine_ru.conversation[-1].body == (
        f"Этот тикет объединён с #{target.number}. Переписка продолжается там."
    )
    assert (
        staff_ru.conversation[-1].body
        == f"#{source.number} (VPN broken too) объединён с этим тикетом."
    )
    assert mine.merged_into is None  # the target belongs to someone else
    # the target's requester does not learn about the other requester's ticket
    target_view = tickets.get_ticket_view(session, p.requester, target.number)
    assert target_view.merged_from == [] and target_view.links == []
    assert all(not c.internal for c in target_view.conversation)


def test_merge_refusals(session, p):
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.requester)
    with pytest.raises(ValidationError):
        tickets.merge(session, p.agent, a.id, a.id)
    tickets.merge(session, p.agent, a.id, b.id)
    with pytest.raises(ValidationError):
        tickets.merge(session, p.agent, a.id, b.id)
    with pytest.raises(ValidationError):
        tickets.merge(session, p.agent, b.id, a.id)


def test_link_and_unlink(session, p):
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.requester)
    tickets.link_tickets(session, p.agent, a.id, b.id)
    tickets.link_tickets(session, p.agent, b.id, a.id)  # idempotent
    assert [x.number for x in tickets.get_ticket_view(session, p.agent, a.number).links] == [
        b.number
    ]
    assert len(events(session, a.id, "linked")) == 1
    tickets.unlink_tickets(session, p.agent, a.id, b.id)
    assert tickets.get_ticket_view(session, p.agent, a.number).links == []
    with pytest.raises(ValidationError):
        tickets.link_tickets(session, p.agent, a.id, a.id)


# --- lists ----------------------------------------------------------------------------------


def test_list_filters_sort_and_paginate(session, p):
    team = make_team(session)
    refs = [make_ticket(session, p.requester, title=f"Issue {i}") for i in range(7)]
    other = make_ticket(session, p.other, title="Keyboard 100% broken", description="keys")
    tickets.update_fields(session, p.agent, refs[0].id, None, assignee_id=p.agent.id)
    tickets.update_fields(session, p.agent, refs[1].id, None, priority="urgent", team_id=team)
    session.commit()

    rows, total = tickets.list_tickets(
        session, p.agent, sort="number", direction="asc", page=2, page_size=3
    )
    assert total == 8 and [r.number for r in rows] == [1004, 1005, 1006]
    mine, n = tickets.list_tickets(session, p.agent, assignee="me")
    assert n == 1 and mine[0].id == refs[0].id and mine[0].assignee_name == "Alice Agent"
    assert tickets.list_tickets(session, p.agent, assignee="unassigned")[1] == 7
    urgent, _ = tickets.list_tickets(session, p.agent, priority=["urgent", "high"])
    assert [r.id for r in urgent] == [refs[1].id] and urgent[0].team_name == "Support"
    assert tickets.list_tickets(session, p.agent, team_id=str(team))[1] == 1
    assert tickets.list_tickets(session, p.agent, text="100%")[0][0].id == other.id
    assert tickets.list_tickets(session, p.agent, text=f"#{refs[2].number}")[0][0].id == refs[2].id
    assert tickets.list_tickets(session, p.agent, requester_id=p.other.id)[1] == 1
    by_priority, _ = tickets.list_tickets(session, p.agent, sort="priority", direction="desc")
    assert by_priority[0].id == refs[1].id
    with pytest.raises(ValidationError):
        tickets.list_tickets(session, p.agent, status="nonsense")
    with pytest.raises(ValidationError):
        tickets.list_tickets(session, p.agent, page_size=100000)


def test_requester_lists_only_own_tickets(session, p):
    make_ticket(session, p.requester)
    make_ticket(session, p.other)
    rows, total = tickets.list_tickets(session, p.requester, requester_id=p.other.id)
    assert total == 1 and rows[0].requester_name == "Rita Requester"


def test_my_tickets_unread_replies(session, p):
    ref = make_ticket(session, p.requester)
    make_ticket(session, p.other)
    tickets.add_comment(session, p.agent, ref.id, "Reply one")
    tickets.add_comment(session, p.agent, ref.id, "Internal", internal=True)
    tickets.add_comment(session, p.requester, ref.id, "My own")
    session.commit()
    rows, total = tickets.list_my_tickets(session, p.requester)
    assert total == 1 and rows[0].unread == 1
    tickets.mark_seen(session, p.requester, ref.id)
    session.commit()
    assert tickets.list_my_tickets(session, p.requester)[0][0].unread == 0
    assert session.get(Ticket, ref.id).version == ref.version
    with pytest.raises(NotFound):
        tickets.mark_seen(session, p.other, ref.id)


def test_every_change_is_in_one_transaction(session, p):
    ref = make_ticket(session, p.requester)
    session.commit()
    tickets.add_comment(session, p.agent, ref.id, "draft")
    session.rollback()
    assert session.exec(select(Comment)).all() == []
    assert [e.kind for e in events(session, ref.id)] == ["created"]


def test_concurrent_filing_gets_distinct_numbers(session, engine, p):
    import threading

    results = {}

    def file_second():
        with Session(engine) as other:
            results["b"] = make_ticket(other, p.other, title="Second")
            other.commit()

    first = make_ticket(session, p.requester, title="First")  # flushed, not committed
    worker = threading.Thread(target=file_second)
    worker.start()
    worker.join(0.5)  # the second writer waits for the first (lock or unique index)
    session.commit()
    worker.join(30)
    assert {first.number, results["b"].number} == {1001, 1002}
