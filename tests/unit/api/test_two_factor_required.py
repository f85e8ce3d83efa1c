"""The REST API keeps the team's two-factor rule: when a manager requires it for staff, a staff
token of someone who has not turned it on is refused, like the pages refuse them."""

from __future__ import annotations

import pyotp

from ticketapp.services import two_factor


def _enrol(world, actor) -> None:
    enrolment = two_factor.start_enrolment(world.session, actor)
    two_factor.confirm_enrolment(world.session, actor, pyotp.TOTP(enrolment.secret).now())


def _require(world) -> None:
    _enrol(world, world.people.manager)  # a manager must have it on to require it
    two_factor.set_required_for_staff(world.session, world.people.manager, True)
    world.session.commit()


def test_staff_without_two_factor_are_refused_once_it_is_required(world):
    agent = world.auth(world.tokens.agent)
    assert world.client.get("/api/v1/tickets", headers=agent).status_code == 200

    _require(world)

    refused = world.client.get("/api/v1/tickets", headers=agent)
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == (
        "Turn on two-factor sign-in first: your team requires it."
    )
    # Requesters are not bound by the staff rule.
    requester = world.auth(world.tokens.requester)
    assert world.client.get("/api/v1/tickets", headers=requester).status_code == 200


def test_staff_with_two_factor_on_keep_working(world):
    _enrol(world, world.people.agent)
    _require(world)
    ok = world.client.get("/api/v1/tickets", headers=world.auth(world.tokens.agent))
    assert ok.status_code == 200
