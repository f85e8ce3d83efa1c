"""Personal access tokens for the REST API: any signed-in user creates, lists and revokes their
own. A token acts as its user: `resolve` loads the user row on every call, so deactivation and
role changes apply at once; a revoked or expired token, or one of a deactivated user, resolves
to nothing.

The secret is `tka_` + 256 random bits (url-safe base64), shown once; only its HMAC (the server
key, like sessions) is stored, with its first characters for recognising it in a list.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from ticketapp.config import settings
from ticketapp.i18n import N_
from ticketapp.models import ApiToken, User, utcnow
from ticketapp.services import security_log, two_factor
from ticketapp.services.actor import Actor, require_role
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.ids import coerce_id

PREFIX = "tka_"
SCOPES = ("read", "write")
DEFAULT_DAYS = 90
MAX_DAYS = 366
MAX_NAME = 80
MAX_TOKENS = 50  # live tokens per user
SHOWN_CHARS = 8  # characters of the secret kept to recognise it ("tka_AbCd")
TOUCH_EVERY = timedelta(minutes=1)
TOKEN_NOT_FOUND = N_("That token does not exist.")


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    scope: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > utcnow()


@dataclass(frozen=True)
class ResolvedToken:
    actor: Actor
    token_id: int
    scope: str
    touch_due: bool  # last_used_at is older than TOUCH_EVERY: call `touch`
    # Staff of a team that requires two-factor, not yet enrolled: refused like in the app.
    must_enrol: bool = False

    @property
    def can_write(self) -> bool:
        return self.scope == "write"


def _hash(secret: str) -> str:
    return hmac.new(settings.secret_key.encode(), secret.encode(), hashlib.sha256).hexdigest()


def _view(row: ApiToken) -> TokenView:
    assert row.id is not None
    return TokenView(
        row.id,
        row.name,
        row.scope,
        row.prefix,
        row.created_at,
        row.expires_at,
        row.last_used_at,
        row.revoked_at,
    )


def _clean(name: object, scope: object, days: object) -> tuple[str, str, int]:
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError("Give the token a name.", "name")
    if len(text) > MAX_NAME:
        raise ValidationError("Keep the name under {n} characters.", "name", n=MAX_NAME)
    if scope not in SCOPES:
        raise ValidationError("Choose a scope: read or write.", "scope")
    try:
        count = int(str(days))
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_DAYS:
        raise ValidationError("Choose between 1 and {n} days.", "days", n=MAX_DAYS)
    return text, str(scope), count


def create_token(
    session: Session,
    actor: Actor,
    name: object,
    scope: object = "read",
    days: object = DEFAULT_DAYS,
) -> tuple[TokenView, str]:
    """A new token of `actor`'s (the view, and the secret: shown once, never stored)."""
    require_role(actor, "requester", "agent", "manager")
    text, scope_name, count = _clean(name, scope, days)
    now = utcnow()
    live = session.exec(
        select(ApiToken.id).where(
            ApiToken.user_id == actor.id,
            col(ApiToken.revoked_at).is_(None),
            ApiToken.expires_at > now,
        )
    ).all()
    if len(live) >= MAX_TOKENS:
        raise ValidationError("Revoke an old token first: at most {n} at a time.", n=MAX_TOKENS)
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=actor.id,
        name=text,
        scope=scope_name,
        token_hash=_hash(secret),
        prefix=secret[:SHOWN_CHARS],
        created_at=now,
        expires_at=now + timedelta(days=count),
    )
    session.add(row)
    session.flush()
    security_log.record(session, "api_token_created", actor, target=text, detail=scope_name)
    return _view(row), secret


def list_tokens(session: Session, actor: Actor) -> list[TokenView]:
    """`actor`'s own tokens, newest first (revoked and expired ones too, marked so)."""
    require_role(actor, "requester", "agent", "manager")
    rows = session.exec(
        select(ApiToken)
        .where(ApiToken.user_id == actor.id)
        .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())
    ).all()
    return [_view(r) for r in rows]


def revoke_token(session: Session, actor: Actor, token_id: object) -> TokenView:
    """Revoke one of `actor`'s own tokens (anyone else's reads as not found)."""
    require_role(actor, "requester", "agent", "manager")
    try:
        row = session.get(ApiToken, coerce_id(token_id, "token"))
    except NotFound:
        row = None
    if row is None or row.user_id != actor.id:
        raise NotFound(TOKEN_NOT_FOUND)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
        security_log.record(session, "api_token_revoked", actor, target=row.name)
    return _view(row)


def resolve(session: Session, secret: object) -> ResolvedToken | None:
    """The token behind `secret` and its user as an Actor, or None (unknown, revoked, expired,
    or its user deactivated). Reads only; call `touch` when `touch_due`."""
    if not isinstance(secret, str) or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    found = session.exec(
        select(ApiToken, User)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(ApiToken.token_hash == _hash(secret))
    ).first()
    if found is None:
        return None
    row, user = found
    now = utcnow()
    if row.revoked_at is not None or row.expires_at <= now or not user.is_active:
        return None
    assert row.id is not None
    due = row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY
    enrol = two_factor.must_enrol(session, user)
    return ResolvedToken(Actor.of(user), row.id, row.scope, due, must_enrol=enrol)


def touch(session: Session, token_id: int) -> None:
    """Record that the token was just used (at most once a minute: see `resolve`)."""
    row = session.get(ApiToken, token_id)
    if row is not None:
        row.last_used_at = utcnow()
        session.add(row)
