"""Fault tests: long (minutes), collected only by `make fault` (TICKETAPP_FAULT=1)."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TICKETAPP_FAULT") == "1":
        return
    skip = pytest.mark.skip(reason="fault tests run with `make fault`")
    for item in items:
        if "tests/fault/" in str(item.fspath):
            item.add_marker(skip)
