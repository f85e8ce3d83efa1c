"""Tags (services/tags.py) and custom fields (services/custom_fields.py) on SQLite and
PostgreSQL: validation per field type, who sees what, definition changes keep values, tag
rename/merge, filters and search."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.unit.factories import make_ticket, people
from ticketapp.models import CustomFieldValue, Tag, TicketEvent
from ticketapp.services import custom_fields as cf
from ticketapp.services import tags, tickets
from ticketapp.services.errors import NotFound, PermissionDenied, ValidationError
from ticketapp.services.tickets import FormInvalid


@pytest.fixture
def p(session):
    result = people(session)
    session.commit()
    return result


def _field(session, p, kind="text", **kw):
    values = {"ticket_type": "incident", "label": f"F {kind}", "kind": kind} | kw
    f = cf.save_field(session, p.manager, **values)
    session.commit()
    return f


INCIDENT = {"affected_service": "VPN", "started_at": "2026-12-07T09:00"}


def _ids(session, actor, **filters):
    rows, _total = tickets.list_tickets(session, actor, **filters)
    return {r.id for r in rows}


# --------------------------------------------------------------------------- tags


def test_tags_are_normalised_added_once_and_written_to_history(session, p):
    ref = make_ticket(session, p.requester)
    assert tags.add_tags(session, p.agent, ref.id, "VPN  outage, vpn-outage, Printer") == [
        "vpn-outage",
        "printer",
    ]
    assert tags.add_tags(session, p.agent, ref.id, ["printer"]) == []
    session.commit()
    assert tags.ticket_tags(session, p.agent, ref.id) == ["printer", "vpn-outage"]
    kinds = session.exec(
        select(TicketEvent.kind, TicketEvent.new_value).where(TicketEvent.ticket_id == ref.id)
    ).all()
    assert ("tag_added", "vpn-outage") in kinds and ("tag_added", "printer") in kinds
    assert tags.remove_tag(session, p.agent, ref.id, "Printer") is True
    assert tags.remove_tag(session, p.agent, ref.id, "printer") is False
    session.commit()
    assert tags.ticket_tags(session, p.agent, ref.id) == ["vpn-outage"]
    removed = session.exec(
        select(TicketEvent.old_value).where(TicketEvent.kind == "tag_removed")
    ).all()
    assert removed == ["printer"]


def test_bad_tags_are_refused_with_a_message(session, p):
    ref = make_ticket(session, p.requester)
    for bad in ("", "   ", "x" * 51, "<script>"):
        with pytest.raises(ValidationError) as exc:
            tags.add_tags(session, p.agent, ref.id, [bad])
        assert exc.value.field == "tag"


def test_tags_are_staff_only(session, p):
    ref = make_ticket(session, p.requester)
    tags.add_tags(session, p.agent, ref.id, "secret-label")
    session.commit()
    assert tags.ticket_tags(session, p.requester, ref.id) == []
    with pytest.raises(PermissionDenied):
        tags.add_tags(session, p.requester, ref.id, "mine")
    with pytest.raises(PermissionDenied):
        tags.suggest(session, p.requester, "sec")
    with pytest.raises(PermissionDenied):  # the list's Tags column
        tags.tags_of_listed(session, p.requester, [ref.id])
    assert tags.tags_of_listed(session, p.agent, [ref.id]) == {ref.id: ["secret-label"]}
    # The requester's own search never matches a tag; staff search does.
    assert _ids(session, p.requester, text="secret-label") == set()
    assert _ids(session, p.agent, text="secret-label") == {ref.id}
    # A requester's filter by tag is ignored, not an oracle.
    other = make_ticket(session, p.requester, title="Another one")
    session.commit()
    assert _ids(session, p.requester, tag="secret-label") == {ref.id, other.id}


def test_suggest_autocompletes_by_prefix_most_used_first(session, p):
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.requester)
    tags.add_tags(session, p.agent, a.id, "vpn, vpn-outage, printer")
    tags.add_tags(session, p.agent, b.id, "vpn-outage")
    session.commit()
    assert tags.suggest(session, p.agent, "VP") == ["vpn-outage", "vpn"]
    assert tags.suggest(session, p.agent, "%") == []
    assert tags.suggest(session, p.agent, "") == ["vpn-outage", "printer", "vpn"]


def test_filter_and_search_by_tag(session, p):
    a = make_ticket(session, p.requester, title="Laptop broken")
    b = make_ticket(session, p.requester, title="Mouse broken")
    tags.add_tags(session, p.agent, a.id, "hardware")
    session.commit()
    assert _ids(session, p.agent, tag="Hardware") == {a.id}
    assert _ids(session, p.agent, text="hardware") == {a.id}
    tags.remove_tag(session, p.agent, a.id, "hardware")
    session.commit()
    assert _ids(session, p.agent, text="hardware") == set()
    assert b.id not in _ids(session, p.agent, tag="hardware")


def test_bulk_add_tags_reports_each_ticket(session, p):
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.requester)
    outcomes = tags.bulk_add_tags(session, p.agent, [a.id, b.id, 999_999], "billing")
    session.commit()
    assert [o.ok for o in outcomes] == [True, True, False]
    assert _ids(session, p.agent, tag="billing") == {a.id, b.id}


def test_rename_and_merge_keep_every_ticket_tagged(session, p):
    a = make_ticket(session, p.requester)
    b = make_ticket(session, p.requester)
    tags.add_tags(session, p.agent, a.id, "vpn, network")
    tags.add_tags(session, p.agent, b.id, "VPNs")
    session.commit()
    by_name = {t.name: t for t in tags.all_tags(session, p.manager)}
    with pytest.raises(PermissionDenied):
        tags.rename_tag(session, p.agent, by_name["vpns"].id, "remote-access")
    tags.rename_tag(session, p.manager, by_name["vpn"].id, "Remote access")
    session.commit()
    assert tags.ticket_tags(session, p.agent, a.id) == ["network", "remote-access"]
    assert _ids(session, p.agent, text="remote") == {a.id}
    assert _ids(session, p.agent, text="vpn") == {b.id}  # only the other tag has the word now
    # Renaming onto an existing name merges the two.
    tags.rename_tag(session, p.manager, by_name["vpns"].id, "remote-access")
    session.commit()
    assert _ids(session, p.agent, tag="remote-access") == {a.id, b.id}
    counts = {t.name: t.tickets for t in tags.all_tags(session, p.manager)}
    assert counts == {"network": 1, "remote-access": 2}
    net = next(t for t in tags.all_tags(session, p.manager) if t.name == "network")
    ra = next(t for t in tags.all_tags(session, p.manager) if t.name == "remote-access")
    assert tags.merge_tags(session, p.manager, [net.id], ra.id) == 1
    session.commit()
    assert [t.name for t in tags.all_tags(session, p.manager)] == ["remote-access"]
    assert tags.ticket_tags(session, p.agent, a.id) == ["remote-access"]
    with pytest.raises(ValidationError):
        tags.merge_tags(session, p.manager, [ra.id], ra.id)
    tags.delete_tag(session, p.manager, ra.id)
    session.commit()
    assert session.exec(select(Tag)).all() == []
    with pytest.raises(NotFound):
        tags.rename_tag(session, p.manager, ra.id, "x")


# --------------------------------------------------------------------------- custom fields


@pytest.mark.parametrize(
    ("kind", "options", "raw", "stored"),
    [
        ("text", "", "  VPN gateway ", "VPN gateway"),
        ("long_text", "", "line one\nline two", "line one\nline two"),
        ("number", "", "3,50", "3.5"),
        ("number", "", "42", "42"),
        ("date", "", "2026-12-07", "2026-12-07"),
        ("select", "Low\nHigh", "High", "High"),
        ("multi_select", "Mail\nVPN\nWiki", ["Wiki", "Mail"], '["Mail", "Wiki"]'),
        ("checkbox", "", True, "true"),
        ("checkbox", "", "", ""),
    ],
)
def test_each_field_type_cleans_its_value(session, p, kind, options, raw, stored):
    field = _field(session, p, kind, options=options)
    assert cf.clean_value(field, raw) == stored


@pytest.mark.parametrize(
    ("kind", "options", "raw"),
    [
        ("number", "", "twelve"),
        ("number", "", "1e99"),
        ("date", "", "07/12/2026"),
        ("select", "Low\nHigh", "Medium"),
        ("multi_select", "Mail\nVPN", ["Mail", "Fax"]),
        ("text", "", "x" * 501),
    ],
)
def test_each_field_type_refuses_bad_values_on_its_key(session, p, kind, options, raw):
    field = _field(session, p, kind, options=options)
    with pytest.raises(ValidationError) as exc:
        cf.clean_value(field, raw)
    assert exc.value.field == field.key


def test_definitions_are_validated_and_manager_only(session, p):
    with pytest.raises(FormInvalid) as exc:
        cf.save_field(session, p.manager, ticket_type="nope", label="", kind="select", options="")
    assert set(exc.value.errors) == {"ticket_type", "label", "options"}
    with pytest.raises(PermissionDenied):
        cf.save_field(session, p.agent, ticket_type="incident", label="X", kind="text")


def test_filing_checks_required_and_visibility(session, p):
    public = _field(session, p, "text", label="Affected site", required=True)
    secret = _field(session, p, "number", label="Cost", public=False, required=True)
    assert [f.id for f in cf.list_fields(session, p.requester, "incident")] == [public.id]
    assert {f.id for f in cf.list_fields(session, p.agent, "incident")} == {public.id, secret.id}
    with pytest.raises(FormInvalid) as exc:
        make_ticket(
            session, p.requester, type="incident", details=INCIDENT, title="", custom_fields={}
        )
    assert public.key in exc.value.errors and "title" in exc.value.errors
    assert secret.key not in exc.value.errors  # a requester is never asked for a staff field
    make_ticket(
        session,
        p.requester,
        type="incident",
        details=INCIDENT,
        custom_fields={public.key: "Riga office", secret.key: "999"},
    )
    session.commit()
    stored = {v.field_id: v.value for v in session.exec(select(CustomFieldValue)).all()}
    assert stored == {public.id: "Riga office"}  # the staff-only value sent anyway is ignored
    # Other types do not ask for incident fields.
    make_ticket(session, p.requester, type="question", custom_fields={})


def test_requesters_read_only_public_values(session, p):
    public = _field(session, p, "text", label="Site")
    secret = _field(session, p, "text", label="Internal code", public=False)
    ref = make_ticket(
        session, p.requester, type="incident", details=INCIDENT, custom_fields={public.key: "HQ"}
    )
    cf.set_values(session, p.agent, ref.id, {secret.key: "X-1"})
    session.commit()
    seen = {v.field.label: v.value for v in cf.ticket_values(session, p.requester, ref.id)}
    assert seen == {"Site": "HQ"}
    staff = {v.field.label: v.value for v in cf.ticket_values(session, p.agent, ref.id)}
    assert staff == {"Site": "HQ", "Internal code": "X-1"}
    assert cf.values_by_ticket(session, p.requester, [ref.id]) == {ref.id: {public.id: "HQ"}}
    with pytest.raises(PermissionDenied):
        cf.set_values(session, p.requester, ref.id, {public.key: "mine"})
    with pytest.raises(NotFound):
        cf.ticket_values(session, p.other, ref.id)


def test_staff_edits_write_history_and_refuse_bad_values_per_field(session, p):
    n = _field(session, p, "number", label="Users affected", required=True)
    s = _field(session, p, "select", label="Severity", options="Low\nHigh")
    ref = make_ticket(
        session, p.agent, type="incident", details=INCIDENT, custom_fields={n.key: "5"}
    )
    with pytest.raises(FormInvalid) as exc:
        cf.set_values(session, p.agent, ref.id, {n.key: "", s.key: "Medium"})
    assert set(exc.value.errors) == {n.key, s.key}
    assert cf.set_values(session, p.agent, ref.id, {n.key: "7", s.key: "High"}) == 2
    session.commit()
    events = session.exec(
        select(TicketEvent.field, TicketEvent.old_value, TicketEvent.new_value).where(
            TicketEvent.kind == "custom_field"
        )
    ).all()
    assert set(events) == {("Users affected", "5", "7"), ("Severity", "", "High")}
    with pytest.raises(ValidationError):
        cf.set_values(session, p.agent, ref.id, {"cf_99999": "x"})


def test_definition_changes_never_lose_values(session, p):
    f = _field(session, p, "select", label="Site", options="Riga\nOslo")
    ref = make_ticket(
        session, p.requester, type="incident", details=INCIDENT, custom_fields={f.key: "Oslo"}
    )
    session.commit()
    # Rename, add an option, make it required, drop the chosen option, change its type.
    cf.save_field(
        session,
        p.manager,
        f.id,
        ticket_type="incident",
        label="Office",
        kind="select",
        options="Riga\nTallinn",
        required=True,
    )
    session.commit()
    [value] = cf.ticket_values(session, p.agent, ref.id)
    assert (value.field.label, value.value, value.field.required) == ("Office", "Oslo", True)
    cf.save_field(
        session,
        p.manager,
        f.id,
        ticket_type="incident",
        label="Office",
        kind="number",
    )
    session.commit()
    assert [v.value for v in cf.ticket_values(session, p.agent, ref.id)] == ["Oslo"]
    cf.save_field(
        session,
        p.manager,
        f.id,
        ticket_type="incident",
        label="Office",
        kind="multi_select",
        options="Oslo\nRiga",
    )
    session.commit()
    [value] = cf.ticket_values(session, p.agent, ref.id)
    assert value.values == ["Oslo"] and value.display == "Oslo"
    # Archived: off the forms, still on the ticket (staff) and still filterable.
    cf.set_field_active(session, p.manager, f.id, False)
    session.commit()
    assert cf.list_fields(session, p.agent, "incident") == []
    assert [v.value for v in cf.ticket_values(session, p.agent, ref.id)] == ["Oslo"]
    assert _ids(session, p.agent, custom={f.id: "Oslo"}) == {ref.id}


def test_filter_by_custom_field_value(session, p):
    text = _field(session, p, "text", label="Site")
    multi = _field(session, p, "multi_select", label="Systems", options="Mail\nVPN")
    box = _field(session, p, "checkbox", label="Outage")
    a = make_ticket(
        session,
        p.agent,
        type="incident",
        details=INCIDENT,
        custom_fields={text.key: "Riga HQ", multi.key: ["VPN", "Mail"], box.key: True},
    )
    b = make_ticket(
        session, p.agent, type="incident", details=INCIDENT, custom_fields={multi.key: ["Mail"]}
    )
    session.commit()
    assert _ids(session, p.agent, custom={text.id: "riga"}) == {a.id}
    assert _ids(session, p.agent, custom={multi.id: "Mail"}) == {a.id, b.id}
    assert _ids(session, p.agent, custom={multi.id: "VPN"}) == {a.id}
    assert _ids(session, p.agent, custom={box.id: "true"}) == {a.id}
    with pytest.raises(ValidationError):
        _ids(session, p.agent, custom={"999999": "x"})


def test_csv_export_has_tags_and_custom_fields(session, p):
    from ticketapp.services import ticket_export

    site = _field(session, p, "select", label="Site", options="HQ\nLab")
    flag = _field(session, p, "checkbox", label="Outage")
    ref = make_ticket(
        session,
        p.requester,
        type="incident",
        details=INCIDENT,
        title="=cmd|calc",
        custom_fields={site.key: "Lab", flag.key: True},
    )
    tags.add_tags(session, p.agent, ref.id, "vpn, urgent-fix")
    session.commit()
    text = ticket_export.tickets_csv(session, p.agent, tag="vpn")
    lines = text.strip().splitlines()
    assert lines[0].endswith("tags,Site (Incident),Outage (Incident)")
    assert lines[1].startswith(f"{ref.number},'=cmd|calc,")
    assert lines[1].endswith('"urgent-fix, vpn",Lab,Yes')
    assert len(lines) == 2
    with pytest.raises(PermissionDenied):
        ticket_export.tickets_csv(session, p.requester)


def test_analytics_filters_by_tag(session, p):
    from datetime import date

    from ticketapp.services import analytics

    a = make_ticket(session, p.requester, title="Tagged one")
    make_ticket(session, p.requester, title="Untagged")
    tags.add_tags(session, p.agent, a.id, "vpn")
    session.commit()
    today = date.today()
    every = analytics.parse_filters({"period": "7"}, today)
    tagged = analytics.parse_filters({"period": "7", "tag": "VPN"}, today)
    assert tagged.tag == "vpn" and tagged.params()["tag"] == "vpn" and tagged.key() != every.key()

    def backlog(f) -> int:
        d = analytics.dashboard(session, p.manager, f)
        return sum(r["value"] for r in d.by_status)

    assert (backlog(every), backlog(tagged)) == (2, 1)
    with pytest.raises(ValidationError) as exc:
        analytics.parse_filters({"tag": "<b>"}, today)
    assert exc.value.field == "tag"
