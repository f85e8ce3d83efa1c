"""Canned responses and macros (services/canned.py, services/macros.py), on both dialects."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from tests.unit.factories import make_team, make_ticket, make_user, people
from ticketapp.models import (
    CannedUse,
    Comment,
    KbArticle,
    Role,
    TeamMember,
    Ticket,
    TicketEvent,
    utcnow,
)
from ticketapp.pages.ticket_detail.canned_events import slash_query
from ticketapp.services import analytics, canned, macros, tickets
from ticketapp.services.errors import Conflict, NotFound, PermissionDenied, ValidationError


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def _join(session, team_id, actor):
    session.add(TeamMember(team_id=team_id, user_id=actor.id))
    session.flush()


def _version(session, ref):
    session.expire_all()
    return session.get(Ticket, ref.id).version


# --- placeholders ----------------------------------------------------------------------------


def test_placeholders_are_filled_for_the_ticket(session, p):
    session.add(KbArticle(slug="reset-vpn", title="Reset [VPN]", body="x", status="published"))
    ref = make_ticket(session, p.requester)
    cid = canned.save_canned(
        session,
        p.agent,
        None,
        "Hello",
        "Hi {{requester.first_name}}, about #{{ ticket.number }}: see {{kb:reset-vpn}}.\n"
        "— {{agent.name}}",
    )
    text = canned.use_canned(session, p.agent, cid, ref.id)
    assert text == (
        f"Hi Rita, about #{ref.number}: see [Reset \\[VPN\\]](http://localhost:3000/kb/reset-vpn)."
        "\n— Alice Agent"
    )
    uses = session.exec(select(CannedUse)).all()
    assert [(u.canned_id, u.user_id, u.ticket_id) for u in uses] == [(cid, p.agent.id, ref.id)]


def test_unknown_placeholders_and_unpublished_articles_are_refused(session, p):
    session.add(KbArticle(slug="draft-one", title="Draft", body="x", status="draft"))
    with pytest.raises(ValidationError) as err:
        canned.save_canned(session, p.agent, None, "T", "Hi {{requester.name}}")
    assert err.value.field == "body" and "requester.name" in err.value.message
    with pytest.raises(ValidationError) as err:
        canned.save_canned(session, p.agent, None, "T", "See {{kb:draft-one}}")
    assert "draft-one" in err.value.message
    with pytest.raises(ValidationError) as err:
        canned.save_canned(session, p.agent, None, "  ", "Body")
    assert err.value.field == "title"


# --- who sees and edits what -----------------------------------------------------------------


def test_personal_and_team_sharing(session, p):
    support = make_team(session, "Support")
    billing = make_team(session, "Billing")
    other_agent = make_user(session, Role.AGENT, "Bob Agent")
    _join(session, support, p.agent)
    mine = canned.save_canned(session, p.agent, None, "Mine", "Body")
    shared = canned.save_canned(session, p.agent, None, "Shared", "Body", support)
    billing_one = canned.save_canned(session, p.manager, None, "Billing", "Body", billing)
    assert {v.title for v in canned.list_canned(session, p.agent)} == {"Mine", "Shared"}
    # Bob is in no team: sees none of these, cannot use or edit them.
    assert canned.list_canned(session, other_agent) == []
    ref = make_ticket(session, p.requester)
    with pytest.raises(NotFound):
        canned.use_canned(session, other_agent, mine, ref.id)
    with pytest.raises(NotFound):
        canned.delete_canned(session, other_agent, shared)
    # An agent shares only with their own teams; a manager sees and edits every shared one.
    with pytest.raises(ValidationError):
        canned.save_canned(session, p.agent, mine, "Mine", "Body", billing)
    assert {v.title for v in canned.list_canned(session, p.manager)} == {"Shared", "Billing"}
    canned.save_canned(session, p.manager, shared, "Shared v2", "Body 2", support)
    canned.delete_canned(session, p.manager, billing_one)
    assert [v.title for v in canned.list_canned(session, p.agent)] == ["Mine", "Shared v2"]


def test_requesters_get_nothing(session, p):
    ref = make_ticket(session, p.requester)
    cid = canned.save_canned(session, p.agent, None, "Mine", "Body")
    mid = macros.save_macro(session, p.manager, None, "Close", [_set("status", "resolved")])
    for call in (
        lambda: canned.list_canned(session, p.requester),
        lambda: canned.save_canned(session, p.requester, None, "T", "B"),
        lambda: canned.use_canned(session, p.requester, cid, ref.id),
        lambda: canned.usage(session, p.agent, utcnow() - timedelta(days=1)),
        lambda: macros.list_macros(session, p.requester),
        lambda: macros.preview(session, p.requester, mid, [ref.id]),
        lambda: macros.apply(session, p.requester, mid, ref.id, ref.version),
        lambda: macros.apply_many(session, p.requester, mid, {ref.id: ref.version}),
        lambda: macros.save_macro(session, p.agent, None, "Mine", [_set("priority", "high")]),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_usage_counts_insertions_per_response(session, p):
    ref = make_ticket(session, p.requester)
    a = canned.save_canned(session, p.agent, None, "Alpha", "A")
    b = canned.save_canned(session, p.agent, None, "Beta", "B")
    for cid in (a, b, b):
        canned.use_canned(session, p.agent, cid, ref.id)
    since = utcnow() - timedelta(hours=1)
    assert canned.usage(session, p.manager, since) == [("Beta", 2), ("Alpha", 1)]
    assert canned.usage(session, p.manager, utcnow() + timedelta(hours=1)) == []
    # The analytics card asks for the dashboard's period: [since, until).
    assert canned.usage(session, p.manager, since, utcnow() - timedelta(minutes=30)) == []


def test_a_dashboard_period_is_its_local_days_in_utc():
    f = analytics.Filters(start=date(2026, 12, 1), end=date(2026, 12, 7), period="7")
    since, until = f.utc_range(ZoneInfo("Europe/Riga"))  # UTC+2 in December
    assert since == datetime(2026, 11, 30, 22, 0, tzinfo=UTC)
    assert until == datetime(2026, 12, 7, 22, 0, tzinfo=UTC)


# --- macros ----------------------------------------------------------------------------------


def _set(name, value):
    action = {v: k for k, v in macros.FIELD_ACTIONS.items()}[name]
    return {"action": action, "value": value}


def test_macro_definitions_are_validated(session, p):
    with pytest.raises(ValidationError):
        macros.save_macro(session, p.manager, None, "Bad", [_set("status", "exploded")])
    with pytest.raises(ValidationError):
        macros.save_macro(session, p.manager, None, "Bad", [])
    with pytest.raises(ValidationError):
        macros.save_macro(session, p.manager, None, "Bad", [{"action": "add_tag", "value": "x"}])
    with pytest.raises(ValidationError):
        macros.save_macro(
            session, p.manager, None, "Bad", [_set("priority", "high"), _set("priority", "low")]
        )
    macros.save_macro(session, p.manager, None, "Good", [_set("priority", "high")])
    with pytest.raises(ValidationError) as err:
        macros.save_macro(session, p.manager, None, "Good", [_set("priority", "low")])
    assert err.value.field == "name"


def test_preview_then_apply_one_ticket(session, p):
    team = make_team(session, "Tier 2")
    ref = make_ticket(session, p.requester)
    cid = canned.save_canned(session, p.agent, None, "Escalated", "Hi {{requester.first_name}}")
    mid = macros.save_macro(
        session,
        p.manager,
        None,
        "Escalate",
        [
            _set("priority", "urgent"),
            _set("team_id", str(team)),
            _set("assignee_id", "me"),
            {"action": "add_reply", "canned_id": cid, "internal": False},
        ],
    )
    [pv] = macros.preview(session, p.agent, mid, [ref.id])
    assert pv.problem == ""
    assert [(c.what, c.old, c.new) for c in pv.changes] == [
        ("Priority", "Normal", "Urgent"),
        ("Team", "none", "Tier 2"),
        ("Assignee", "none", "Alice Agent"),
        ("Public reply", "", "Escalated"),
    ]
    macros.apply(session, p.agent, mid, ref.id, pv.version)
    session.commit()
    ticket = session.get(Ticket, ref.id)
    assert (ticket.priority, ticket.team_id, ticket.assignee_id) == ("urgent", team, p.agent.id)
    [reply] = session.exec(select(Comment).where(Comment.ticket_id == ref.id)).all()
    assert reply.body == "Hi Rita" and not reply.is_internal
    [entry] = session.exec(
        select(TicketEvent).where(
            TicketEvent.ticket_id == ref.id, TicketEvent.kind == "macro_applied"
        )
    ).all()
    assert entry.new_value == "Escalate" and entry.actor_id == p.agent.id
    assert "Priority: Urgent" in entry.reason and "Public reply: Escalated" in entry.reason


def test_a_stale_version_is_refused_and_nothing_changes(session, p):
    ref = make_ticket(session, p.requester)
    mid = macros.save_macro(session, p.manager, None, "Urgent", [_set("priority", "urgent")])
    high = macros.save_macro(session, p.manager, None, "High", [_set("priority", "high")])
    macros.apply(session, p.agent, high, ref.id, ref.version)
    session.commit()
    with pytest.raises(Conflict):
        macros.apply(session, p.agent, mid, ref.id, ref.version)
    session.rollback()
    assert session.get(Ticket, ref.id).priority == "high"


def test_bulk_applies_each_ticket_and_refuses_stale_ones(session, p):
    refs = [make_ticket(session, p.requester, title=f"T{i}") for i in range(3)]
    cid = canned.save_canned(session, p.agent, None, "Note", "Checked #{{ticket.number}}")
    mid = macros.save_macro(
        session,
        p.manager,
        None,
        "Triage",
        [_set("status", "open"), {"action": "add_reply", "canned_id": cid, "internal": True}],
    )
    previews = macros.preview(session, p.agent, mid, [r.id for r in refs])
    versions = {pv.ticket_id: pv.version for pv in previews}
    # Someone changes the third ticket after the preview.
    tickets.update_fields(session, p.manager, refs[2].id, versions[refs[2].id], priority="low")
    session.commit()
    outcomes = macros.apply_many(session, p.agent, mid, versions)
    session.commit()
    assert [o.ok for o in outcomes] == [True, True, False]
    assert "changed by someone else" in outcomes[2].message
    session.expire_all()
    for ref, applied in zip(refs, (True, True, False), strict=True):
        ticket = session.get(Ticket, ref.id)
        assert (ticket.status == "open") is applied
        notes = session.exec(select(Comment).where(Comment.ticket_id == ref.id)).all()
        assert [(n.body, n.is_internal) for n in notes] == (
            [(f"Checked #{ref.number}", True)] if applied else []
        )
        marks = session.exec(
            select(TicketEvent).where(
                TicketEvent.ticket_id == ref.id, TicketEvent.kind == "macro_applied"
            )
        ).all()
        assert len(marks) == (1 if applied else 0)


def test_preview_names_a_status_the_lifecycle_forbids(session, p):
    ref = make_ticket(session, p.requester)
    tickets.update_fields(session, p.agent, ref.id, ref.version, status="closed")
    mid = macros.save_macro(session, p.manager, None, "Solve", [_set("status", "resolved")])
    [pv] = macros.preview(session, p.agent, mid, [ref.id])
    assert pv.problem == "Its status cannot go from Closed to Resolved."
    with pytest.raises(ValidationError):
        macros.apply(session, p.agent, mid, ref.id, pv.version)


def test_requester_tickets_of_others_are_not_previewed(session, p):
    ref = make_ticket(session, p.requester)
    mid = macros.save_macro(session, p.manager, None, "High", [_set("priority", "high")])
    assert macros.preview(session, p.agent, mid, [ref.id, 999_999, "junk"])[0].ticket_id == ref.id
    assert len(macros.preview(session, p.agent, mid, [ref.id, 999_999, "junk"])) == 1


def test_a_leading_slash_in_the_reply_box_opens_the_picker_with_its_filter():
    assert slash_query("/") == ""
    assert slash_query("/refund") == "refund"
    assert slash_query("Hello /refund") is None
    assert slash_query("/refund please") is None
    assert slash_query("") is None


def test_a_macro_adds_and_removes_tags(session, p):
    from ticketapp.services import tags

    ref = make_ticket(session, p.requester)
    tags.add_tags(session, p.agent, ref.id, "vpn, waiting-vendor")
    session.commit()
    mid = macros.save_macro(
        session,
        p.manager,
        None,
        "Vendor answered",
        [
            {"action": "add_tags", "tags": "Escalated, vpn"},
            {"action": "remove_tags", "tags": ["waiting-vendor", "never-there"]},
        ],
    )
    [saved] = [m.actions for m in macros.list_macros(session, p.manager) if m.id == mid]
    assert [(c.what, c.old, c.new) for c in macros.describe(session, p.manager, saved)] == [
        ("Add tags", "", "escalated, vpn"),
        ("Remove tags", "waiting-vendor, never-there", ""),
    ]
    [pv] = macros.preview(session, p.agent, mid, [ref.id])
    assert [(c.what, c.old, c.new) for c in pv.changes] == [  # only what would change
        ("Add tags", "", "escalated"),
        ("Remove tags", "waiting-vendor", ""),
    ]
    macros.apply(session, p.agent, mid, ref.id, pv.version)
    session.commit()
    assert tags.ticket_tags(session, p.agent, ref.id) == ["escalated", "vpn"]
    with pytest.raises(ValidationError) as bad:
        macros.save_macro(session, p.manager, None, "Bad", [{"action": "add_tags", "tags": "<b>"}])
    assert bad.value.field == "add_tags"
