"""The authorization matrix over every public Reflex event handler of the app.

Reflex lets any browser call any public handler of any state with any arguments. This takes the
handlers from the app's own state tree (not a hand-kept list), and checks them against
tests/unit/authz_matrix.py, which must list each one:
- a handler missing from the matrix (or an entry for one that is gone) fails the test;
- every handler is called, through the app's RoleGuard, as nobody, requester A, requester B,
  an agent and a manager, each with a real session cookie in the connection's headers: exactly
  the roles the matrix names get through;
- every handler a requester may call is run as requester B, on requester A's ticket page,
  with the arguments a forged client would send (A's ticket id and number, A's e-mail, in every
  argument): nothing of A's ticket ever appears in B's state.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import reflex as rx
from reflex_base import constants
from reflex_base.event import Event

import ticketapp.ticketapp as app_module
from tests.unit.authz_matrix import EXPECTED_ACCESS, PUBLIC
from tests.unit.factories import make_ticket, people
from ticketapp import db
from ticketapp.models import Role
from ticketapp.services import auth, tickets
from ticketapp.session_cookie import SESSION_COOKIE
from ticketapp.state import RoleGuard, SessionState

APP = app_module.app
SECRET_TITLE = "Payroll export for Zanzibar office"
SECRET_REPLY = "The vault combination is 4-8-15-16"


def _states(cls: type[rx.State]) -> Iterator[type[rx.State]]:
    yield cls
    for sub in cls.get_substates():
        yield from _states(sub)


def _handlers() -> dict[str, tuple[type[rx.State], str]]:
    return {
        f"{cls.__module__}.{cls.__name__}.{name}": (cls, name)
        for cls in _states(rx.State)
        for name in cls.event_handlers
    }


def test_every_handler_of_the_app_has_an_entry_in_the_matrix():
    found = set(_handlers())
    missing = sorted(found - set(EXPECTED_ACCESS))
    stale = sorted(set(EXPECTED_ACCESS) - found)
    assert not missing, "handlers without an entry in tests/unit/authz_matrix.py:\n" + "\n".join(
        missing
    )
    assert not stale, "entries for handlers that no longer exist:\n" + "\n".join(stale)


def _route_of() -> dict[str, str]:
    """State full name -> the page route whose on_load runs one of its handlers."""
    routes: dict[str, str] = {}
    for route, events in APP._load_events.items():
        for event in events:
            handler = getattr(event, "handler", event)
            name = getattr(handler, "state_full_name", "")
            routes.setdefault(name, "/" + route if route != "index" else "/")
    return routes


@dataclass
class World:
    tokens: dict[str, str]  # actor label -> session token ("" for nobody)
    ticket_id: int
    number: int
    email_a: str


@pytest.fixture
def world(engine, monkeypatch) -> World:
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    with db.session_scope(engine) as s:
        p = people(s)
        ref = make_ticket(s, p.requester, title=SECRET_TITLE, description="Only Rita may see.")
        tickets.add_comment(s, p.requester, ref.id, SECRET_REPLY)
        users = {"requester A": p.requester, "requester B": p.other, "agent": p.agent}
        users["manager"] = p.manager
        tokens = {"nobody": ""}
        for label, actor in users.items():
            tokens[label] = auth.start_session(s, s.get(auth.User, actor.id))
        email_a = p.requester.email
    return World(tokens, ref.id, ref.number, email_a)


ROLE_OF = {
    "nobody": None,
    "requester A": Role.REQUESTER,
    "requester B": Role.REQUESTER,
    "agent": Role.AGENT,
    "manager": Role.MANAGER,
}


def _root(token: str, route: str, world: World) -> rx.State:
    path = route.replace("[number]", str(world.number)).replace("[slug]", str(world.number))
    root = rx.State(_reflex_internal_init=True)
    data = {
        constants.RouteVar.HEADERS: {
            "cookie": f"{SESSION_COOKIE}={token}" if token else "",
            "origin": "http://app.test",
        },
        constants.RouteVar.PATH: route,
        constants.RouteVar.ORIGIN: path,
        constants.RouteVar.QUERY: {"number": str(world.number), "slug": str(world.number)},
        constants.RouteVar.CLIENT_TOKEN: "matrix-tab",
        constants.RouteVar.SESSION_ID: "matrix-sid",
    }
    root.router_data = root._update_router_vars(data, {})
    return root


async def _guard_refuses(root: rx.State, cls: type[rx.State], name: str) -> bool:
    session_state = await root.get_state(SessionState)
    session_state._hydrated = True  # a page that loaded normally (not a state Redis lost)
    event = Event(name=f"{cls.get_full_name()}.{name}", payload={})
    return await RoleGuard().preprocess(APP, root, event) is not None


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_role_guard_lets_through_exactly_the_roles_of_the_matrix(world):
    routes = _route_of()
    wrong: list[str] = []

    async def check() -> None:
        for key, (cls, name) in sorted(_handlers().items()):
            allowed = EXPECTED_ACCESS[key]
            route = routes.get(cls.get_full_name(), "/portal")
            for label, token in world.tokens.items():
                refused = await _guard_refuses(_root(token, route, world), cls, name)
                role = ROLE_OF[label]
                should_pass = allowed is PUBLIC or (role is not None and role in allowed)
                if refused == should_pass:
                    wrong.append(f"{key} as {label}: {'refused' if refused else 'let through'}")

    asyncio.run(check())
    assert not wrong, "the guard disagrees with the matrix:\n" + "\n".join(wrong)


def _hostile_value(param: inspect.Parameter, world: World, variant: int):
    """What a forged client sends: requester A's ids, in whatever shape the handler takes."""
    ident = (world.ticket_id, world.number)[variant]
    name = param.name.lower()
    annotation = str(param.annotation)
    if "dict" in annotation or name in ("form", "data", "stored", "values", "form_data"):
        return {
            "number": ident,
            "ticket_id": ident,
            "id": ident,
            "email": world.email_a,
            "title": "forged",
            "body": "forged",
            "code": "000000",
            "password": "forged password 1",
        }
    if "list" in annotation:
        return [ident]
    if "bool" in annotation:
        return True
    if "int" in annotation or "float" in annotation:
        return ident
    if "email" in name or "query" in name or "text" in name:
        return world.email_a
    return str(ident)


async def _run(state: rx.State, cls: type[rx.State], name: str, payload: dict) -> None:
    out = cls.event_handlers[name].fn(state, **payload)
    if inspect.isasyncgen(out):
        async for _ in out:
            pass
    elif inspect.iscoroutine(out):
        await out
    elif inspect.isgenerator(out):
        for _ in out:
            pass


async def _call_as(root: rx.State, cls: type[rx.State], name: str, payload: dict) -> str:
    """'refused' (by the guard), 'raised' (the handler gave up), or 'ran'."""
    if await _guard_refuses(root, cls, name):
        return "refused"
    state = await root.get_state(cls)
    try:
        await asyncio.wait_for(_run(state, cls, name, payload), timeout=20)
    except Exception:  # a forged argument the handler could not use: no answer, no data
        return "raised"
    return "ran"


def _seen_by_browser(root: rx.State) -> str:
    """Everything the browser of this tab can hold: every public var of every state."""
    return json.dumps(root.dict(), default=str)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_requester_b_gets_nothing_of_requester_a_from_any_handler(world):
    routes = _route_of()
    leaks: list[str] = []
    ran = 0

    async def check() -> None:
        nonlocal ran
        for key, (cls, name) in sorted(_handlers().items()):
            allowed = EXPECTED_ACCESS[key]
            if allowed is not PUBLIC and Role.REQUESTER not in allowed:
                continue
            params = list(inspect.signature(cls.event_handlers[name].fn).parameters.values())[1:]
            for variant in (0, 1):
                route = routes.get(cls.get_full_name(), "/tickets/[number]")
                root = _root(world.tokens["requester B"], route, world)
                # B opens A's ticket page first (refused: "not found"), as a forged client would.
                await _page_load(root, route)
                payload = {p.name: _hostile_value(p, world, variant) for p in params}
                if await _call_as(root, cls, name, payload) == "ran":
                    ran += 1
                seen = _seen_by_browser(root)
                sent = json.dumps(payload)  # what B typed may be shown back to B
                for secret in (SECRET_TITLE, SECRET_REPLY, world.email_a):
                    if secret in seen and secret not in sent:
                        leaks.append(f"{key}{payload}: B's state holds {secret!r}")

    asyncio.run(check())
    assert not leaks, "requester B saw requester A's data:\n" + "\n".join(leaks)
    assert ran > 50  # the handlers really ran (most take B's forged arguments and refuse them)


async def _page_load(root: rx.State, route: str) -> None:
    for event in APP._load_events.get(route.lstrip("/") or "index", []):
        handler = getattr(event, "handler", event)
        cls = root.get_class_substate(handler.state_full_name)
        await _call_as(root, cls, handler.fn.__name__, {})


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_requester_a_does_see_their_own_ticket(world):
    """The check above can see a leak: A, on the same page, gets the title."""

    async def check() -> str:
        root = _root(world.tokens["requester A"], "/tickets/[number]", world)
        await _page_load(root, "/tickets/[number]")
        return _seen_by_browser(root)

    assert SECRET_TITLE in asyncio.run(check())
