"""Chosen files parked on the server until the ticket is filed.

Each file is checked and written as soon as it is chosen, under the user's own folder with a
random name (its token); on submit the files are read back and handed to create_ticket.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path

from ticketapp.config import settings
from ticketapp.pages.ticket_new.view_model import PendingFile
from ticketapp.services import attachments

PARKED_FOR_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def parking_folder(user_id: int) -> Path:
    """Where chosen files wait for the submit: one folder per user, outside the web root."""
    return settings.data_dir / "pending-uploads" / str(int(user_id))


def sweep_abandoned(folder: Path, keep: set[str]) -> None:
    """Forget parked files abandoned for a day (a tab closed without filing)."""
    if not folder.is_dir():
        return
    cutoff = time.time() - PARKED_FOR_SECONDS
    for path in folder.iterdir():
        if path.name not in keep and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def read_parked(user_id: int, files: list[PendingFile]) -> list[tuple[str, bytes]] | None:
    """The chosen files' bytes (None if one has gone: expired or removed in another tab)."""
    folder = parking_folder(user_id)
    out = []
    for f in files:
        path = folder / f["token"]
        if not TOKEN_RE.match(f["token"]) or not path.is_file():
            return None
        out.append((f["name"], path.read_bytes()))
    return out


def park(folder: Path, data: bytes) -> str:
    """Write one chosen file under a random name; that name is its token."""
    token = secrets.token_hex(16)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / token).write_bytes(data)
    return token


def still_parked(user_id: int, listed: object) -> list[PendingFile]:
    """The files a restored draft lists that are still in this user's own folder."""
    folder = parking_folder(user_id)
    kept: list[PendingFile] = []
    for f in listed or []:
        if (
            isinstance(f, dict)
            and TOKEN_RE.match(str(f.get("token", "")))
            and (folder / str(f["token"])).is_file()
        ):
            kept.append(
                PendingFile(
                    token=str(f["token"]),
                    name=attachments.clean_filename(f.get("name")),
                    size=str(f.get("size", ""))[:20],
                )
            )
    return kept


def discard_parked(user_id: int, files: list[PendingFile]) -> None:
    """Delete the form's parked files (filed or given up), and the folder once it is empty."""
    folder = parking_folder(user_id)
    for f in files:
        if TOKEN_RE.match(f["token"]):
            (folder / f["token"]).unlink(missing_ok=True)
    if folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)
