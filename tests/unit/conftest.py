"""Unit tests: the shared fixtures are in tests/conftest.py."""

from __future__ import annotations

import pytest

ABUSE_LIMITS = (
    "TICKETAPP_LIMIT_TICKETS_PER_MINUTE",
    "TICKETAPP_LIMIT_REPLIES_PER_MINUTE",
    "TICKETAPP_LIMIT_VOTES_PER_MINUTE",
    "TICKETAPP_LIMIT_SIGNUPS_PER_MINUTE",
)


@pytest.fixture(autouse=True)
def _abuse_limits_off(monkeypatch):
    """Service tests file and reply as fast as the code runs, from a few accounts; the limits'
    own tests (test_abuse_limits.py) set theirs."""
    for name in ABUSE_LIMITS:
        monkeypatch.setenv(name, "0")
