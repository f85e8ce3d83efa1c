"""What every user may change about themselves (their interface language)."""

from __future__ import annotations

from sqlmodel import Session

from ticketapp import i18n
from ticketapp.models import Role, User
from ticketapp.services.actor import Actor, require_role
from ticketapp.services.errors import ValidationError


def set_locale(session: Session, actor: Actor | None, locale: str) -> str:
    """The actor's interface language; "" goes back to the browser's."""
    actor = require_role(actor, *Role)
    chosen = i18n.supported(locale) if isinstance(locale, str) else ""
    if locale and not chosen:
        raise ValidationError("Choose one of the languages offered.", "locale")
    user = session.get(User, actor.id)
    assert user is not None
    user.locale = chosen
    session.add(user)
    return chosen
