"""The session state shared by every page, and the one role guard.

The browser holds a random session token in a cookie; everything else (who the user is, their
role) is looked up server-side on every event, so a deactivation or role change takes effect on
the user's very next action.

With Redis, Reflex's copy of the tab's state (cookie values included) is lost when Redis is
flushed or restarted, while the page stays open. The next event then finds no session token:
instead of sending the user to the sign-in page, the server asks the browser for its session
cookie and the other values it keeps for Reflex (a form's draft in sessionStorage) with
`_recover`, puts them back and re-checks the session (`resume_session`), re-runs the page's
on_load handlers to rebuild the lost page state, and replays the refused event. An invalid or
missing cookie ends at the sign-in page as before.
"""

from __future__ import annotations

import functools
import json
from typing import Any, ClassVar

import reflex as rx
from reflex.compiler.utils import compile_client_storage
from reflex.state import _apply_client_storage_vars
from reflex_base.event import Event

from ticketapp import i18n, live, running_app
from ticketapp.db import run_in_session
from ticketapp.models import STAFF_ROLES, Role
from ticketapp.services import auth, security_log, session_cache, two_factor
from ticketapp.services.actor import Actor
from ticketapp.services.board import counts as board_counts
from ticketapp.services.kb import cache as kb_cache

SESSION_COOKIE = "ticketapp_session"
LOCALE_COOKIE = "ticketapp_locale"
HOME_BY_ROLE = {Role.REQUESTER: "/portal", Role.AGENT: "/board", Role.MANAGER: "/analytics"}
NOT_ALLOWED = i18n.N_("You are not allowed to do that.")
SIGN_IN_AGAIN = i18n.N_("Please sign in again.")
ENROL_FIRST = i18n.N_("Turn on two-factor sign-in first: your team requires it.")
ENROL_PATH = "/settings/security"


@functools.cache
def _browser_storage() -> dict[str, dict[str, dict[str, Any]]]:
    """Reflex's browser-stored vars: kind -> state key -> options (with the storage name)."""
    return compile_client_storage(rx.State)


@functools.cache
def _read_browser_storage_js() -> str:
    """A page script returning every value the browser keeps for Reflex's state (cookies,
    localStorage, sessionStorage), keyed like Reflex's own hydrate event."""
    storage = _browser_storage()

    def names(kind: str) -> str:
        return json.dumps({key: opts["name"] for key, opts in storage[kind].items()})

    return (
        "(() => { const out = {}; const jar = {};"
        " for (const c of document.cookie.split('; ')) { const i = c.indexOf('=');"
        " if (i > 0) jar[c.slice(0, i)] = decodeURIComponent(c.slice(i + 1)); }"
        f" for (const [k, n] of Object.entries({names('cookies')}))"
        " if (n in jar) out[k] = jar[n];"
        f" for (const [k, n] of Object.entries({names('local_storage')}))"
        " { const v = localStorage.getItem(n); if (v !== null) out[k] = v; }"
        f" for (const [k, n] of Object.entries({names('session_storage')}))"
        " { const v = sessionStorage.getItem(n); if (v !== null) out[k] = v; }"
        " return out; })()"
    )


def _lookup_actor(session, token: str) -> tuple[Actor | None, bool]:
    """The actor, and whether they must turn two-factor on before anything else."""
    user = auth.resolve_session(session, token)
    if user is None:
        return None, False
    return Actor.of(user), two_factor.must_enrol(session, user)


def _peek_actor(session, token: str) -> tuple[Actor | None, bool, bool]:
    user, needs_write = auth.peek_session(session, token)
    if user is None:
        return None, needs_write, False
    return Actor.of(user), needs_write, two_factor.must_enrol(session, user)


async def _resolve(token: str) -> tuple[Actor | None, bool]:
    """The token's actor (None: signed out) and whether they must enrol in two-factor, from
    the database; remembered (session_cache) when signed in."""
    generation = session_cache.generation()  # before the read: a change during it wins
    # Read-only first: a write transaction on every event queued every handler behind
    # SQLite's one writer (make load profile). The write (idle clock, expiry) is rarer.
    actor, needs_write, must_enrol = await run_in_session(_peek_actor, token, readonly=True)
    if needs_write:
        # Idempotent: a re-run touches the same session row again (safe across a restart).
        actor, must_enrol = await run_in_session(_lookup_actor, token, idempotent=True)
    if actor is not None:
        session_cache.put(token, (actor, must_enrol), generation)
    return actor, must_enrol


def request_ip(state: rx.State) -> str:
    """The client's address: X-Forwarded-For only from a trusted proxy (services/security_log)."""
    headers = state.router.headers.raw_headers
    peer = headers.get("asgi-scope-client", "") or state.router.session.client_ip
    return security_log.client_ip(peer, headers.get("x-forwarded-for", ""))


class SessionState(rx.State):
    """Who is signed in. Public vars hold only what the user may know about themselves."""

    session_token: str = rx.Cookie(
        "", name=SESSION_COOKIE, same_site="strict", max_age=14 * 24 * 3600
    )
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    session_checked: bool = False
    # Staff of a team that requires two-factor, not yet enrolled: only /settings/security works.
    must_enrol: bool = False
    # The interface language of this browser: the user's setting once signed in, before that
    # the switcher's choice; "" lets the browser's languages decide (components/i18n.py).
    locale: str = rx.Cookie("", name=LOCALE_COOKIE, same_site="lax", max_age=365 * 24 * 3600)
    # The event refused while the session is recovered from the cookie (backend only).
    _replay: dict | None = None
    # What the public vars show (`_show`), to leave them alone when nothing changed.
    _shown_as: tuple[Actor | None, bool] | None = None

    # Roles allowed to call this state's handlers (and its substates'); None: anyone.
    allowed_roles: ClassVar[frozenset[str] | None] = None
    # True on the page where staff who must enrol in two-factor do so (the only one they may use).
    enrolment_page: ClassVar[bool] = False

    @rx.var
    def user_initials(self) -> str:
        parts = self.user_name.split()
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    @rx.var
    def is_staff(self) -> bool:
        return self.user_role in (Role.AGENT, Role.MANAGER)

    @rx.var
    def is_manager(self) -> bool:
        return self.user_role == Role.MANAGER

    @rx.var
    def home_path(self) -> str:
        return HOME_BY_ROLE.get(self.user_role, "/login")

    async def current_actor(self) -> Actor | None:
        """The signed-in user; also refreshes the public vars. Remembered between events by
        services/session_cache (forgotten at once on sign-out, deactivation, role or
        two-factor changes), else read from the database."""
        session_state = await self.get_state(SessionState)
        token = session_state.session_token
        known = session_cache.get(token) if token else None
        if known is None:
            known = await _resolve(token)
        actor, must_enrol = known
        if (actor, must_enrol) != session_state._shown_as:
            session_state._show(actor, must_enrol)
        return actor

    def _show(self, actor: Actor | None, must_enrol: bool = False) -> None:
        self._shown_as = (actor, must_enrol)
        self.must_enrol = must_enrol and actor is not None
        self.user_name = actor.name if actor else ""
        self.user_email = actor.email if actor else ""
        self.user_role = actor.role if actor else ""
        self.session_checked = True
        if actor and actor.locale and actor.locale != self.locale:
            self.locale = actor.locale  # chosen on another device: this one follows
            i18n.use(actor.locale)

    @rx.event
    def choose_locale(self, locale: str):
        """The language switcher before sign-in (signed-in users choose at /settings)."""
        self.locale = i18n.supported(locale if isinstance(locale, str) else "")
        i18n.use(self.locale or self.browser_locale())

    def browser_locale(self) -> str:
        return i18n.negotiate(self.router.headers.accept_language)

    def _login_redirect(self):
        path = self.router.url.path or "/"
        target = "/login" if path in ("/", "/login") else f"/login?next={path}"
        return rx.redirect(target)

    def _recover(self, event: Event | None):
        """The server holds no session token for this tab (a fresh state, e.g. after Redis was
        flushed): ask the browser for what it stores, then retry `event` (`resume_session`)."""
        self._replay = {"name": event.name, "payload": event.payload} if event else None
        return rx.call_script(_read_browser_storage_js(), callback=SessionState.resume_session)

    @rx.event
    async def resume_session(self, stored: dict[str, Any]):
        """The browser's answer to `_recover`. Taking its stored values is what Reflex does on
        every hydrate (and what any tab can ask for anyway); the session token is then checked
        like any other. Only a state that lost its token takes them."""
        replay, self._replay = self._replay, None
        if not self.session_token and isinstance(stored, dict):
            known = {key for kind in _browser_storage().values() for key in kind}
            values = {k: v for k, v in stored.items() if k in known and isinstance(v, str)}
            await _apply_client_storage_vars(self, values)
        if await self.current_actor() is None:
            if replay is None:  # a page load by someone signed out: no alarm
                return self._login_redirect()
            return [rx.toast.error(i18n._(SIGN_IN_AGAIN)), self._login_redirect()]
        # The page's own state was lost with the session: its on_load handlers rebuild it.
        events = Event.from_event_type(running_app.get().get_load_events(self.router.url.path))
        if replay:
            events.append(Event(name=replay["name"], payload=replay["payload"]))
        return events

    @rx.event
    async def check_session(self):
        """on_load of every signed-in page: send strangers to the sign-in page, and staff who
        must turn two-factor on to /settings/security."""
        if await self.current_actor() is not None:
            if self.must_enrol and self.router.url.path.rstrip("/") != ENROL_PATH:
                return rx.redirect(ENROL_PATH)
            return None
        if not self.session_token:
            return self._recover(None)
        return self._login_redirect()

    @rx.event
    async def go_home(self):
        """on_load of `/`: each role lands on its home."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect("/login")
        return rx.redirect(HOME_BY_ROLE[actor.role])

    @rx.event
    async def sign_out(self):
        token = self.session_token
        await run_in_session(auth.end_session, token)
        self.session_token = ""
        self._show(None)
        return [rx.remove_cookie(SESSION_COOKIE, {"path": "/"}), rx.redirect("/login")]


class UseLocale(rx.Middleware):
    """Before every event: what the server says while handling it (toasts, validation
    messages) is in the tab's language (ticketapp.i18n)."""

    async def preprocess(self, app, state, event: Event):
        session_state = await state.get_state(SessionState)
        i18n.use(session_state.locale or session_state.browser_locale())
        return None


class RecordClientIp(rx.Middleware):
    """Before every event: the client's address, for the security log (services/security_log)."""

    async def preprocess(self, app, state, event: Event):
        security_log.set_request_ip(request_ip(state))
        return None


class RoleGuard(rx.Middleware):
    """Refuses any event whose state (or an ancestor) sets `allowed_roles` the actor lacks.

    Handlers still pass the actor to services/, which check permissions again.
    """

    async def preprocess(self, app, state, event: Event):
        roles = _allowed_roles(event)
        if roles is None:
            return None
        session_state = await state.get_state(SessionState)
        actor = await session_state.current_actor()
        must_enrol = session_state.must_enrol and not getattr(event.state_cls, "enrolment_page", 0)
        if actor is not None and actor.role in roles and not must_enrol:
            return None
        if actor is not None and must_enrol:
            refusal = [rx.toast.error(i18n._(ENROL_FIRST)), rx.redirect(ENROL_PATH)]
        elif actor is None and not session_state.session_token:
            refusal = [session_state._recover(event)]
        elif actor is None:
            refusal = [rx.toast.error(i18n._(SIGN_IN_AGAIN)), session_state._login_redirect()]
        else:
            refusal = [rx.toast.error(i18n._(NOT_ALLOWED))]
        delta = await state._get_resolved_delta()
        return rx.state.StateUpdate(delta=delta, events=Event.from_event_type(refusal))


def _allowed_roles(event: Event) -> frozenset[str] | None:
    try:
        state_cls = event.state_cls
    except KeyError:
        return None
    return getattr(state_cls, "allowed_roles", None)


STAFF = frozenset(STAFF_ROLES)
MANAGERS = frozenset({Role.MANAGER})
SIGNED_IN = frozenset(Role)


# A sign-out, deactivation, role or two-factor change committed here forgets the remembered
# sessions of the other workers too (services/session_cache), and theirs reach this one. The
# other memos (KB answers, board counts) follow the changes the live relay already carries.
session_cache.memo.on_bump(functools.partial(live.announce, "auth"))


async def _forget_on_remote_change(change: live.Change) -> None:
    """A change committed by another worker (relayed): forget what it may have outdated."""
    if change.kind == "auth":
        session_cache.memo.bump(announce=False)
    elif change.kind == "kb":
        kb_cache.memo.bump(announce=False)
    elif change.kind == "ticket":
        board_counts.memo.bump(announce=False)
        board_counts.cards_memo.bump(announce=False)


live.subscribe_remote(_forget_on_remote_change)
