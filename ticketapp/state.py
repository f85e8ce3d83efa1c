"""The session state shared by every page, and the one role guard.

The browser holds a random session token in an HttpOnly cookie that only the backend's HTTP
answers set and clear (ticketapp/session_cookie.py); handlers read it from the websocket's
handshake headers, which Reflex keeps on the server. Everything else (who the user is, their
role) is looked up server-side on every event, so a deactivation or role change takes effect on
the user's very next action.

With Redis, Reflex's copy of the tab's state is lost when Redis is flushed or restarted, while
the page stays open. The session survives (the cookie comes with every event's connection), but
the page's state and the values Reflex keeps in the browser (a form's draft in sessionStorage)
do not: the first guarded event on such a fresh state is held, the page is asked for its stored
values (`_recover`, through components/browser_bridge.jsx), which `resume_session` puts back
before re-running the page's on_load handlers and replaying the held event.
"""

from __future__ import annotations

import functools
import secrets
from typing import Any, ClassVar

import reflex as rx
from reflex.compiler.utils import compile_client_storage
from reflex.state import _apply_client_storage_vars
from reflex_base.event import Event

from ticketapp import i18n, live, running_app, toasts
from ticketapp.db import run_in_session
from ticketapp.models import STAFF_ROLES, Role
from ticketapp.services import auth, security_log, session_cache, session_handoff, two_factor
from ticketapp.services.actor import Actor
from ticketapp.services.board import counts as board_counts
from ticketapp.services.kb import cache as kb_cache
from ticketapp.session_cookie import SESSION_COOKIE, cookie_from

LOCALE_COOKIE = "ticketapp_locale"
HOME_BY_ROLE = {Role.REQUESTER: "/portal", Role.AGENT: "/board", Role.MANAGER: "/analytics"}
NOT_ALLOWED = i18n.N_("You are not allowed to do that.")
SIGN_IN_AGAIN = i18n.N_("Please sign in again.")
ENROL_FIRST = i18n.N_("Turn on two-factor sign-in first: your team requires it.")
ENROL_PATH = "/settings/security"
HYDRATE_EVENT = ".hydrate_and_load"  # Reflex's first event on every (re)connect


@functools.cache
def _browser_storage() -> dict[str, dict[str, dict[str, Any]]]:
    """Reflex's browser-stored vars: kind -> state key -> options (with the storage name)."""
    return compile_client_storage(rx.State)


def browser_storage_names() -> dict[str, dict[str, str]]:
    """Kind -> state key -> storage name: what components/browser_bridge.jsx reads back."""
    return {
        kind: {key: opts["name"] for key, opts in keys.items()}
        for kind, keys in _browser_storage().items()
    }


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

    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    session_checked: bool = False
    # Staff of a team that requires two-factor, not yet enrolled: only /settings/security works.
    must_enrol: bool = False
    # The interface language of this browser: the user's setting once signed in, before that
    # the switcher's choice; "" lets the browser's languages decide (components/i18n.py).
    locale: str = rx.Cookie("", name=LOCALE_COOKIE, same_site="lax", max_age=365 * 24 * 3600)
    # A one-time sign-in code the page posts to /auth/session, and where to go then (see
    # `_hand_off`); the code is not a credential (services/session_handoff.py).
    handoff_code: str = ""
    handoff_next: str = ""
    # The last toast a handler sent {id, level, message}: shown once by the page's ToastBridge
    # (ticketapp/toasts.py; no script string for the page to evaluate).
    toast: dict[str, str] = {}
    # {id, nonce}: the page clears that upload box's picked files (see `clear_files`).
    files_to_clear: dict[str, str] = {}
    # Changed to ask the page for its stored values (components/browser_bridge.jsx).
    recall_request: str = ""
    # Backend only: whether this state saw its page's hydrate (a state Redis lost did not),
    # and the event held while such a fresh state is rebuilt.
    _hydrated: bool = False
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

    def _session_token(self) -> str:
        """The session cookie of this tab's connection (never sent to or read by the page)."""
        return cookie_from(self.router.headers.cookie, SESSION_COOKIE)

    async def current_actor(self) -> Actor | None:
        """The signed-in user; also refreshes the public vars. Remembered between events by
        services/session_cache (forgotten at once on sign-out, deactivation, role or
        two-factor changes), else read from the database."""
        session_state = await self.get_state(SessionState)
        token = session_state._session_token()
        known = session_cache.get(token) if token else None
        if known is None:
            known = await _resolve(token)
        actor, must_enrol = known
        if (actor, must_enrol) != session_state._shown_as:
            session_state._show(actor, must_enrol)
        return actor

    async def _hand_off(self, token: str, target: str, device_token: str = "") -> None:
        """Signed in: the page posts a one-time code for `token` to /auth/session, whose
        answer sets the HttpOnly cookie and sends the browser on to `target`."""
        self.handoff_next = target
        self.handoff_code = await run_in_session(session_handoff.hand_off, token, device_token)

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
    def show_toast(self, level: str, message: str):
        """Every plain `rx.toast.*` a handler returns comes back here (ticketapp/toasts.py)."""
        if level in toasts.LEVELS and isinstance(message, str):
            self.toast = {"id": secrets.token_hex(6), "level": level, "message": message[:1000]}

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

    def _recover(self, event: Event | None) -> None:
        """This tab's state is fresh (Redis lost it) though the session is valid: hold `event`,
        and ask the page for its stored values (`resume_session` takes the answer)."""
        self._replay = {"name": event.name, "payload": event.payload} if event else None
        self.recall_request = secrets.token_hex(8)

    @rx.event
    async def resume_session(self, stored: dict[str, Any]):
        """The page's answer to `_recover`: its stored values (what Reflex takes on every
        hydrate anyway), then the page's on_load handlers rebuild what was lost, and the held
        event runs. The session itself comes from the cookie, never from these values."""
        replay, self._replay = self._replay, None
        if not self._hydrated and isinstance(stored, dict):
            known = {key for kind in _browser_storage().values() for key in kind}
            values = {k: v for k, v in stored.items() if k in known and isinstance(v, str)}
            await _apply_client_storage_vars(self, values)
        self._hydrated = True
        if await self.current_actor() is None:
            return [rx.toast.error(i18n._(SIGN_IN_AGAIN)), self._login_redirect()]
        events = Event.from_event_type(running_app.get().get_load_events(self.router.url.path))
        if replay:
            events.append(Event(name=replay["name"], payload=replay["payload"]))
        return events

    @rx.event
    async def check_session(self):
        """on_load of every signed-in page: send strangers to the sign-in page, and staff who
        must turn two-factor on to /settings/security."""
        if await self.current_actor() is None:
            return self._login_redirect()
        if self.must_enrol and self.router.url.path.rstrip("/") != ENROL_PATH:
            return rx.redirect(ENROL_PATH)
        if self.router.url.query_parameters.get("welcome") == "1":  # just signed up (login.py)
            return rx.toast.success(i18n._("Welcome to ticketapp! Your account is ready."))
        return None

    @rx.event
    async def go_home(self):
        """on_load of `/`: each role lands on its home."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect("/login")
        return rx.redirect(HOME_BY_ROLE[actor.role])


async def clear_files(state: rx.State, upload_id: str) -> None:
    """What `rx.clear_selected_files(upload_id)` does, without a script string for the page to
    evaluate (the CSP refuses it): FileClearer (components/browser_bridge.jsx) clears the box."""
    session_state = await state.get_state(SessionState)
    session_state.files_to_clear = {"id": upload_id, "nonce": secrets.token_hex(6)}


toasts.route_through(SessionState.show_toast)


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
        if event.name.endswith(HYDRATE_EVENT):
            (await state.get_state(SessionState))._hydrated = True
        roles = _allowed_roles(event)
        if roles is None:
            return None
        session_state = await state.get_state(SessionState)
        # Every page load starts with a hydrate: a state that saw none is one Redis lost.
        fresh = not session_state._hydrated
        actor = await session_state.current_actor()
        must_enrol = session_state.must_enrol and not getattr(event.state_cls, "enrolment_page", 0)
        if actor is not None and actor.role in roles and not must_enrol and not fresh:
            return None
        if actor is not None and fresh:
            session_state._recover(event)
            refusal = []
        elif actor is not None and must_enrol:
            refusal = [rx.toast.error(i18n._(ENROL_FIRST)), rx.redirect(ENROL_PATH)]
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
