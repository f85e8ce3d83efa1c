import pytest

from ticketapp.models import TicketStatus as S
from ticketapp.services import lifecycle
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ValidationError

AGENT = Actor(id=1, role="agent", name="A", email="a@example.com")
MANAGER = Actor(id=2, role="manager", name="M", email="m@example.com")
REQUESTER = Actor(id=3, role="requester", name="R", email="r@example.com")

ALLOWED = [
    (S.NEW, S.OPEN),
    (S.NEW, S.IN_PROGRESS),
    (S.NEW, S.WAITING),
    (S.NEW, S.RESOLVED),
    (S.NEW, S.CLOSED),
    (S.OPEN, S.IN_PROGRESS),
    (S.OPEN, S.WAITING),
    (S.OPEN, S.RESOLVED),
    (S.OPEN, S.CLOSED),
    (S.IN_PROGRESS, S.OPEN),
    (S.IN_PROGRESS, S.WAITING),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.CLOSED),
    (S.WAITING, S.OPEN),
    (S.WAITING, S.IN_PROGRESS),
    (S.WAITING, S.RESOLVED),
    (S.WAITING, S.CLOSED),
    (S.RESOLVED, S.OPEN),
    (S.RESOLVED, S.IN_PROGRESS),
    (S.RESOLVED, S.CLOSED),
    (S.CLOSED, S.OPEN),
]


@pytest.mark.parametrize("actor", [AGENT, MANAGER], ids=["agent", "manager"])
@pytest.mark.parametrize(("src", "dst"), [(a, b) for a in S for b in S if a != b])
def test_staff_transition_table(actor, src, dst):
    assert lifecycle.can_transition(src, dst, actor) == ((src, dst) in ALLOWED)


def test_refusal_names_allowed_targets_by_label():
    with pytest.raises(ValidationError) as err:
        lifecycle.check_transition(S.CLOSED, S.RESOLVED, AGENT)
    assert err.value.message == "Can't move from Closed to Resolved. Allowed: Open."
    assert err.value.field == "status"


def test_refusal_lists_several_labels():
    with pytest.raises(ValidationError) as err:
        lifecycle.check_transition(S.RESOLVED, S.WAITING, AGENT)
    assert err.value.message == (
        "Can't move from Resolved to Waiting on requester. Allowed: Open, In progress, Closed."
    )


def test_system_cannot_reopen_closed_but_can_close_resolved():
    assert lifecycle.can_transition(S.RESOLVED, S.CLOSED, None)
    assert not lifecycle.can_transition(S.CLOSED, S.OPEN, None)
    with pytest.raises(ValidationError, match="cannot move from here"):
        lifecycle.check_transition(S.CLOSED, S.OPEN, None)


def test_requester_only_reopens_by_replying():
    assert lifecycle.allowed_targets(S.WAITING, REQUESTER) == [S.OPEN]
    assert lifecycle.allowed_targets(S.RESOLVED, REQUESTER) == [S.OPEN]
    assert lifecycle.allowed_targets(S.CLOSED, REQUESTER) == []
    assert not lifecycle.can_transition(S.NEW, S.RESOLVED, REQUESTER)


@pytest.mark.parametrize("garbage", ["", "deleted", None, 3, "OPEN"])
def test_unknown_status_is_a_validation_error(garbage):
    with pytest.raises(ValidationError):
        lifecycle.check_transition(S.NEW, garbage, AGENT)
    assert not lifecycle.can_transition(S.NEW, garbage, AGENT)
