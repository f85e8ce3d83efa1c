"""Fixtures for the REST API tests: the API in-process (starlette TestClient) against the real
test database (both dialects), people of every role and their tokens."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import Session

with warnings.catch_warnings():  # starlette suggests httpx2; httpx is what we ship
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests.unit.factories import People, people
from ticketapp.api import create_app
from ticketapp.api.deps import TokenBuckets
from ticketapp.models import ApiToken, utcnow
from ticketapp.services import api_tokens, attachments


@dataclass(frozen=True)
class Tokens:
    requester: str  # requester A
    other: str  # requester B
    agent: str
    manager: str
    expired: str
    revoked: str
    read_only: str  # requester A, read scope


def make_tokens(session: Session, p: People) -> Tokens:
    def new(actor, scope="write"):
        return api_tokens.create_token(session, actor, "test", scope)

    expired_view, expired = new(p.agent)
    row = session.get(ApiToken, expired_view.id)
    row.expires_at = utcnow() - timedelta(minutes=1)
    session.add(row)
    revoked_view, revoked = new(p.manager)
    api_tokens.revoke_token(session, p.manager, revoked_view.id)
    return Tokens(
        requester=new(p.requester)[1],
        other=new(p.other)[1],
        agent=new(p.agent)[1],
        manager=new(p.manager)[1],
        expired=expired,
        revoked=revoked,
        read_only=new(p.requester, "read")[1],
    )


@dataclass
class ApiWorld:
    client: TestClient
    people: People
    tokens: Tokens
    session: Session

    def auth(self, token: str, **headers: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", **headers}


@pytest.fixture
def world(engine, tmp_path, monkeypatch) -> Iterator[ApiWorld]:
    folder = tmp_path / "files"
    folder.mkdir()
    monkeypatch.setattr(attachments, "attachments_dir", lambda: folder)
    with Session(engine, expire_on_commit=False) as session:
        p = people(session)
        tokens = make_tokens(session, p)
        session.commit()
        app = create_app(engine, TokenBuckets(rate=1000, burst=1000))
        with TestClient(app, raise_server_exceptions=False) as client:
            yield ApiWorld(client, p, tokens, session)
