"""Role x ownership x action: a requester reaches only tickets they filed, whatever ids are sent;
someone else's ticket reads as "not found" (existence is not revealed)."""

import pytest

from tests.unit.factories import make_ticket, people, png_bytes
from ticketapp.services import attachments, tickets
from ticketapp.services.errors import NotFound, PermissionDenied

OK, NF, DENY = "ok", NotFound, PermissionDenied
ROLES = ["own", "other", "agent", "manager"]
MATRIX = {
    #                  own   other  agent  manager
    "view": (OK, NF, OK, OK),
    "comment": (OK, NF, OK, OK),
    "internal_note": (DENY, DENY, OK, OK),
    "update": (DENY, DENY, OK, OK),
    "assign": (DENY, DENY, OK, OK),
    "merge": (DENY, DENY, OK, OK),
    "log_time": (DENY, DENY, OK, OK),
    "rate": (OK, NF, DENY, DENY),
    "download": (OK, NF, OK, OK),
    "download_internal": (NF, NF, OK, OK),
    "upload": (OK, NF, OK, OK),
}


@pytest.fixture
def world(session, tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "attachments_dir", lambda: tmp_path / "files")
    p = people(session)
    ref = make_ticket(session, p.requester, attachments=[("shot.png", png_bytes((40, 40)))])
    spare = make_ticket(session, p.requester, title="Duplicate")
    note = tickets.add_comment(
        session, p.agent, ref.id, "secret", internal=True, attachments=[("n.txt", b"hush")]
    )
    tickets.update_fields(session, p.agent, ref.id, None, status="resolved")
    session.commit()
    view = tickets.get_ticket_view(session, p.agent, ref.number)
    actors = {"own": p.requester, "other": p.other, "agent": p.agent, "manager": p.manager}
    return {
        "actors": actors,
        "ref": ref,
        "spare": spare,
        "public_file": view.attachments[0].id,
        "internal_file": note.attachments[0].id,
        "version": view.version,
    }


def act(session, w, action, actor):
    ref = w["ref"]
    match action:
        case "view":
            tickets.get_ticket_view(session, actor, ref.number)
        case "comment":
            tickets.add_comment(session, actor, str(ref.id), "hello")
        case "internal_note":
            tickets.add_comment(session, actor, ref.id, "psst", internal=True)
        case "update":
            tickets.update_fields(session, actor, ref.id, w["version"], priority="urgent")
        case "assign":
            tickets.assign_to_me(session, actor, ref.id)
        case "merge":
            tickets.merge(session, actor, w["spare"].id, ref.id)
        case "log_time":
            tickets.log_time(session, actor, ref.id, 5)
        case "rate":
            tickets.rate(session, actor, ref.id, 5)
        case "download":
            attachments.open_download(session, actor, str(w["public_file"]))
        case "download_internal":
            attachments.open_download(session, actor, w["internal_file"])
        case "upload":
            attachments.store_upload(session, actor, ref.id, None, "a.txt", b"hi")


@pytest.mark.parametrize("role_index", range(4), ids=ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_matrix(session, world, action, role_index):
    expected = MATRIX[action][role_index]
    actor = world["actors"][ROLES[role_index]]
    if expected == OK:
        act(session, world, action, actor)
        session.commit()
    else:
        with pytest.raises(expected):
            act(session, world, action, actor)
        session.rollback()


def test_other_requesters_ticket_is_indistinguishable_from_missing(session, world):
    other = world["actors"]["other"]
    with pytest.raises(NotFound) as missing:
        tickets.get_ticket_view(session, other, 99999)
    with pytest.raises(NotFound) as hidden:
        tickets.get_ticket_view(session, other, world["ref"].number)
    assert missing.value.message == hidden.value.message


def test_requester_lists_and_rates_nothing_of_others(session, world):
    other = world["actors"]["other"]
    assert tickets.list_tickets(session, other)[1] == 0
    assert tickets.list_my_tickets(session, other)[1] == 0
    with pytest.raises(NotFound):
        tickets.ticket_id_for_number(session, other, world["ref"].number)


@pytest.mark.parametrize("garbage", ["x", "", None, -5, 0, 2**40, "1 OR 1=1", [1], {"a": 1}])
def test_garbage_ids_never_crash(session, world, garbage):
    own = world["actors"]["own"]
    with pytest.raises(NotFound):
        tickets.add_comment(session, own, garbage, "hi")
    with pytest.raises(NotFound):
        attachments.open_download(session, own, garbage)
