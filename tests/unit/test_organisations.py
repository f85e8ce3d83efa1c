"""Organisations, requester profiles and notes, possible duplicates (services/organisations.py,
services/requesters.py, services/tickets/duplicates.py) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.unit.factories import make_ticket, make_user, people
from ticketapp.models import OrganisationMember, Role, SatisfactionRating, User
from ticketapp.services import analytics, auth, organisations, requesters, tickets
from ticketapp.services.errors import NotFound, PermissionDenied, ValidationError
from ticketapp.services.mail import intake as mail

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def _org(session, actor, name="Acme", domains="acme.test") -> int:
    oid = organisations.save_organisation(session, actor, None, name, domains)
    session.commit()
    return oid


def _org_id_of(session, user_id: int) -> int | None:
    found = organisations.organisation_of(session, user_id)
    return found[0] if found else None


# --- organisations and auto-join ---------------------------------------------------------------


def test_only_managers_manage_organisations_and_requesters_see_none(session, p):
    for who in (p.requester, p.agent):
        with pytest.raises(PermissionDenied):
            organisations.save_organisation(session, who, None, "Acme", "acme.test")
    oid = _org(session, p.manager)
    for call in (
        lambda who: organisations.delete_organisation(session, who, oid),
        lambda who: organisations.set_organisation(session, who, p.other.id, oid),
    ):
        with pytest.raises(PermissionDenied):
            call(p.agent)
    with pytest.raises(PermissionDenied):
        organisations.list_organisations(session, p.requester)
    with pytest.raises(PermissionDenied):
        organisations.choices(session, p.requester)
    assert [o.name for o in organisations.list_organisations(session, p.agent)] == ["Acme"]


def test_sign_up_with_a_matching_domain_joins_the_organisation(session, p):
    oid = _org(session, p.manager, domains="@ACME.test, acme-eu.test")
    joined = auth.sign_up(session, "jane@Acme.Test", "Jane", PASSWORD)
    elsewhere = auth.sign_up(session, "joe@other.test", "Joe", PASSWORD)
    eu = auth.sign_up(session, "eva@acme-eu.test", "Eva", PASSWORD)
    session.commit()
    assert _org_id_of(session, joined.id) == oid
    assert _org_id_of(session, eu.id) == oid
    assert _org_id_of(session, elsewhere.id) is None


def test_admin_created_requesters_join_but_staff_accounts_do_not(session, p):
    oid = _org(session, p.manager)
    requester = auth.create_user(session, p.manager, "r@acme.test", "R", PASSWORD, "requester")
    agent = auth.create_user(session, p.manager, "a@acme.test", "A", PASSWORD, "agent")
    session.commit()
    assert _org_id_of(session, requester.id) == oid
    assert _org_id_of(session, agent.id) is None


def test_mail_intake_requester_joins_by_domain(engine, session, p, tmp_path, monkeypatch):
    from ticketapp.services import attachments

    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    monkeypatch.setenv("TICKETAPP_SMTP_FROM", "support@help.example.com")
    monkeypatch.delenv("TICKETAPP_SMTP_HOST", raising=False)
    oid = _org(session, p.manager)
    raw = (
        b"From: Mia Mailer <mia@acme.test>\r\nTo: support@help.example.com\r\n"
        b"Subject: VPN keeps dropping\r\nMessage-ID: <org-test-1@acme.test>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe VPN drops every hour.\r\n"
    )
    session.commit()
    out = mail.ingest_and_commit(engine, raw, "")
    assert out.kind == mail.CREATED
    session.expire_all()
    user = session.exec(select(User).where(User.email == "mia@acme.test")).one()
    assert _org_id_of(session, user.id) == oid


def test_an_existing_membership_is_kept(session, p):
    first = _org(session, p.manager, "First", "")
    organisations.set_organisation(session, p.manager, p.other.id, first)
    user = session.get(User, p.other.id)
    _org(session, p.manager, "Second", "example.com")  # p.other's address is @example.com
    assert organisations.join_by_domain(session, user) is None
    assert _org_id_of(session, p.other.id) == first


def test_a_domain_belongs_to_one_organisation(session, p):
    _org(session, p.manager, "Acme", "acme.test")
    with pytest.raises(ValidationError) as taken:
        organisations.save_organisation(session, p.manager, None, "Other", "x.test acme.test")
    assert taken.value.field == "domains"
    assert "Acme" in taken.value.message
    with pytest.raises(ValidationError) as bad:
        organisations.save_organisation(session, p.manager, None, "Other", "not a domain")
    assert bad.value.field == "domains"
    with pytest.raises(ValidationError) as dup:
        organisations.save_organisation(session, p.manager, None, " acme ", "")
    assert dup.value.field == "name"
    with pytest.raises(ValidationError) as empty:
        organisations.save_organisation(session, p.manager, None, "  ", "")
    assert empty.value.field == "name"


def test_edit_keeps_own_domains_and_delete_frees_members(session, p):
    oid = _org(session, p.manager, "Acme", "acme.test")
    assert (
        organisations.save_organisation(session, p.manager, oid, "Acme Ltd", "acme.test b.test")
        == oid
    )
    view = organisations.list_organisations(session, p.manager)[0]
    assert (view.name, view.domains) == ("Acme Ltd", ["acme.test", "b.test"])
    organisations.set_organisation(session, p.manager, p.other.id, oid)
    session.commit()
    assert organisations.delete_organisation(session, p.manager, oid) == "Acme Ltd"
    session.commit()
    assert session.get(User, p.other.id) is not None
    assert session.exec(select(OrganisationMember)).all() == []
    with pytest.raises(NotFound):
        organisations.delete_organisation(session, p.manager, oid)


# --- filters --------------------------------------------------------------------------------------


def test_list_and_analytics_filter_by_organisation(session, p):
    oid = _org(session, p.manager, "Acme", "")
    organisations.set_organisation(session, p.manager, p.other.id, oid)
    theirs = make_ticket(session, p.other, title="Acme laptop broken")
    make_ticket(session, p.requester, title="My own printer")
    session.commit()
    rows, total = tickets.list_tickets(session, p.agent, organisation_id=str(oid))
    assert (total, [r.number for r in rows]) == (1, [theirs.number])
    with pytest.raises(ValidationError):
        tickets.list_tickets(session, p.agent, organisation_id="garbage")
    # A requester's list stays their own whatever organisation they ask for.
    mine, _n = tickets.list_tickets(session, p.requester, organisation_id=str(oid))
    assert {r.requester_name for r in mine} == {"Rita Requester"}
    today = date.today()
    f = analytics.parse_filters({"organisation": str(oid), "period": "7"}, today)
    assert f.organisation_id == oid and f.params()["organisation"] == str(oid)
    everyone = analytics.parse_filters({"period": "7"}, today)
    assert f.key() != everyone.key()
    by_org = analytics.dashboard(session, p.manager, f)
    overall = analytics.dashboard(session, p.manager, everyone)
    assert _created(by_org) == 1 and _created(overall) == 2
    choices = analytics.filter_choices(session, p.manager)
    assert choices["organisations"] == [(str(oid), "Acme")]


def _created(dashboard) -> int:
    return sum(day["created"] for day in dashboard.daily)


# --- the requester profile ------------------------------------------------------------------------


def test_profile_is_staff_only_and_shows_tickets_ratings_and_organisation(session, p):
    oid = _org(session, p.manager, "Acme", "")
    organisations.set_organisation(session, p.manager, p.requester.id, oid)
    ref = make_ticket(session, p.requester, title="Mouse broken")
    make_ticket(session, p.other, title="Not theirs")
    session.add(
        SatisfactionRating(
            ticket_id=ref.id, resolution_no=1, rater_id=p.requester.id, score=4, comment="ok"
        )
    )
    session.commit()
    for who in (p.requester, p.other):
        with pytest.raises(PermissionDenied):
            requesters.profile(session, who, p.requester.id)
    prof = requesters.profile(session, p.agent, p.requester.id)
    assert (prof.name, prof.organisation_name, prof.ticket_count, prof.open_count) == (
        "Rita Requester",
        "Acme",
        1,
        1,
    )
    assert [t.title for t in prof.tickets] == ["Mouse broken"]
    assert [(r.ticket_number, r.score, r.comment) for r in prof.ratings] == [(ref.number, 4, "ok")]
    with pytest.raises(NotFound):
        requesters.profile(session, p.agent, 999999)
    with pytest.raises(NotFound):
        requesters.profile(session, p.agent, "garbage")


def test_notes_staff_add_authors_or_managers_edit(session, p):
    with pytest.raises(PermissionDenied):
        requesters.add_note(session, p.requester, p.other.id, "hi")
    with pytest.raises(ValidationError):
        requesters.add_note(session, p.agent, p.other.id, "   ")
    note_id = requesters.add_note(session, p.agent, p.other.id, "Prefers phone calls.")
    session.commit()
    other_agent = make_user(session, Role.AGENT, "Bob Agent")
    with pytest.raises(PermissionDenied):
        requesters.edit_note(session, other_agent, note_id, "changed")
    with pytest.raises(PermissionDenied):
        requesters.notes(session, p.requester, p.other.id)
    requesters.edit_note(session, p.manager, note_id, "Prefers e-mail now.")
    session.commit()
    [note] = requesters.notes(session, p.agent, p.other.id)
    assert (note.body, note.author_name, note.can_edit) == (
        "Prefers e-mail now.",
        "Alice Agent",
        True,
    )
    assert note.updated_at is not None
    assert requesters.notes(session, other_agent, p.other.id)[0].can_edit is False
    with pytest.raises(NotFound):
        requesters.edit_note(session, p.agent, 999999, "x")


# --- possible duplicates ------------------------------------------------------------------------


def test_duplicates_are_open_similar_tickets_best_first(session, p):
    vpn = make_ticket(session, p.other, title="VPN disconnects every hour", description="vpn")
    make_ticket(session, p.other, title="Printer jam", description="paper stuck")
    done = make_ticket(session, p.other, title="VPN disconnects again", description="vpn")
    session.commit()
    tickets.update_fields(session, p.agent, done.id, 1, status="resolved")
    session.commit()
    found = tickets.similar_open_tickets(
        session, p.agent, "VPN disconnect", "", requester_id=p.other.id
    )
    assert [d.number for d in found] == [vpn.number]
    assert found[0].same_requester and found[0].requester_name == "Otto Other"
    assert tickets.similar_open_tickets(session, p.agent, "ab", "") == []


def test_duplicates_respect_visibility(session, p):
    make_ticket(session, p.other, title="Laptop battery swelling")
    mine = make_ticket(session, p.requester, title="Laptop battery drains fast")
    session.commit()
    staff = {d.number for d in tickets.similar_open_tickets(session, p.agent, "laptop battery")}
    assert len(staff) == 2
    seen = tickets.similar_open_tickets(session, p.requester, "laptop battery")
    assert [d.number for d in seen] == [mine.number]


def test_duplicates_holding_every_word_come_first(session, p):
    some = make_ticket(session, p.other, title="Monitor flickers", description="screen")
    make_ticket(session, p.other, title="Keyboard sticky", description="keys")
    every = make_ticket(session, p.other, title="Dock monitor flickers", description="dock")
    session.commit()
    found = tickets.similar_open_tickets(session, p.agent, "dock monitor flickers")
    assert [d.number for d in found] == [every.number, some.number]
