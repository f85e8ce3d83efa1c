"""Property-based tests of the whole API from its OpenAPI document (schemathesis): a bounded
number of generated requests per operation, as a requester, an agent and a manager, against the real
test database. No response may be a 5xx, break its documented schema, carry an undocumented
status code or content type."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ticketapp.services import alerts, kb, tickets

MAX_EXAMPLES = 10  # per operation and caller: bounded, so `make test` stays quick
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


def _aim(case, real: dict) -> None:
    """Point half the generated path parameters at things that exist (else nearly all 404)."""
    for name, value in real.items():
        if name in (case.path_parameters or {}) and hash(str(case.path_parameters[name])) % 2:
            case.path_parameters[name] = value


@pytest.mark.parametrize("who", ["agent", "requester", "manager", "integration"])
def test_no_server_errors_and_responses_match_the_schema(world, who):
    w = world
    t = tickets.create_ticket(w.session, w.people.requester, title="Mine", description="d")
    tickets.add_comment(w.session, w.people.agent, t.id, "A reply")
    article = kb.create_article(w.session, w.people.agent, title="How to", body="Do it.")
    w.session.commit()
    real = {"number": t.number, "slug": article.slug}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", w.client.app)
    if who == "integration":  # monitoring intake's own token (POST /alerts)
        secret = alerts.create_integration(w.session, w.people.manager, "Prometheus")[1]
        w.session.commit()
    else:
        secret = getattr(w.tokens, who)
    headers = w.auth(secret)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            _aim(case, real)
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
