"""Benchmarks: collected only from bench_*.py, and only by `make bench` (TICKETAPP_BENCH=1)."""

from __future__ import annotations

import os

import pytest


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TICKETAPP_BENCH") == "1":
        return
    skip = pytest.mark.skip(reason="benchmarks run with `make bench`")
    for item in items:
        if "tests/bench/" in str(item.fspath):
            item.add_marker(skip)
