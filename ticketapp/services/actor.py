"""The acting user, as services see it: resolved server-side from the session, never sent by
a client."""

from __future__ import annotations

from dataclasses import dataclass

from ticketapp.models import STAFF_ROLES, Role, User
from ticketapp.services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    id: int
    role: str
    name: str
    email: str
    locale: str = ""  # the interface language they chose; "" until they do

    @classmethod
    def of(cls, user: User) -> Actor:
        assert user.id is not None
        return cls(id=user.id, role=user.role, name=user.name, email=user.email, locale=user.locale)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


def require_role(actor: Actor | None, *roles: str) -> Actor:
    if actor is None or actor.role not in roles:
        raise PermissionDenied()
    return actor


def require_staff(actor: Actor | None) -> Actor:
    return require_role(actor, Role.AGENT, Role.MANAGER)


def require_manager(actor: Actor | None) -> Actor:
    return require_role(actor, Role.MANAGER)
