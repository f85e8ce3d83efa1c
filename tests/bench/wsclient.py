"""A minimal Reflex websocket client (python-socketio), speaking what the browser speaks.

Learned from reflex_base/.templates/web/utils/state.js and reflex/app.py (EventNamespace):
- socket.io at path `/_event`, namespace `/_event`, websocket transport, and the tab's token
  in the query string (`?token=<uuid>`); the server links that token to the socket;
- the client sends `event` messages `{"name": "<state full name>.<handler>", "payload": {...},
  "router_data": {"pathname": ..., "asPath": ...}}`;
- the server answers with `event` messages `{"delta": {state: {var: value}}, "events": [...]}`:
  one per yield / end of handler, and only when there is something to send.

File uploads (a reply with its attachments) go over HTTP instead: a multipart POST to `/_upload`
with the tab's token and the handler's name in headers, the handler's other arguments as a JSON
form field before the files; the answer streams the same updates as JSON lines.

The no-op round trip: `UpdateVarsInternalState.update_vars_internal` (the event the frontend
sends to push cookie values) setting the locale cookie var to alternating values on a
signed-out tab: no code of ours runs, no database is touched, and the answer is a one-var
delta. It passes the whole server path: socket.io, the event processor, the state lock and
middleware (RoleGuard), the handler, delta resolution, emit.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
import socketio
from reflex.state import State, UpdateVarsInternalState
from reflex_base.utils.format import format_event_handler

from ticketapp.state import SessionState

NOOP_EVENT = format_event_handler(UpdateVarsInternalState.update_vars_internal)
HYDRATE_EVENT = format_event_handler(State.event_handlers["hydrate_and_load"])
SESSION_STATE = SessionState.get_full_name()
LOCALE_COOKIE_VAR = f"{SESSION_STATE}.locale"


def handler_name(state_cls, name: str) -> str:
    return format_event_handler(state_cls.event_handlers[name])


class ReflexClient:
    def __init__(self, base_url: str, path: str = "/login") -> None:
        self.base_url = base_url
        self.token = str(uuid.uuid4())
        self.path = path
        self.sio = socketio.AsyncClient(reconnection=False)
        self.updates: asyncio.Queue[dict] = asyncio.Queue()
        self.state: dict[str, dict[str, Any]] = {}
        self._flip = False
        self.cookie = ""  # the HttpOnly session cookie, once signed in (session_cookie.py)
        self.sio.on("event", self._on_update, namespace="/_event")

    async def _on_update(self, update: dict) -> None:
        for substate, values in (update.get("delta") or {}).items():
            self.state.setdefault(substate, {}).update(values)
        await self.updates.put(update)

    async def connect(self) -> None:
        await self.sio.connect(
            f"{self.base_url}?token={self.token}",
            socketio_path="/_event",
            namespaces=["/_event"],
            transports=["websocket"],
            wait_timeout=30,
            headers={"Cookie": self.cookie} if self.cookie else {},
        )
        # Like the browser: every (re)connect starts with a hydrate (the role guard tells a
        # state Redis lost by its missing hydrate, ticketapp/state.py).
        await self.send(HYDRATE_EVENT)

    async def close(self) -> None:
        await self.sio.disconnect()

    async def send(self, name: str, payload: dict | None = None) -> None:
        await self.sio.emit(
            "event",
            {
                "name": name,
                "payload": payload or {},
                "router_data": {"pathname": self.path, "asPath": self.path},
            },
            namespace="/_event",
        )

    def drain(self) -> None:
        while not self.updates.empty():
            self.updates.get_nowait()

    async def call(self, name: str, payload: dict | None = None, until=None, timeout=30.0):
        """Send one event; return (ms, updates) once `until(update)` holds (default: the first
        update)."""
        self.drain()
        got: list[dict] = []
        t = time.perf_counter()
        await self.send(name, payload)
        deadline = t + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"{name}: no answer; got {got!r:.500}")
            update = await asyncio.wait_for(self.updates.get(), left)
            got.append(update)
            if until is None or until(update):
                return (time.perf_counter() - t) * 1000, got

    async def upload(
        self, name: str, args: dict, files: list[tuple[str, bytes]] = (), timeout: float = 60.0
    ) -> tuple[float, list[dict]]:
        """Call an upload handler as the browser's upload box does; return (ms, updates)."""
        parts = [("__reflex_event_args", (None, json.dumps(args)))]
        parts += [("files", (fname, data)) for fname, data in files]
        headers = {"Reflex-Client-Token": self.token, "Reflex-Event-Handler": name}
        t = time.perf_counter()
        async with httpx.AsyncClient(base_url=self.base_url, timeout=timeout) as http:
            response = await http.post("/_upload", files=parts, headers=headers)
        response.raise_for_status()
        updates = [json.loads(line) for line in response.text.splitlines() if line.strip()]
        for update in updates:
            for substate, values in (update.get("delta") or {}).items():
                self.state.setdefault(substate, {}).update(values)
        return (time.perf_counter() - t) * 1000, updates

    async def noop(self, var: str = LOCALE_COOKIE_VAR) -> float:
        """One no-op event round trip, in ms: flips a var (by default the locale cookie's, between
        two locales)."""
        self._flip = not self._flip
        value = "pl" if self._flip else "lv"
        ms, _ = await self.call(
            NOOP_EVENT,
            {"vars": {var: value}},
            until=lambda u: SESSION_STATE in (u.get("delta") or {}),
        )
        return ms

    async def sign_in(self, email: str, password: str) -> None:
        """Sign this tab in through the login page's handler (the server keeps the session)."""
        from ticketapp.pages.login import LoginState

        await self.noop()  # the first event hydrates the tab's state
        await self.call(
            handler_name(LoginState, "sign_in"),
            {"form": {"email": email, "password": password}},
            until=lambda u: (
                bool(self.state.get(SESSION_STATE, {}).get("handoff_code_rx_state_"))
                or bool(self.state.get(LoginState.get_full_name(), {}).get("error_rx_state_"))
            ),
            timeout=60,
        )
        # What the page does next: post the one-time code; the answer sets the HttpOnly cookie,
        # which the server reads from the (re)connected websocket's handshake.
        code = self.state.get(SESSION_STATE, {}).get("handoff_code_rx_state_", "")
        if code:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=60) as http:
                answer = await http.post("/auth/session", data={"code": code})
                self.cookie = f"ticketapp_session={http.cookies.get('ticketapp_session', '')}"
            await self.close()
            self.sio = socketio.AsyncClient(reconnection=False)
            self.sio.on("event", self._on_update, namespace="/_event")
            await self.connect()
            if answer.status_code != 303 or "ticketapp_session" not in self.cookie:
                raise RuntimeError(f"/auth/session answered {answer.status_code}")
            await self.call(
                handler_name(SessionState, "check_session"),
                until=lambda u: bool(
                    (u.get("delta") or {}).get(SESSION_STATE, {}).get("user_role_rx_state_")
                ),
                timeout=60,
            )
        role = self.state.get(SESSION_STATE, {}).get("user_role_rx_state_")
        if not role:
            raise RuntimeError(f"sign-in failed for {email}: {self.state!r:.800}")
