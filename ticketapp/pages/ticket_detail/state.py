"""The ticket page's state: what the signed-in role may see of one ticket, and the live feed.

Every event derives the ticket from the number in the URL and the signed-in user, through
services/ (which check permission again); the browser never names a ticket id. The state holds
only what the service returned for this actor's role: a requester's state never contains an
internal note, a time entry or an internal history event.

Live: on_load registers the tab under its ticket's id on this worker's `_feed`; when anyone
changes the ticket, the feed moves the tab's `feed_stamp` (ticketapp/live.py) and the page
reloads its view from the database, as its own user.

The handlers for edits, replies and merges/links live in mixins (edit_events.py,
reply_events.py, link_events.py); all vars are declared here, except the canned-response
picker's (canned_events.py).
"""

from __future__ import annotations

import functools
import re
from typing import ClassVar

import reflex as rx

from ticketapp import live
from ticketapp.components import sla_clock
from ticketapp.components.ticket_parts import (
    AttachmentItem,
    CommentItem,
    HistoryItem,
    LinkItem,
    Option,
    TimeItem,
)
from ticketapp.db import run_in_session
from ticketapp.pages.ticket_detail.canned_events import CannedEvents
from ticketapp.pages.ticket_detail.constants import REPLY
from ticketapp.pages.ticket_detail.edit_events import FieldEditEvents
from ticketapp.pages.ticket_detail.link_events import MergeLinkEvents
from ticketapp.pages.ticket_detail.reply_events import ReplyEvents
from ticketapp.pages.ticket_detail.view_model import EMPTY_HEADER, Header, load_ticket
from ticketapp.services import tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import NotFound
from ticketapp.state import SIGNED_IN, SessionState

_PATH_RE = re.compile(r"^/tickets/([^/?#]+)/?$")


class TicketDetailState(FieldEditEvents, ReplyEvents, MergeLinkEvents, CannedEvents, SessionState):
    """The ticket page. Public vars hold only what the signed-in role may see."""

    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    loading: bool = True
    not_found: bool = False
    header: Header = EMPTY_HEADER
    details: list[Option] = []
    ticket_files: list[AttachmentItem] = []
    conversation: list[CommentItem] = []
    history: list[HistoryItem] = []
    time_entries: list[TimeItem] = []
    links: list[LinkItem] = []
    merged_into: list[LinkItem] = []
    merged_from: list[LinkItem] = []
    status_options: list[Option] = []
    priority_options: list[Option] = []
    type_options: list[Option] = []
    category_options: list[Option] = []
    assignee_options: list[Option] = []
    team_options: list[Option] = []

    conflict_message: str = ""
    field_errors: dict[str, str] = {}
    saving: bool = False

    editing_title: bool = False
    title_draft: str = ""

    _reply_draft: str = ""
    reply_mode: str = REPLY
    previewing: bool = False
    preview_html: str = ""
    reply_error: str = ""
    sending: bool = False

    time_error: str = ""

    rating_score: str = ""
    rating_error: str = ""
    rated_now: bool = False

    merge_open: bool = False
    merge_confirm_open: bool = False
    merge_target_label: str = ""
    merge_error: str = ""

    link_error: str = ""

    sla_info: sla_clock.SlaClockInfo = sla_clock.EMPTY_CLOCK  # SLA (staff)
    sla_log: list[sla_clock.SlaLogItem] = []
    _ticket_id: int = 0
    _edit_version: int = 0
    _merge_target_id: int = 0
    feed_stamp: int = 0  # moved by the feed when someone changes this ticket
    _seen_stamp: int = 0

    # -- helpers --

    def _url_number(self) -> str:
        match = _PATH_RE.match(self.router.url.path or "")
        return match.group(1) if match else ""

    def _clear(self) -> None:
        self.header = EMPTY_HEADER
        for name in (
            "details",
            "ticket_files",
            "conversation",
            "history",
            "time_entries",
            "links",
            "merged_into",
            "merged_from",
            "status_options",
            "priority_options",
            "type_options",
            "category_options",
            "assignee_options",
            "team_options",
        ):
            setattr(self, name, [])
        self._ticket_id = 0

    def _apply(self, data: dict) -> None:
        self._ticket_id = data["ticket_id"]
        self.header = data["header"]
        self.details = data["details"]
        self.ticket_files = data["ticket_files"]
        self.conversation = data["conversation"]
        self.history = data["history"]
        self.time_entries = data["time_entries"]
        self.links = data["links"]
        self.merged_into = data["merged_into"]
        self.merged_from = data["merged_from"]
        self.sla_info, self.sla_log = data.get("sla", (sla_clock.EMPTY_CLOCK, []))  # SLA
        options = data.get("options", {})
        self.status_options = options.get("status", [])
        self.priority_options = options.get("priority", [])
        self.type_options = options.get("type", [])
        self.category_options = options.get("category_id", [])
        self.assignee_options = options.get("assignee_id", [])
        self.team_options = options.get("team_id", [])
        self.not_found = False

    def _show_not_found(self) -> None:
        self._clear()
        self.not_found = True
        self.loading = False

    async def _reload(self, actor: Actor | None) -> bool:
        """Rebuild the view from the database; False (and "not found") if it is gone."""
        if actor is None:
            self._show_not_found()
            return False
        try:
            data = await run_in_session(load_ticket, actor, self._url_number(), readonly=True)
        except NotFound:
            self._show_not_found()
            return False
        self._apply(data)
        self.loading = False
        return True

    async def _resolve(self) -> tuple[Actor, int]:
        """The actor and the id of the ticket in the URL, checked again; NotFound otherwise."""
        actor = await self.current_actor()
        if actor is None:
            raise NotFound(tickets.NOT_FOUND)
        tid = await run_in_session(
            tickets.ticket_id_for_number, actor, self._url_number(), readonly=True
        )
        return actor, tid

    def _published(self, actor: Actor, *ticket_ids: int, kind: str = "ticket") -> None:
        origin = self.router.session.client_token
        change = live.Change(kind, tuple(ticket_ids), actor_id=actor.id, origin=origin)
        live.publish(change)

    # -- loading and live updates --

    @rx.event
    async def on_load(self):
        self.loading = True
        self.not_found = False
        self.conflict_message = ""
        self.field_errors = {}
        self.editing_title = False
        self.merge_open = False
        self.merge_confirm_open = False
        self.rated_now = False
        self.rating_score = ""
        self.reply_error = ""
        self.previewing = False
        self.reply_mode = REPLY
        self.canned_open = False
        self._clear()
        yield
        actor = await self.current_actor()
        if actor is not None:
            # Follow the ticket before reading it: a change committed after the read reaches
            # this page.
            try:
                tid = await run_in_session(
                    tickets.ticket_id_for_number, actor, self._url_number(), readonly=True
                )
                _feed.register(self.router.session.client_token, tid)
            except NotFound:
                pass  # _reload shows "not found"
        if not await self._reload(actor):
            return
        assert actor is not None
        self._seen_stamp = self.feed_stamp
        if actor.id is not None and not actor.is_staff:
            await run_in_session(tickets.mark_seen, actor, self._ticket_id)

    def _feed_changed(self, ticket_id: int) -> bool:
        """Called by the feed under this tab's lock; False: this tab left the ticket."""
        return live.bump(self, bool(self._url_number()) and self._ticket_id == ticket_id)

    @rx.event
    async def live_refresh(self, stamp: int):
        """The ticket's feed moved: someone changed it. Reload (drafts are left alone)."""
        if not isinstance(stamp, int) or stamp == self._seen_stamp or self._ticket_id == 0:
            return
        self._seen_stamp = stamp
        actor = await self.current_actor()
        if await self._reload(actor) and actor is not None and not actor.is_staff:
            await run_in_session(tickets.mark_seen, actor, self._ticket_id)


# --- the live feed ----------------------------------------------------------------------------


async def _feed_updates(changes: list[live.Change], followed: set) -> live.Updates:
    return {
        tid: functools.partial(TicketDetailState._feed_changed, ticket_id=tid)
        for tid in live.ticket_ids(changes) & followed
    }


# This worker's ticket pages, each under its ticket's id.
# skip_origin: every handler here reloads its own tab after publishing (no second reload, which
# re-rendered the page under the user's next click).
_feed = live.Feed(
    TicketDetailState,
    ("ticket", "comment", "rating"),
    _feed_updates,
    delay=0.05,
    skip_origin=True,
)
