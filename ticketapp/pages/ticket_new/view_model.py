"""The filing form's view model: TypedDicts for its vars, built from the services' results."""

from __future__ import annotations

from typing import TypedDict

from ticketapp.services import directory, kb


class Option(TypedDict):
    value: str
    label: str


class PendingFile(TypedDict):
    token: str
    name: str
    size: str


class Suggestion(TypedDict):
    id: int
    slug: str
    title: str
    title_html: str
    snippet_html: str
    category: str


class PersonOption(TypedDict):
    id: int
    label: str


def size_label(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def suggestion_item(h: kb.SearchHit) -> Suggestion:
    return Suggestion(
        id=h.id,
        slug=h.slug,
        title=h.title,
        title_html=h.title_html,
        snippet_html=h.snippet_html,
        category=h.category,
    )


def person_option(p: directory.Person) -> PersonOption:
    return PersonOption(id=p.id, label=f"{p.name} <{p.email}>")
