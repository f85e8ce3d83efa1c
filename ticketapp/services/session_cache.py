"""Who is behind a session token, remembered by this process between events (issue 21).

Every event used to look its session up in the database (the token's row, the user, the
two-factor rule): some 6% of the server's CPU under `make load`, twice per event (the role
guard, then the handler). Now a token resolved once is remembered (ticketapp/state.py), and
forgotten at once when anything that decides who a token belongs to is committed, whoever
commits it (services/memo): a deleted session (sign-out, "sign out everywhere", expiry), a
changed or deleted user (role, deactivation, name, language), two-factor rows or app settings
(the team's two-factor rule). Other workers hear of it through the live relay (state.py
registers an `on_bump` hook that announces it).

An entry is trusted for `MAX_AGE_SECONDS` at most: the idle clock and the absolute expiry are
checked (and the idle clock touched) at least that often.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ticketapp.models import AppSetting, AuthSession, TwoFactor, User
from ticketapp.services.memo import MISSING, Memo, forget_on_commit

MAX_AGE_SECONDS = 30.0
memo = Memo("sessions", max_entries=50_000, max_age=MAX_AGE_SECONDS)
# Rows whose changes may change who a token belongs to or what they may do (a new user has no
# session yet; a new two-factor row or setting may matter; a new session changes no other).
_CHANGED = (User, TwoFactor, AppSetting)
_ADDED = (TwoFactor, AppSetting)


def _decisive(session: Session) -> bool:
    return (
        any(isinstance(o, _CHANGED) for o in session.dirty)
        or any(isinstance(o, (*_CHANGED, AuthSession)) for o in session.deleted)
        or any(isinstance(o, _ADDED) for o in session.new)
    )


forget_on_commit(memo, _decisive, (*_CHANGED, AuthSession))


def get(token: str):
    """What `put` kept for `token` while still current, else None."""
    value = memo.get(token)
    return None if value is MISSING else value


def put(token: str, value, generation: int) -> None:
    memo.put(token, value, generation)


def generation() -> int:
    return memo.generation
