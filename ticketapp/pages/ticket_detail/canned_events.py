"""The canned-response picker of the reply box (staff): opened by its button or by typing `/`
at the start of an empty reply box, filtered as you type, Enter (or a click) inserts the chosen
response with its placeholders filled for this ticket.

A Reflex state mixin (like reply_events.py): its vars and handlers become TicketDetailState's,
so inserting can set the reply draft directly.
"""

from __future__ import annotations

import re
from typing import TypedDict

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.services import canned, markdown
from ticketapp.services.errors import ServiceError
from ticketapp.state import SessionState

MAX_ROWS = 20
# "/" typed at the start of the reply box, optionally followed by a filter word.
_SLASH = re.compile(r"^/(\S{0,60})$")


class CannedRow(TypedDict):
    id: int
    title: str
    excerpt: str
    scope: str  # "Personal" or the team's name


def _rows(session, actor) -> list[CannedRow]:
    return [
        CannedRow(
            id=v.id,
            title=v.title,
            excerpt=" ".join(v.body.split())[:90],
            scope=v.team_name if v.team_id is not None else _("Personal"),
        )
        for v in canned.list_canned(session, actor)
    ]


def slash_query(draft: str) -> str | None:
    """The filter typed after a leading "/" in the reply box, or None when it is not one."""
    match = _SLASH.match(draft)
    return match.group(1) if match else None


class CannedEvents(SessionState, mixin=True):
    canned_open: bool = False
    canned_query: str = ""
    canned_rows: list[CannedRow] = []
    canned_index: int = 0
    canned_loading: bool = False
    _canned_all: list[CannedRow] = []
    _slash_dismissed: bool = False

    def _filter_canned(self) -> None:
        words = self.canned_query.lower().split()
        rows = [
            r
            for r in self._canned_all
            if all(w in f"{r['title']} {r['excerpt']} {r['scope']}".lower() for w in words)
        ]
        self.canned_rows = rows[:MAX_ROWS]
        self.canned_index = 0

    async def _open_canned(self, query: str) -> None:
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        self.canned_open = True
        self.canned_query = query[:60]
        self._canned_all = await run_in_session(_rows, actor, readonly=True)
        self._filter_canned()

    async def _watch_slash(self, draft: str) -> None:
        """Called as the reply text changes: a leading "/" opens the picker (once)."""
        query = slash_query(draft)
        if query is None:
            self._slash_dismissed = False
        elif not self.canned_open and not self._slash_dismissed:
            await self._open_canned(query)

    @rx.event
    async def set_canned_open(self, value: bool):
        if not value:
            self.canned_open = False
            self._slash_dismissed = slash_query(self._reply_draft) is not None
            return
        self.canned_loading = True
        yield
        await self._open_canned("")
        self.canned_loading = False

    @rx.event
    def set_canned_query(self, value: str):
        self.canned_query = str(value or "")[:60]
        self._filter_canned()

    @rx.event
    async def canned_key(self, key: str):
        """Arrow keys move the highlight; Enter inserts the highlighted response."""
        count = len(self.canned_rows)
        if key == "ArrowDown" and count:
            self.canned_index = (self.canned_index + 1) % count
        elif key == "ArrowUp" and count:
            self.canned_index = (self.canned_index - 1) % count
        elif key == "Enter" and count:
            return type(self).insert_canned(self.canned_rows[self.canned_index]["id"])

    @rx.event
    async def insert_canned(self, canned_id: int):
        """Put the response (filled for this ticket) into the reply box: in place of a leading
        "/filter", else after what is written."""
        try:
            actor, tid = await self._resolve()
            text = await run_in_session(canned.use_canned, actor, canned_id, tid)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        draft = self._reply_draft
        if slash_query(draft) is None and draft.strip():
            text = draft.rstrip() + "\n\n" + text
        self._reply_draft = text
        if self.previewing:
            self.preview_html = markdown.render(text)
        self.canned_open = False
        self._slash_dismissed = False
        return [rx.set_value("reply-body", text), rx.set_focus("reply-body")]
