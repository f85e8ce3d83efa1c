"""Small builders for service tests. Password hashing (argon2) is slow: hash once per process."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from functools import cache

from PIL import Image
from sqlmodel import Session

from ticketapp.models import Category, Role, Team, User
from ticketapp.services import auth, tickets
from ticketapp.services.actor import Actor

_seq = itertools.count(1)


@cache
def password_hash() -> str:
    return auth.hash_password("correct horse battery staple")


def make_user(session: Session, role: str = Role.REQUESTER, name: str | None = None) -> Actor:
    n = next(_seq)
    user = User(
        email=f"user{n}@example.com",
        name=name or f"{role.capitalize()} {n}",
        password_hash=password_hash(),
        role=role,
    )
    session.add(user)
    session.flush()
    return Actor.of(user)


@dataclass(frozen=True)
class People:
    requester: Actor
    other: Actor  # another requester
    agent: Actor
    manager: Actor


def people(session: Session) -> People:
    return People(
        requester=make_user(session, Role.REQUESTER, "Rita Requester"),
        other=make_user(session, Role.REQUESTER, "Otto Other"),
        agent=make_user(session, Role.AGENT, "Alice Agent"),
        manager=make_user(session, Role.MANAGER, "Max Manager"),
    )


def make_category(session: Session, name: str = "Hardware") -> int:
    cat = Category(name=name)
    session.add(cat)
    session.flush()
    assert cat.id is not None
    return cat.id


def make_team(session: Session, name: str = "Support") -> int:
    team = Team(name=name)
    session.add(team)
    session.flush()
    assert team.id is not None
    return team.id


def make_ticket(session: Session, actor: Actor, **overrides) -> tickets.TicketRef:
    fields = {"title": "Printer is on fire", "description": "Smoke everywhere.", "type": "question"}
    fields.update(overrides)
    return tickets.create_ticket(session, actor, **fields)


def png_bytes(size: tuple[int, int] = (800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()
