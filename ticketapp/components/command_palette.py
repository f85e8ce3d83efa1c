"""The command palette's server side (Ctrl/Cmd-K, drawn by keyboard.jsx): ticket search, and
where a chosen item leads.

The browser offers the ticket whose number was typed, a full search and the pages of the
navigation; it asks `CommandPaletteState.search` for the tickets that match (through
services/tickets, whose search is services/tickets/search.py: a requester finds only their own)
and for the items of registered providers. A choice comes back as an item id, checked here.

Extension point, for macros and the like: a module registers a provider
    command_palette.register("macro", find=find_macros, run=run_macro)
`find(session, actor, query, ticket_number)` returns PaletteItems whose id is "macro:<key>"
(`ticket_number` is the ticket on screen, or None); `run(actor, key, ticket_number)` is awaited
when one is chosen and returns the events to send (a toast, a redirect), or None. Both must
check permissions themselves (the ids come from the browser).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypedDict
from urllib.parse import quote

import reflex as rx
from sqlmodel import Session

from ticketapp.components.shortcuts import keyboard_layer
from ticketapp.db import run_in_session
from ticketapp.i18n import N_, _
from ticketapp.services import tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import SIGNED_IN, SessionState

MAX_QUERY = 200
MAX_TICKETS = 7
_TICKET_PATH = re.compile(r"^/tickets/(\d{1,9})/?$")
# A page of the app (the page itself decides whether the role may see it): no scheme, no host.
_PAGE_PATH = re.compile(r"^/[a-z0-9/_-]{0,100}$")


class PaletteItem(TypedDict):
    id: str  # "<kind>:<key>"
    label: str
    detail: str
    group: str  # msgid of the heading it is listed under


@dataclass(frozen=True)
class Provider:
    find: Callable[[Session, Actor, str, int | None], list[PaletteItem]]
    run: Callable[[Actor, str, int | None], Awaitable[Any]]


_PROVIDERS: dict[str, Provider] = {}
_BUILT_IN = ("ticket", "page", "search")


def register(
    kind: str,
    find: Callable[[Session, Actor, str, int | None], list[PaletteItem]],
    run: Callable[[Actor, str, int | None], Awaitable[Any]],
) -> None:
    """Add a kind of palette item (see the module's docstring)."""
    if kind in _BUILT_IN or ":" in kind:
        raise ValueError(f"palette item kind {kind!r} is taken or malformed")
    _PROVIDERS[kind] = Provider(find=find, run=run)


def _ticket_items(session: Session, actor: Actor, query: str) -> list[PaletteItem]:
    try:
        rows, _total = tickets.list_tickets(session, actor, text=query, page_size=MAX_TICKETS)
    except ServiceError:
        return []
    return [
        PaletteItem(
            id=f"ticket:{r.number}",
            label=f"#{r.number} {r.title}",
            detail=_(r.status_label),
            group=N_("Tickets"),
        )
        for r in rows
    ]


def palette_items(
    session: Session, actor: Actor, query: str, ticket_number: int | None
) -> list[PaletteItem]:
    """What the server adds to the palette for `query`: matching tickets, then providers'."""
    items = _ticket_items(session, actor, query)
    for provider in _PROVIDERS.values():
        items += provider.find(session, actor, query, ticket_number)
    return items


class CommandPaletteState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    results: list[PaletteItem] = []
    results_for: str = ""

    def _ticket_on_screen(self) -> int | None:
        match = _TICKET_PATH.match(self.router.url.path or "")
        return int(match.group(1)) if match else None

    @rx.event
    async def search(self, query: str):
        actor = await self.current_actor()
        if actor is None:
            return
        query = str(query).strip()[:MAX_QUERY]
        found = await run_in_session(
            palette_items, actor, query, self._ticket_on_screen(), readonly=True
        )
        self.results = found
        self.results_for = query

    @rx.event
    async def choose(self, item_id: str):
        actor = await self.current_actor()
        if actor is None:
            return None
        kind, _sep, key = str(item_id)[: MAX_QUERY + 10].partition(":")
        if kind == "ticket" and key.isdigit() and len(key) < 10:
            return rx.redirect(f"/tickets/{int(key)}")
        if kind == "page" and _PAGE_PATH.match(key) and "//" not in key:
            return rx.redirect(key)
        if kind == "search" and actor.is_staff and key.strip():
            return rx.redirect("/tickets?q=" + quote(key.strip()))
        provider = _PROVIDERS.get(kind)
        if provider is not None:
            return await provider.run(actor, key, self._ticket_on_screen())
        return None


def command_palette(scope: str, nav_items: list[tuple[str, str, frozenset[str]]]) -> rx.Component:
    """The palette and shortcut layer of a signed-in page (`scope`: its page shortcuts)."""
    pages = [
        {"path": path, "label": label, "roles": sorted(roles)} for label, path, roles in nav_items
    ]
    return keyboard_layer(
        scope=scope,
        role=SessionState.user_role,
        is_staff=SessionState.is_staff,
        pages=pages,
        results=CommandPaletteState.results,
        results_for=CommandPaletteState.results_for,
        locale=SessionState.locale,
        on_query=CommandPaletteState.search,
        on_choose=CommandPaletteState.choose,
    )
