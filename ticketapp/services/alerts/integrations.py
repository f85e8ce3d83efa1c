"""Monitoring integrations: managers create, configure (severity map, team, category, label
rules) and revoke them. Each has its own token
(`tki_` + 256 random bits, shown once; only its HMAC is stored, with the first characters to
recognise it) and its own user, which files and annotates its incidents and never signs in."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from ticketapp.config import settings
from ticketapp.i18n import N_
from ticketapp.models import (
    AlertIntegration,
    Category,
    NotificationPreference,
    Priority,
    Role,
    Team,
    User,
    utcnow,
)
from ticketapp.services import notifications
from ticketapp.services.actor import Actor, require_manager
from ticketapp.services.alerts import label_rules
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.ids import coerce_id, optional_id

PREFIX = "tki_"
SHOWN_CHARS = 8
MAX_NAME = 80
SEVERITIES = ("critical", "warning", "info")
DEFAULT_MAP = {"critical": Priority.URGENT, "warning": Priority.HIGH, "info": Priority.NORMAL}
NOT_FOUND = N_("That integration does not exist.")
BOT_PASSWORD = "!"  # no password hash matches it: the integration's user cannot sign in


@dataclass(frozen=True)
class IntegrationView:
    id: int
    name: str
    prefix: str
    severity_map: dict[str, str]
    team_id: int | None
    category_id: int | None
    label_rules: list[dict[str, Any]]  # label_rules.py: [{label, value, team_id, category_id}]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class ResolvedIntegration:
    id: int
    bot: Actor


def _hash(secret: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, b"integration:" + secret.encode(), hashlib.sha256).hexdigest()


def _view(row: AlertIntegration) -> IntegrationView:
    assert row.id is not None
    return IntegrationView(
        row.id,
        row.name,
        row.prefix,
        {**DEFAULT_MAP, **row.severity_map},
        row.team_id,
        row.category_id,
        list(row.label_rules or []),
        row.created_at,
        row.last_used_at,
        row.revoked_at,
    )


def _clean_name(name: object) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise ValidationError("Give the integration a name.", "name")
    if len(text) > MAX_NAME:
        raise ValidationError("Keep the name under {n} characters.", "name", n=MAX_NAME)
    return text


def _clean_map(mapping: object) -> dict[str, str]:
    given = mapping if isinstance(mapping, dict) else {}
    clean: dict[str, str] = {}
    for severity in SEVERITIES:
        value = str(given.get(severity) or DEFAULT_MAP[severity])
        if value not in set(Priority):
            raise ValidationError("Choose a priority.", "severity_" + severity)
        clean[severity] = value
    return clean


def _clean_ref(session: Session, model: type, value: object, field: str) -> int | None:
    message = N_("Choose a team.") if model is Team else N_("Choose a category.")
    ref = optional_id(value, field, message)
    if ref is not None and session.get(model, ref) is None:
        raise ValidationError(message, field)
    return ref


def _bot_user(session: Session, name: str) -> User:
    user = User(
        email=f"{PREFIX}{secrets.token_hex(8)}@integrations.invalid",
        name=name[:120],
        password_hash=BOT_PASSWORD,
        role=Role.REQUESTER,
    )
    session.add(user)
    session.flush()
    for kind in notifications.KINDS:  # nobody reads its mail: notify it of nothing
        session.add(NotificationPreference(user_id=user.id, kind=kind, in_app=False, email=False))
    return user


def create_integration(
    session: Session,
    actor: Actor,
    name: object,
    severity_map: object = None,
    team_id: object = None,
    category_id: object = None,
    rules: object = "",
) -> tuple[IntegrationView, str]:
    """A new integration (the view, and its token: shown once, never stored). `rules`: the
    label rules as written (label_rules.py)."""
    require_manager(actor)
    text = _clean_name(name)
    mapping = _clean_map(severity_map)
    team = _clean_ref(session, Team, team_id, "team_id")
    category = _clean_ref(session, Category, category_id, "category_id")
    routing = label_rules.parse(session, rules)
    secret = PREFIX + secrets.token_urlsafe(32)
    bot = _bot_user(session, text)
    row = AlertIntegration(
        name=text,
        token_hash=_hash(secret),
        prefix=secret[:SHOWN_CHARS],
        severity_map=mapping,
        team_id=team,
        category_id=category,
        label_rules=routing,
        bot_user_id=bot.id,  # type: ignore[arg-type]
        created_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    return _view(row), secret


def _row(session: Session, actor: Actor, integration_id: object) -> AlertIntegration:
    require_manager(actor)
    try:
        row = session.get(AlertIntegration, coerce_id(integration_id, "integration"))
    except NotFound:
        row = None
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def update_integration(
    session: Session,
    actor: Actor,
    integration_id: object,
    name: object,
    severity_map: object = None,
    team_id: object = None,
    category_id: object = None,
    rules: object = "",
) -> IntegrationView:
    row = _row(session, actor, integration_id)
    row.name = _clean_name(name)
    row.severity_map = _clean_map(severity_map)
    row.team_id = _clean_ref(session, Team, team_id, "team_id")
    row.category_id = _clean_ref(session, Category, category_id, "category_id")
    row.label_rules = label_rules.parse(session, rules)
    session.add(row)
    session.flush()
    return _view(row)


def revoke_integration(session: Session, actor: Actor, integration_id: object) -> IntegrationView:
    row = _row(session, actor, integration_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        bot = session.get(User, row.bot_user_id)
        if bot is not None:
            bot.is_active = False
            session.add(bot)
        session.add(row)
        session.flush()
    return _view(row)


def list_integrations(session: Session, actor: Actor) -> list[IntegrationView]:
    require_manager(actor)
    rows = session.exec(
        select(AlertIntegration).order_by(
            col(AlertIntegration.revoked_at).is_not(None), col(AlertIntegration.name)
        )
    ).all()
    return [_view(r) for r in rows]


def resolve(session: Session, secret: object) -> ResolvedIntegration | None:
    """The live integration behind `secret`, or None. Notes when it was last used."""
    if not isinstance(secret, str) or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    row = session.exec(
        select(AlertIntegration).where(AlertIntegration.token_hash == _hash(secret))
    ).first()
    if row is None or row.revoked_at is not None:
        return None
    bot = session.get(User, row.bot_user_id)
    if bot is None or not bot.is_active:
        return None
    row.last_used_at = utcnow()
    session.add(row)
    assert row.id is not None
    return ResolvedIntegration(row.id, Actor.of(bot))


def choices(session: Session, actor: Actor) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The teams and the categories an integration may file into (id, name), by name."""
    require_manager(actor)
    teams = session.exec(select(Team.id, Team.name).order_by(col(Team.name))).all()
    cats = session.exec(select(Category.id, Category.name).order_by(col(Category.name))).all()
    return [(int(i), n) for i, n in teams if i], [(int(i), n) for i, n in cats if i]
