"""Replies, internal notes and the requester's rating on the ticket page.

A Reflex state mixin: its handlers are copied onto TicketDetailState (state.py), which holds
the vars and the helpers used here (`_resolve`, `_reload`, `_published`, `_show_not_found`).
"""

from __future__ import annotations

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.ticket_detail.constants import (
    MAX_REPLY_FILES,
    MAX_UPLOAD_BYTES,
    NOTE,
    REPLY,
    REPLY_UPLOAD_ID,
)
from ticketapp.services import markdown, tickets
from ticketapp.services.errors import NotFound, ServiceError
from ticketapp.state import SessionState, clear_files


def _comment_files_error(files_count: int) -> str:
    if files_count > MAX_REPLY_FILES:
        return _("Attach at most {n} files to one reply.", n=MAX_REPLY_FILES)
    return ""


class ReplyEvents(SessionState, mixin=True):
    """The reply box (text, mode, preview, files) and the rating form."""

    @rx.event
    async def set_reply_body(self, value: str):
        self._reply_draft = str(value)[: tickets.MAX_COMMENT + 100]
        if self.previewing:
            self.preview_html = markdown.render(self._reply_draft)
        await self._watch_slash(self._reply_draft)  # a leading "/": canned responses

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
            names.append(str(file.get("path") or file.get("name") or _("A file")).lstrip("./"))
        listed = ", ".join(names[:5]) or _("A file")
        self.reply_error = _(
            "{files}: not attached. Files can be at most 10 MB each.", files=listed
        )

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
                self.reply_error = _("{name}: files can be at most 10 MB.", name=name)
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
        await clear_files(self, REPLY_UPLOAD_ID)
        yield rx.set_value("reply-body", "")
        yield rx.toast.success(_("Internal note added.") if internal else _("Reply sent."))

    @rx.event
    def set_rating_score(self, value: str):
        self.rating_score = str(value) if str(value) in {"1", "2", "3", "4", "5"} else ""

    @rx.event
    async def rate(self, form: dict):
        self.rating_error = ""
        if not self.rating_score:
            self.rating_error = _("Choose 1 to 5 stars.")
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
