"""Choosing, refusing and removing attachments on the filing form.

A Reflex state mixin: its handlers are copied onto TicketNewState (state.py), which holds the
vars and the helpers used here (`_clear_error`, `_save_draft`).
"""

from __future__ import annotations

import asyncio

import reflex as rx

from ticketapp.i18n import _
from ticketapp.pages.ticket_new.constants import MAX_FILES, UPLOAD_ID
from ticketapp.pages.ticket_new.parking import TOKEN_RE, park, parking_folder, sweep_abandoned
from ticketapp.pages.ticket_new.view_model import PendingFile, size_label
from ticketapp.services import attachments
from ticketapp.services.errors import ValidationError
from ticketapp.state import SessionState, clear_files


class AttachmentEvents(SessionState, mixin=True):
    """Files are checked and parked as soon as they are chosen (see parking.py)."""

    @rx.event
    async def add_files(self, files: list[rx.UploadFile]):
        actor = await self.current_actor()
        if actor is None:
            return
        self._user_id = actor.id
        problems: list[str] = []
        folder = parking_folder(actor.id)
        sweep_abandoned(folder, {f["token"] for f in self.files})
        added = list(self.files)
        for upload in files:
            name = attachments.clean_filename(upload.name or upload.filename)
            if len(added) >= MAX_FILES:
                problems.append(_("{name}: at most {n} files per ticket.", name=name, n=MAX_FILES))
                continue
            data = await upload.read(attachments.MAX_BYTES + 1)
            try:
                attachments.sniff(name, data)
            except ValidationError as exc:
                problems.append(exc.message)
                continue
            token = await asyncio.to_thread(park, folder, data)
            added.append(PendingFile(token=token, name=name, size=size_label(len(data))))
        self.files = added
        if problems:
            self.errors = {**self.errors, "attachments": " ".join(problems)}
        else:
            self._clear_error("attachments")
        self._save_draft()
        await clear_files(self, UPLOAD_ID)

    @rx.event
    def files_rejected(self, rejected: list[dict]):
        problems = []
        for item in rejected[:MAX_FILES] if isinstance(rejected, list) else []:
            file = item.get("file") if isinstance(item, dict) else None
            name = attachments.clean_filename((file or {}).get("path", "file"))
            codes = {e.get("code") for e in item.get("errors", []) if isinstance(e, dict)}
            if "file-too-large" in codes:
                problems.append(_("{name}: files can be at most 10 MB.", name=name))
            elif "too-many-files" in codes:
                problems.append(_("{name}: at most {n} files per ticket.", name=name, n=MAX_FILES))
            else:
                problems.append(
                    _(
                        "{name}: this file type is not accepted. Allowed: {allowed}.",
                        name=name,
                        allowed=_(attachments.ALLOWED_HINT),
                    )
                )
        self.errors = {**self.errors, "attachments": " ".join(problems)}

    @rx.event
    async def remove_file(self, token: str):
        actor = await self.current_actor()
        if actor is None:
            return
        token = str(token)
        if TOKEN_RE.match(token):
            (parking_folder(actor.id) / token).unlink(missing_ok=True)
        self.files = [f for f in self.files if f["token"] != token]
        self._clear_error("attachments")
        self._save_draft()
