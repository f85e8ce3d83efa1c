"""The dashboard's rows as the browser gets them (filled by services.analytics.as_dict)."""

from __future__ import annotations

from typing import TypedDict


class Kpi(TypedDict):
    key: str
    label: str
    value: str
    detail: str


class NameValue(TypedDict):
    name: str
    value: int


class Daily(TypedDict):
    day: str
    label: str
    created: int
    resolved: int
    ratings: int
    avg_rating: float | None


class Workload(TypedDict):
    name: str
    open: int
    resolved: int


class Option(TypedDict):
    value: str
    label: str
