"""/tickets/[number]: one ticket, for its requester and for agents and managers.

Every event derives the ticket from the number in the URL and the signed-in user, through
services/ (which check permission again); the browser never names a ticket id. The state holds
only what the service returned for this actor's role: a requester's state never contains an
internal note, a time entry or an internal history event.

Live: on_load registers the tab under its ticket's id on this worker's `_feed`; when anyone
changes the ticket, the feed moves the tab's `feed_stamp` (ticketapp/live.py) and the page
reloads its view from the database, as its own user.
"""

from __future__ import annotations

import functools
import re
from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp import clock, live
from ticketapp.components import sla_clock
from ticketapp.components.dialogs import confirm_dialog, form_dialog
from ticketapp.components.form_fields import table_caption
from ticketapp.components.layout import field_error, labelled_input, page_frame
from ticketapp.components.stamp_watcher import stamp_watcher
from ticketapp.components.ticket_parts import (
    AttachmentItem,
    CommentItem,
    HistoryItem,
    LinkItem,
    Option,
    TimeItem,
    attachment_list,
    comment_entry,
    field_label,
    field_select,
    history_entry,
    labelled_upload,
    markdown_html,
    priority_badge,
    read_only_field,
    status_badge,
)
from ticketapp.db import run_in_session
from ticketapp.downloads import attachment_url
from ticketapp.models import PRIORITY_LABELS, TYPE_LABELS, Priority, TicketType
from ticketapp.services import choices as choices_service
from ticketapp.services import markdown, tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import Conflict, NotFound, ServiceError
from ticketapp.state import SIGNED_IN, SessionState

REPLY_UPLOAD_ID = "reply-files"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_REPLY_FILES = 10
NONE = "none"  # select value for "no assignee / team / category" (Radix forbids "")
REPLY, NOTE = "Reply", "Internal note"
_PATH_RE = re.compile(r"^/tickets/([^/?#]+)/?$")
FIELD_LABELS = {
    "title": "Title",
    "status": "Status",
    "priority": "Priority",
    "type": "Type",
    "category_id": "Category",
    "assignee_id": "Assignee",
    "team_id": "Team",
}
EDITABLE_SELECTS = ("status", "priority", "type", "category_id", "assignee_id", "team_id")


class Header(TypedDict):
    number: int
    title: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    type: str
    type_label: str
    category_id: str
    category_name: str
    requester_name: str
    requester_email: str
    assignee_id: str
    assignee_name: str
    team_id: str
    team_name: str
    created: str
    due: str
    time_logged: str
    version: int
    description_html: str
    can_rate: bool
    rating_score: int
    is_closed: bool


EMPTY_HEADER = Header(
    number=0,
    title="",
    status="",
    status_label="",
    priority="",
    priority_label="",
    type="",
    type_label="",
    category_id=NONE,
    category_name="",
    requester_name="",
    requester_email="",
    assignee_id=NONE,
    assignee_name="",
    team_id=NONE,
    team_name="",
    created="",
    due="",
    time_logged="",
    version=0,
    description_html="",
    can_rate=False,
    rating_score=0,
    is_closed=False,
)


# --- view model: plain data built from the service's read model --------------------------


def _duration(minutes: int) -> str:
    hours, mins = divmod(int(minutes), 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h {mins:02d} min" if mins else f"{hours} h"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _attachment(a: tickets.AttachmentView) -> AttachmentItem:
    url = attachment_url(a.id)
    return AttachmentItem(
        id=a.id,
        filename=a.filename,
        size_label=_size(a.size),
        url=url,
        thumb_url=f"{url}/thumbnail" if a.has_thumbnail else "",
        is_image=a.is_image,
    )


def _comment(c: tickets.CommentView) -> CommentItem:
    return CommentItem(
        id=c.id,
        author_name=c.author_name or "Someone",
        author_role="Support" if c.author_is_staff else "Requester",
        html=markdown.render(c.body),
        internal=c.internal,
        created=clock.local_label(c.created_at),
        attachments=[_attachment(a) for a in c.attachments],
    )


def _summary(e: tickets.EventView) -> tuple[str, str, str]:
    """(what happened, old, new) in words."""
    old, new = e.old_value or "", e.new_value or ""
    label = FIELD_LABELS.get(e.field or "", (e.field or "").replace("_", " ").capitalize())
    if e.kind == "created":
        return "Created the ticket", "", f"#{new}" if new else ""
    if e.kind in ("status_changed", "field_changed", "assigned"):
        return f"Changed {label}", old or "none", new or "none"
    if e.kind == "comment":
        return "Replied", "", ""
    if e.kind == "internal_note":
        return "Added an internal note", "", ""
    if e.kind == "attachment":
        return "Attached a file", "", new
    if e.kind == "time_logged":
        return "Logged time", "", _duration(int(new)) if new.isdigit() else new
    if e.kind == "rated":
        return "Rated the resolution", "", f"{new} / 5"
    if e.kind == "merged":
        if e.field == "merged_from":
            return "Merged a ticket into this one", "", f"#{new}"
        return "Merged this ticket into another", "", f"#{new}"
    if e.kind == "triaged":  # ROUTING: a triage rule set a field
        return f"Set {label}", old or "none", new or "none"
    if e.kind == "escalated":  # SLA: old = the rule's name, new = what it did
        return f"Escalation rule “{old}”", "", new
    if e.kind == "linked":
        if new:
            return "Linked a related ticket", "", f"#{new}"
        return "Removed a related ticket", f"#{old}", ""
    return e.kind.replace("_", " ").capitalize(), old, new


def _history(e: tickets.EventView) -> HistoryItem:
    summary, old, new = _summary(e)
    if e.reason:  # ROUTING: automatic triage/assignment says why
        summary = f"{summary} — {e.reason}"
    return HistoryItem(
        id=e.id,
        actor=e.actor_name or "System",
        when=clock.local_label(e.created_at),
        summary=summary,
        old=old or "—",
        new=new or "—",
    )


def _link(link: tickets.LinkView) -> LinkItem:
    from ticketapp.services import lifecycle

    return LinkItem(
        number=link.number,
        title=link.title,
        status_label=lifecycle.label(link.status),
        kind=link.kind,
        href=f"/tickets/{link.number}",
    )


def _opt(value: object, label: str) -> Option:
    return Option(value=str(value), label=label)


def _id_value(value: int | None) -> str:
    return NONE if value is None else str(value)


def _load(session, actor: Actor, number: str) -> dict:
    """Everything the page shows, for this actor (raises NotFound like the service)."""
    from ticketapp.services import lifecycle

    view = tickets.get_ticket_view(session, actor, number)
    header = Header(
        number=view.number,
        title=view.title,
        status=view.status,
        status_label=view.status_label,
        priority=view.priority,
        priority_label=PRIORITY_LABELS.get(view.priority, view.priority),  # type: ignore[call-overload]
        type=view.type,
        type_label=view.type_label,
        category_id=_id_value(view.category_id),
        category_name=view.category_name,
        requester_name=view.requester_name,
        requester_email=view.requester_email,
        assignee_id=_id_value(view.assignee_id),
        assignee_name=view.assignee_name,
        team_id=_id_value(view.team_id),
        team_name=view.team_name,
        created=clock.local_label(view.created_at),
        due=clock.local_label(view.due_at),
        time_logged=_duration(view.total_minutes),
        version=view.version,
        description_html=markdown.render(view.description),
        can_rate=view.can_rate,
        rating_score=view.rating_score or 0,
        is_closed=view.status == "closed",
    )
    detail_labels = tickets.DETAIL_FIELDS.get(view.type, {})
    details = [
        _opt(str(view.details[name]), label)
        for name, (label, _kind) in detail_labels.items()
        if view.details.get(name)
    ]
    data: dict = {
        "ticket_id": view.id,
        "header": header,
        "details": details,
        "ticket_files": [_attachment(a) for a in view.attachments],
        "conversation": [_comment(c) for c in view.conversation],
        "history": [_history(e) for e in reversed(view.history)],
        "time_entries": [
            TimeItem(
                id=t.id,
                user=t.user_name,
                minutes=_duration(t.minutes),
                note=t.note,
                when=clock.local_label(t.created_at),
            )
            for t in reversed(view.time_entries)
        ],
        "links": [_link(link) for link in view.links if link.kind != "merged"],
        "merged_into": [_link(view.merged_into)] if view.merged_into else [],
        "merged_from": [_link(link) for link in view.merged_from],
    }
    if actor.is_staff:
        opts = choices_service.edit_choices(session, actor)
        statuses = [_opt(view.status, view.status_label)] + [
            _opt(s, lifecycle.label(s)) for s in view.allowed_statuses
        ]
        assignees = [_opt(NONE, "Unassigned")] + [_opt(c.id, c.name) for c in opts.assignees]
        if view.assignee_id and all(c.id != view.assignee_id for c in opts.assignees):
            assignees.append(_opt(view.assignee_id, view.assignee_name or "Former agent"))
        data["options"] = {
            "status": statuses,
            "priority": [_opt(p.value, PRIORITY_LABELS[p]) for p in Priority],
            "type": [_opt(t.value, TYPE_LABELS[t]) for t in TicketType],
            "category_id": [_opt(NONE, "No category")]
            + [_opt(c.id, c.name) for c in opts.categories],
            "assignee_id": assignees,
            "team_id": [_opt(NONE, "No team")] + [_opt(c.id, c.name) for c in opts.teams],
        }
        data["sla"] = sla_clock.clock_data(session, actor, view.id)  # SLA
    return data


def _merge_target(session, actor: Actor, number: str) -> tuple[int, str]:
    """(id, "#N title") of a ticket the actor may see, by number."""
    tid = tickets.ticket_id_for_number(session, actor, number)
    ticket = tickets.get_ticket_for(session, actor, tid)
    return tid, f"#{ticket.number} {ticket.title}"


def _comment_files_error(files_count: int) -> str:
    if files_count > MAX_REPLY_FILES:
        return f"Attach at most {MAX_REPLY_FILES} files to one reply."
    return ""


# --- state ------------------------------------------------------------------------------------


class TicketDetailState(SessionState):
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
            data = await run_in_session(_load, actor, self._url_number(), readonly=True)
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

    # -- field edits (staff) --

    async def _update(self, version: int, **changes):
        self.saving = True
        yield
        actor = None
        try:
            actor, tid = await self._resolve()
            await run_in_session(tickets.update_fields, actor, tid, version, **changes)
        except Conflict as exc:
            self.saving = False
            self.conflict_message = exc.message
            await self._reload(actor)
            yield rx.toast.error(exc.message)
            return
        except NotFound:
            self.saving = False
            self._show_not_found()
            return
        except ServiceError as exc:
            self.saving = False
            name = next(iter(changes))
            self.field_errors = {exc.field or name: exc.message}
            await self._reload(actor)
            yield rx.toast.error(exc.message)
            return
        self.saving = False
        self.conflict_message = ""
        self.field_errors = {}
        self._published(actor, tid)
        await self._reload(actor)
        names = ", ".join(FIELD_LABELS.get(n, n) for n in changes)
        yield rx.toast.success(f"{names} saved.")

    @rx.event
    async def set_field(self, name: str, value: str):
        if name not in EDITABLE_SELECTS:
            return
        value = str(value)
        async for update in self._update(
            self.header["version"], **{name: None if value == NONE else value}
        ):
            yield update

    @rx.event
    async def assign_to_me(self):
        actor = await self.current_actor()
        if actor is None:
            return
        async for update in self._update(self.header["version"], assignee_id=actor.id):
            yield update

    @rx.event
    def start_title_edit(self):
        self.editing_title = True
        self.title_draft = self.header["title"]
        self._edit_version = self.header["version"]
        self.field_errors = {}

    @rx.event
    def cancel_title_edit(self):
        self.editing_title = False
        self.field_errors = {}

    @rx.event
    def set_title_draft(self, value: str):
        self.title_draft = str(value)[: tickets.MAX_TITLE + 50]

    @rx.event
    async def save_title(self, _form: dict | None = None):
        # The version the agent saw when they started editing: a change by someone else in
        # between is a conflict, even though the page has refreshed around the editor.
        async for update in self._update(self._edit_version, title=self.title_draft):
            yield update
        if not self.conflict_message and not self.field_errors:
            self.editing_title = False
        else:
            self._edit_version = self.header["version"]

    @rx.event
    def dismiss_conflict(self):
        self.conflict_message = ""

    # -- conversation --

    @rx.event
    def set_reply_body(self, value: str):
        self._reply_draft = str(value)[: tickets.MAX_COMMENT + 100]
        if self.previewing:
            self.preview_html = markdown.render(self._reply_draft)

    @rx.event
    def set_reply_mode(self, value: str):
        self.reply_mode = NOTE if value == NOTE and self.is_staff else REPLY

    @rx.event
    def toggle_preview(self):
        self.previewing = not self.previewing
        if self.previewing:
            self.preview_html = markdown.render(self._reply_draft)

    @rx.event
    def files_rejected(self, rejected: list[dict]):
        names = []
        for item in rejected if isinstance(rejected, list) else []:
            file = item.get("file", {}) if isinstance(item, dict) else {}
            names.append(str(file.get("path") or file.get("name") or "A file").lstrip("./"))
        listed = ", ".join(names[:5]) or "A file"
        self.reply_error = f"{listed}: not attached. Files can be at most 10 MB each."

    @rx.event
    async def send_reply(self, files: list[rx.UploadFile], body: str = ""):
        """Post the reply (or internal note) with the files picked in the upload box.

        The text comes with the upload request itself (read from the form on submit), so it
        can never race a separate "text changed" event.
        """
        if self.sending:
            return
        self.reply_error = ""
        body = body if isinstance(body, str) else ""
        internal = self.reply_mode == NOTE
        uploads: list[tuple[str, bytes]] = []
        too_many = _comment_files_error(len(files or []))
        if too_many:
            self.reply_error = too_many
            return
        for f in files or []:
            data = await f.read()
            name = f.name or f.filename or "file"
            if len(data) > MAX_UPLOAD_BYTES:
                self.reply_error = f"{name}: files can be at most 10 MB."
                return
            uploads.append((name, data))
        self.sending = True
        yield
        actor = None
        try:
            actor, tid = await self._resolve()
            await run_in_session(tickets.add_comment, actor, tid, body, internal, uploads)
        except NotFound:
            self.sending = False
            self._show_not_found()
            return
        except ServiceError as exc:
            # Nothing typed is lost: the text and the picked files stay for another try.
            self.sending = False
            self.reply_error = exc.message
            return
        self.sending = False
        self._reply_draft = ""
        self.preview_html = ""
        self.previewing = False
        self._published(actor, tid, kind="comment")
        await self._reload(actor)
        yield rx.clear_selected_files(REPLY_UPLOAD_ID)
        yield rx.set_value("reply-body", "")
        yield rx.toast.success("Internal note added." if internal else "Reply sent.")

    # -- time --

    @rx.event
    async def log_time(self, form: dict):
        self.time_error = ""
        actor = None
        try:
            actor, tid = await self._resolve()
            await run_in_session(
                tickets.log_time, actor, tid, form.get("minutes", ""), form.get("note", "")
            )
        except NotFound:
            self._show_not_found()
            return
        except ServiceError as exc:
            self.time_error = exc.message
            return
        self._published(actor, tid)
        await self._reload(actor)
        return [
            rx.set_value("time-minutes", ""),
            rx.set_value("time-note", ""),
            rx.toast.success("Time logged."),
        ]

    # -- rating (requester) --

    @rx.event
    def set_rating_score(self, value: str):
        self.rating_score = str(value) if str(value) in {"1", "2", "3", "4", "5"} else ""

    @rx.event
    async def rate(self, form: dict):
        self.rating_error = ""
        if not self.rating_score:
            self.rating_error = "Choose 1 to 5 stars."
            return
        actor = None
        try:
            actor, tid = await self._resolve()
            await run_in_session(
                tickets.rate, actor, tid, self.rating_score, form.get("rating_comment", "")
            )
        except NotFound:
            self._show_not_found()
            return
        except ServiceError as exc:
            self.rating_error = exc.message
            return
        self.rated_now = True
        self._published(actor, tid, kind="rating")
        await self._reload(actor)

    # -- merge and links (staff) --

    @rx.event
    def set_merge_open(self, value: bool):
        self.merge_open = bool(value)
        self.merge_error = ""

    @rx.event
    async def ask_merge(self, form: dict):
        self.merge_error = ""
        raw = str(form.get("merge_target", "")).strip()
        try:
            actor, tid = await self._resolve()
            if not actor.is_staff:
                return
            target_id, label = await run_in_session(_merge_target, actor, raw, readonly=True)
        except NotFound:
            self.merge_error = f"No ticket {raw or 'with that number'} that you can see."
            return
        if target_id == tid:
            self.merge_error = "A ticket cannot be merged into itself."
            return
        self._merge_target_id = target_id
        self.merge_target_label = label
        self.merge_open = False
        self.merge_confirm_open = True

    @rx.event
    def cancel_merge(self):
        self.merge_confirm_open = False
        self._merge_target_id = 0

    @rx.event
    async def confirm_merge(self):
        self.merge_confirm_open = False
        target = self._merge_target_id
        self._merge_target_id = 0
        if not target:
            return
        actor = None
        try:
            actor, tid = await self._resolve()
            ref = await run_in_session(tickets.merge, actor, tid, target)
        except NotFound:
            self._show_not_found()
            return
        except ServiceError as exc:
            await self._reload(actor)
            return rx.toast.error(exc.message)
        self._published(actor, tid, ref.id)
        await self._reload(actor)
        return rx.toast.success(f"Merged into #{ref.number}.")

    @rx.event
    async def link_ticket(self, form: dict):
        self.link_error = ""
        raw = str(form.get("link_number", "")).strip()
        actor = None
        try:
            actor, tid = await self._resolve()
            try:
                other = await run_in_session(
                    tickets.ticket_id_for_number, actor, raw, readonly=True
                )
            except NotFound:
                self.link_error = f"No ticket {raw or 'with that number'} that you can see."
                return
            await run_in_session(tickets.link_tickets, actor, tid, other)
        except NotFound:
            self._show_not_found()
            return
        except ServiceError as exc:
            self.link_error = exc.message
            return
        self._published(actor, tid, other)
        await self._reload(actor)
        return [rx.set_value("link-number", ""), rx.toast.success("Tickets linked.")]

    @rx.event
    async def unlink_ticket(self, number: int):
        actor = None
        try:
            actor, tid = await self._resolve()
            other = await run_in_session(
                tickets.ticket_id_for_number, actor, str(number), readonly=True
            )
            await run_in_session(tickets.unlink_tickets, actor, tid, other)
        except NotFound:
            await self._reload(actor)
            return rx.toast.error("That link no longer exists.")
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self._published(actor, tid, other)
        await self._reload(actor)
        return rx.toast.success("Link removed.")


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


# --- components -------------------------------------------------------------------------------

S = TicketDetailState


def _callout(*children: rx.Component, **props) -> rx.Component:
    """A callout with AA-contrast text (the soft default misses it in light mode)."""
    return rx.callout.root(*children, high_contrast=True, **props)


def _error(name: str) -> rx.Var[str]:
    return S.field_errors.get(name, "")


def _not_found_view() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("search-x", size=40, color=rx.color("gray", 10)),
            rx.heading("Ticket not found", size="6", as_="h2"),
            rx.text("That ticket does not exist, or you cannot see it."),
            rx.link("Go to your home page", href=SessionState.home_path),
            align="center",
        ),
        padding_y="4em",
        width="100%",
    )


def _conflict_banner() -> rx.Component:
    return rx.cond(
        S.conflict_message != "",
        _callout(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(
                S.conflict_message,
                " The latest version is shown below.",
            ),
            rx.button(
                "Dismiss",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=S.dismiss_conflict,
            ),
            color_scheme="orange",
            role="alert",
            width="100%",
        ),
    )


def _merge_banners() -> rx.Component:
    return rx.fragment(
        rx.foreach(
            S.merged_into,
            lambda t: _callout(
                rx.callout.icon(rx.icon("git-merge")),
                rx.callout.text(
                    "This ticket was merged into ",
                    rx.link(f"#{t['number']} {t['title']}", href=t["href"], weight="bold"),
                    ". The conversation continues there.",
                ),
                color_scheme="violet",
                width="100%",
            ),
        ),
        rx.cond(
            S.merged_from.length() > 0,
            _callout(
                rx.callout.icon(rx.icon("git-merge")),
                rx.callout.text(
                    "Merged into this ticket: ",
                    rx.foreach(
                        S.merged_from,
                        lambda t: rx.link(
                            f"#{t['number']} {t['title']}", href=t["href"], margin_right="0.75em"
                        ),
                    ),
                ),
                color_scheme="violet",
                width="100%",
            ),
        ),
    )


def _title_row() -> rx.Component:
    h = S.header
    return rx.hstack(
        rx.cond(
            S.editing_title,
            rx.form(
                rx.hstack(
                    rx.box(
                        labelled_input(
                            "Title",
                            "title-input",
                            _error("title"),
                            name="title",
                            value=S.title_draft,
                            on_change=S.set_title_draft,
                            auto_focus=True,
                            max_length=tickets.MAX_TITLE,
                        ),
                        flex="1",
                    ),
                    rx.button("Save title", type="submit", loading=S.saving),
                    rx.button(
                        "Cancel",
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.cancel_title_edit,
                    ),
                    align="end",
                    width="100%",
                ),
                on_submit=S.save_title,
                reset_on_submit=False,
                width="100%",
            ),
            rx.hstack(
                rx.heading(
                    rx.text(f"#{h['number']}", as_="span", color_scheme="gray", weight="regular"),
                    " ",
                    h["title"],
                    as_="h2",
                    size="6",
                ),
                rx.cond(
                    SessionState.is_staff & ~h["is_closed"],
                    rx.icon_button(
                        rx.icon("pencil", size=16),
                        variant="ghost",
                        aria_label="Edit title",
                        title="Edit title",
                        on_click=S.start_title_edit,
                    ),
                ),
                align="center",
                spacing="3",
            ),
        ),
        rx.spacer(),
        status_badge(h["status"], h["status_label"]),
        priority_badge(h["priority"], h["priority_label"]),
        width="100%",
        align="center",
        wrap="wrap",
    )


def _staff_fields() -> rx.Component:
    h = S.header
    sel = [
        ("Status", "field-status", "status", S.status_options),
        ("Priority", "field-priority", "priority", S.priority_options),
        ("Type", "field-type", "type", S.type_options),
        ("Category", "field-category", "category_id", S.category_options),
        ("Assignee", "field-assignee", "assignee_id", S.assignee_options),
        ("Team", "field-team", "team_id", S.team_options),
    ]
    return rx.vstack(
        *[
            rx.box(
                field_select(
                    label,
                    fid,
                    h[name].to(str),
                    options,
                    S.set_field(name),
                    disabled=S.saving,
                ),
                field_error(_error(name), fid),
                width="100%",
            )
            for label, fid, name, options in sel
        ],
        rx.button(
            rx.icon("user-check", size=16),
            "Assign to me",
            variant="soft",
            on_click=S.assign_to_me,
            disabled=S.saving | (h["assignee_name"] == SessionState.user_name),
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _requester_fields() -> rx.Component:
    h = S.header
    return rx.vstack(
        read_only_field("Status", h["status_label"]),
        read_only_field("Priority", h["priority_label"]),
        read_only_field("Type", h["type_label"]),
        read_only_field("Category", h["category_name"]),
        read_only_field("Assignee", h["assignee_name"], "Not assigned yet"),
        read_only_field("Team", h["team_name"]),
        spacing="3",
        width="100%",
    )


def _side_panel() -> rx.Component:
    h = S.header
    return rx.card(
        rx.vstack(
            rx.heading("Details", size="3", as_="h2"),
            rx.cond(SessionState.is_staff, _staff_fields(), _requester_fields()),
            rx.separator(size="4"),
            read_only_field("Requester", h["requester_name"]),
            rx.cond(SessionState.is_staff, read_only_field("Email", h["requester_email"])),
            read_only_field("Created", h["created"]),
            read_only_field("Due", h["due"], "No due date"),
            rx.cond(SessionState.is_staff, read_only_field("Time logged", h["time_logged"])),
            rx.cond(SessionState.is_staff, sla_clock.clock_panel(S.sla_info, S.sla_log)),  # SLA
            rx.separator(size="4"),
            _links_panel(),
            rx.cond(SessionState.is_staff & ~h["is_closed"], _merge_controls()),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _links_panel() -> rx.Component:
    return rx.vstack(
        rx.heading("Related tickets", size="3", as_="h2"),
        rx.cond(
            S.links.length() > 0,
            rx.vstack(
                rx.foreach(
                    S.links,
                    lambda t: rx.hstack(
                        rx.link(f"#{t['number']} {t['title']}", href=t["href"], size="2"),
                        rx.text(t["status_label"], size="1", color_scheme="gray"),
                        rx.spacer(),
                        rx.cond(
                            SessionState.is_staff,
                            rx.icon_button(
                                rx.icon("x", size=14),
                                size="1",
                                variant="ghost",
                                color_scheme="gray",
                                aria_label=f"Unlink #{t['number']}",
                                on_click=S.unlink_ticket(t["number"]),
                            ),
                        ),
                        width="100%",
                        align="center",
                    ),
                ),
                spacing="1",
                width="100%",
            ),
            rx.text("None.", size="2", color_scheme="gray"),
        ),
        rx.cond(
            SessionState.is_staff,
            rx.form(
                rx.vstack(
                    field_label("Link ticket number", "link-number"),
                    rx.hstack(
                        rx.input(
                            id="link-number",
                            name="link_number",
                            placeholder="e.g. 1042",
                            inputmode="numeric",
                            aria_describedby="link-number-error",
                            size="2",
                        ),
                        rx.button("Link", type="submit", variant="soft", size="2"),
                        width="100%",
                    ),
                    field_error(S.link_error, "link-number"),
                    spacing="1",
                    width="100%",
                ),
                on_submit=S.link_ticket,
                reset_on_submit=False,
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _merge_controls() -> rx.Component:
    h = S.header
    return rx.fragment(
        form_dialog(
            "Merge this ticket",
            f"#{h['number']} will be closed as a duplicate and linked to the ticket "
            "you choose. Its conversation stays readable.",
            labelled_input(
                "Merge into ticket number",
                "merge-target",
                S.merge_error,
                name="merge_target",
                placeholder="e.g. 1042",
                inputmode="numeric",
                required=True,
            ),
            submit="Continue",
            on_submit=S.ask_merge,
            open=S.merge_open,
            on_open_change=S.set_merge_open,
            trigger=rx.button(
                rx.icon("git-merge", size=16),
                "Merge into another ticket",
                variant="soft",
                color_scheme="violet",
                width="100%",
            ),
        ),
        confirm_dialog(
            "Merge tickets?",
            f"Merge #{h['number']} into {S.merge_target_label}? #{h['number']} will be closed "
            "and both tickets will link to each other. This cannot be undone.",
            confirm="Merge",
            on_confirm=S.confirm_merge,
            on_cancel=S.cancel_merge,
            open=S.merge_confirm_open,
            color_scheme="violet",
        ),
    )


def _description() -> rx.Component:
    h = S.header
    return rx.box(
        rx.hstack(
            rx.avatar(fallback=h["requester_name"].to(str)[0:1], size="2", radius="full"),
            rx.text(h["requester_name"], weight="bold", size="2"),
            rx.text("Requester", size="1", color_scheme="gray"),
            rx.spacer(),
            rx.text(h["created"], size="1", color_scheme="gray"),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.box(markdown_html(h["description_html"]), padding_top="0.5em"),
        rx.cond(
            S.details.length() > 0,
            rx.el.dl(
                rx.foreach(
                    S.details,
                    lambda d: rx.fragment(
                        rx.el.dt(d["label"], style={"font-weight": "600", "font-size": "13px"}),
                        rx.el.dd(d["value"], style={"margin": "0 0 0.5em 0", "font-size": "14px"}),
                    ),
                ),
                style={"margin-top": "0.75em"},
            ),
        ),
        attachment_list(S.ticket_files),
        padding="0.9em 1em",
        border_radius="8px",
        width="100%",
        background=rx.color("gray", 2),
        border=f"1px solid {rx.color('gray', 5)}",
        role="article",
        aria_label="Ticket description",
    )


def _upload_box() -> rx.Component:
    files = rx.selected_files(REPLY_UPLOAD_ID)
    return rx.vstack(
        labelled_upload(
            rx.hstack(
                rx.button(
                    rx.icon("paperclip", size=16),
                    "Attach files",
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    size="2",
                ),
                rx.text("or drop files here (up to 10 MB each)", size="1", color_scheme="gray"),
                align="center",
            ),
            id=REPLY_UPLOAD_ID,
            input_label="Attach files to the reply",
            multiple=True,
            max_size=MAX_UPLOAD_BYTES,
            max_files=MAX_REPLY_FILES,
            on_drop_rejected=S.files_rejected,
            no_keyboard=True,
            border=f"1px dashed {rx.color('gray', 7)}",
            border_radius="6px",
            padding="0.5em",
            width="100%",
        ),
        rx.cond(
            files.length() > 0,
            rx.hstack(
                rx.foreach(
                    files,
                    lambda name: rx.badge(
                        rx.icon("file", size=12), name, variant="soft", color_scheme="gray"
                    ),
                ),
                rx.button(
                    "Remove files",
                    type="button",
                    size="1",
                    variant="ghost",
                    color_scheme="gray",
                    on_click=rx.clear_selected_files(REPLY_UPLOAD_ID),
                ),
                wrap="wrap",
                align="center",
                aria_label="Files to attach",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _reply_box() -> rx.Component:
    is_note = S.reply_mode == NOTE
    return rx.cond(
        S.header["is_closed"] & ~SessionState.is_staff,
        _callout(
            rx.callout.icon(rx.icon("lock")),
            rx.callout.text(
                "This ticket is closed. File a new ticket if you need more help, and mention ",
                f"#{S.header['number']}.",
            ),
            width="100%",
        ),
        rx.form(
            rx.vstack(
                rx.hstack(
                    rx.heading(rx.cond(is_note, "Internal note", "Reply"), size="3", as_="h2"),
                    rx.spacer(),
                    rx.cond(
                        SessionState.is_staff,
                        rx.radio_group(
                            [REPLY, NOTE],
                            value=S.reply_mode,
                            on_change=S.set_reply_mode,
                            direction="row",
                            aria_label="Reply or internal note",
                        ),
                    ),
                    width="100%",
                    align="center",
                ),
                rx.cond(
                    is_note,
                    rx.text(
                        "Only agents and managers see internal notes.",
                        size="1",
                        weight="medium",
                        color=rx.color("amber", 12),
                        id="reply-body-hint",
                    ),
                    rx.text(
                        "Markdown is supported.",
                        size="1",
                        color_scheme="gray",
                        id="reply-body-hint",
                    ),
                ),
                rx.cond(
                    S.previewing,
                    rx.box(
                        rx.cond(
                            S.preview_html != "",
                            markdown_html(S.preview_html),
                            rx.text("Nothing to preview.", color_scheme="gray", size="2"),
                        ),
                        min_height="6em",
                        padding="0.75em",
                        width="100%",
                        border=f"1px solid {rx.color('gray', 6)}",
                        border_radius="6px",
                        aria_label="Preview",
                        role="region",
                    ),
                ),
                # Uncontrolled (the browser keeps what was typed; hidden, not removed, while
                # previewing); the text is sent with the form on submit.
                rx.text_area(
                    id="reply-body",
                    name="reply_body",
                    on_change=S.set_reply_body.debounce(300),
                    aria_label=rx.cond(is_note, "Internal note text", "Your reply"),
                    aria_describedby="reply-body-hint reply-error",
                    placeholder=rx.cond(
                        is_note, "Write a note for your colleagues…", "Write your reply…"
                    ),
                    rows="5",
                    width="100%",
                    resize="vertical",
                    display=rx.cond(S.previewing, "none", "block"),
                ),
                _upload_box(),
                rx.cond(
                    S.reply_error != "",
                    rx.text(
                        S.reply_error,
                        id="reply-error",
                        role="alert",
                        size="2",
                        color=rx.color("red", 11),
                    ),
                ),
                rx.hstack(
                    rx.button(
                        rx.cond(S.previewing, "Edit", "Preview"),
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.toggle_preview,
                        aria_pressed=S.previewing,
                    ),
                    rx.spacer(),
                    rx.button(
                        rx.cond(is_note, "Add internal note", "Send reply"),
                        type="submit",
                        loading=S.sending,
                        color_scheme=rx.cond(is_note, "amber", "indigo"),
                    ),
                    width="100%",
                ),
                spacing="2",
                width="100%",
            ),
            on_submit=lambda form: S.send_reply(
                rx.upload_files(upload_id=REPLY_UPLOAD_ID), form.to(dict)["reply_body"]
            ),
            reset_on_submit=False,
            padding="1em",
            border_radius="8px",
            width="100%",
            background=rx.cond(is_note, rx.color("amber", 2), "transparent"),
            border=rx.cond(
                is_note,
                f"1px dashed {rx.color('amber', 8)}",
                f"1px solid {rx.color('gray', 6)}",
            ),
        ),
    )


def _rating_box() -> rx.Component:
    h = S.header
    thanks = _callout(
        rx.callout.icon(rx.icon("heart")),
        rx.callout.text(
            "Thanks for your feedback! You rated this resolution ",
            h["rating_score"].to_string(),
            " out of 5.",
        ),
        color_scheme="green",
        width="100%",
        role="status",
    )
    ask = rx.card(
        rx.form(
            rx.vstack(
                rx.heading("How did we do?", size="4", as_="h2"),
                rx.text("Rate how we resolved this ticket: 1 (poor) to 5 (excellent).", size="2"),
                rx.radio_group(
                    ["1", "2", "3", "4", "5"],
                    value=S.rating_score,
                    on_change=S.set_rating_score,
                    direction="row",
                    aria_label="Rating from 1 to 5",
                ),
                rx.vstack(
                    field_label("Comment (optional)", "rating-comment"),
                    rx.text_area(
                        id="rating-comment",
                        name="rating_comment",
                        rows="2",
                        width="100%",
                        max_length=2000,
                    ),
                    spacing="1",
                    width="100%",
                ),
                field_error(S.rating_error, "rating"),
                rx.button("Send rating", type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.rate,
            reset_on_submit=False,
        ),
        width="100%",
        id="rate",  # NOTIFY: the "resolved" e-mail links here (/tickets/N#rate)
    )
    return rx.cond(
        ~SessionState.is_staff,
        rx.cond(h["rating_score"] > 0, thanks, rx.cond(h["can_rate"], ask)),
    )


def _conversation_tab() -> rx.Component:
    return rx.vstack(
        _description(),
        rx.foreach(S.conversation, comment_entry),
        _rating_box(),
        _reply_box(),
        spacing="3",
        width="100%",
        padding_top="1em",
    )


def _history_tab() -> rx.Component:
    return rx.box(
        rx.cond(
            S.history.length() > 0,
            rx.table.root(
                table_caption("History"),
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(c)
                            for c in ("When", "Who", "What", "Old", "New")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(S.history, history_entry)),
                width="100%",
                size="1",
                aria_label="History",
            ),
            rx.text("No history yet.", color_scheme="gray"),
        ),
        padding_top="1em",
        width="100%",
    )


def _time_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Total: ", weight="bold"),
            rx.text(S.header["time_logged"], id="time-total"),
            spacing="1",
        ),
        rx.form(
            rx.hstack(
                rx.vstack(
                    field_label("Minutes", "time-minutes"),
                    rx.input(
                        id="time-minutes",
                        name="minutes",
                        type="number",
                        required=True,
                        width="7em",
                        aria_describedby="time-error",
                    ),
                    spacing="1",
                ),
                rx.vstack(
                    field_label("Note", "time-note"),
                    rx.input(id="time-note", name="note", max_length=500, width="100%"),
                    spacing="1",
                    flex="1",
                ),
                rx.button("Log time", type="submit"),
                align="end",
                width="100%",
            ),
            on_submit=S.log_time,
            reset_on_submit=False,
            width="100%",
        ),
        field_error(S.time_error, "time"),
        rx.cond(
            S.time_entries.length() > 0,
            rx.table.root(
                table_caption("Time entries"),
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(c) for c in ("When", "Who", "Time", "Note")]
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        S.time_entries,
                        lambda t: rx.table.row(
                            rx.table.cell(t["when"]),
                            rx.table.cell(t["user"]),
                            rx.table.cell(t["minutes"]),
                            rx.table.cell(t["note"]),
                        ),
                    )
                ),
                width="100%",
                size="1",
                aria_label="Time entries",
            ),
            rx.text("No time logged yet.", color_scheme="gray", size="2"),
        ),
        spacing="3",
        width="100%",
        padding_top="1em",
    )


def _tabs() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger("Conversation", value="conversation"),
            rx.tabs.trigger("History", value="history"),
            rx.cond(SessionState.is_staff, rx.tabs.trigger("Time", value="time")),
        ),
        rx.tabs.content(_conversation_tab(), value="conversation"),
        rx.tabs.content(_history_tab(), value="history"),
        rx.cond(SessionState.is_staff, rx.tabs.content(_time_tab(), value="time")),
        default_value="conversation",
        width="100%",
    )


def _ticket_view() -> rx.Component:
    return rx.vstack(
        _conflict_banner(),
        _merge_banners(),
        _title_row(),
        rx.flex(
            rx.box(_tabs(), flex="1 1 0", min_width="0"),
            rx.box(_side_panel(), width=["100%", "100%", "18em"], flex_shrink="0"),
            direction=rx.breakpoints(initial="column", md="row"),
            spacing="5",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def ticket_detail_page() -> rx.Component:
    return page_frame(
        stamp_watcher(S.feed_stamp, TicketDetailState.live_refresh(S.feed_stamp)),
        rx.cond(
            S.not_found,
            _not_found_view(),
            rx.cond(
                S.loading,
                rx.center(rx.spinner(size="3"), aria_label="Loading ticket", width="100%"),
                _ticket_view(),
            ),
        ),
        title="Ticket",
        roles=SIGNED_IN,
    )
