"""Attachments: checked on the way in (size, extension AND content), served only after a fresh
permission check, stored outside the web root under random names.

Files are written (and fsynced) before their row, so a committed row always has its file; a file
whose transaction rolls back is removed again. A process killed between the two (kill -9, OOM,
power loss) leaves a file that no row names: `sweep_orphans` removes those once they are older
than any transaction could be (the app runs it at startup; `python -m ticketapp sweep-files`).
Downloads are meant to be served with `Content-Disposition: attachment` and
`X-Content-Type-Options: nosniff`; SVG and HTML are refused outright.
"""

from __future__ import annotations

import io
import os
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps
from sqlalchemy import event
from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.config import settings
from ticketapp.i18n import N_
from ticketapp.models import Attachment, Comment, utcnow
from ticketapp.services import visibility
from ticketapp.services.actor import Actor
from ticketapp.services.audit import record_event
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.ids import coerce_id

MAX_BYTES = 10 * 1024 * 1024
THUMBNAIL_PX = 320
MAX_IMAGE_PIXELS = 50_000_000
ORPHAN_GRACE_SECONDS = 3600  # no filing transaction lives this long
THUMB_SUFFIX = "_thumb.png"
NOT_FOUND = N_("That file does not exist or you cannot see it.")
_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
# extension -> (content type served, sniffer kind)
ALLOWED: dict[str, tuple[str, str]] = {
    ".png": ("image/png", "PNG"),
    ".jpg": ("image/jpeg", "JPEG"),
    ".jpeg": ("image/jpeg", "JPEG"),
    ".gif": ("image/gif", "GIF"),
    ".webp": ("image/webp", "WEBP"),
    ".pdf": ("application/pdf", "pdf"),
    ".txt": ("text/plain", "text"),
    ".log": ("text/plain", "text"),
    ".csv": ("text/csv", "text"),
    ".md": ("text/markdown", "text"),
    ".docx": (_OOXML + "wordprocessingml.document", "docx"),
    ".xlsx": (_OOXML + "spreadsheetml.sheet", "xlsx"),
    ".pptx": (_OOXML + "presentationml.presentation", "pptx"),
    ".odt": (_ODF + "text", "odt"),
    ".ods": (_ODF + "spreadsheet", "ods"),
    ".zip": ("application/zip", "zip"),
}
ALLOWED_HINT = N_(
    "images (PNG, JPEG, GIF, WebP), PDF, text, logs, CSV, Markdown, Office documents, ZIP"
)
_ZIP_MEMBER = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_ODF_MIME = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": _ODF.encode() + b"spreadsheet",
}
_MARKUP = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe")


# --- listing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    content_type: str
    size: int
    has_thumbnail: bool
    is_image: bool
    comment_id: int | None
    uploader_name: str
    created_at: datetime


def attachment_views(
    session: Session, ticket_id: int, with_internal: bool, names: dict[int, str]
) -> list[AttachmentView]:
    """A ticket's files, oldest first; files on internal notes only `with_internal`."""
    stmt = (
        select(Attachment)
        .join(Comment, col(Comment.id) == Attachment.comment_id, isouter=True)
        .where(Attachment.ticket_id == ticket_id)
        .order_by(col(Attachment.id))
    )
    stmt = visibility.only_visible_attachments(stmt, with_internal)
    return [
        AttachmentView(
            id=a.id,  # type: ignore[arg-type]
            filename=a.filename,
            content_type=a.content_type,
            size=a.size,
            has_thumbnail=bool(a.thumbnail_name),
            is_image=a.content_type.startswith("image/"),
            comment_id=a.comment_id,
            uploader_name=names.get(a.uploader_id, ""),
            created_at=a.created_at,
        )
        for a in session.exec(stmt).all()
    ]


# --- where files live -----------------------------------------------------------------------


def attachments_dir() -> Path:
    """Where files live (settings.attachments_dir); tests monkeypatch this."""
    return settings.attachments_dir


# --- checking -------------------------------------------------------------------------------


def clean_filename(name: object) -> str:
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if ch.isprintable() and ch not in '"<>:|?*').strip(" .")
    if not text:
        return "file"
    stem, dot, ext = text.rpartition(".")
    if dot and len(ext) <= 10:
        return stem[: 250 - len(ext)] + "." + ext
    return text[:250]


def _allowed() -> str:
    return i18n.later(ALLOWED_HINT)  # translated with the message


def _check_image(data: bytes, fmt: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format != fmt or im.width * im.height > MAX_IMAGE_PIXELS:
                raise ValueError
            im.verify()
    except Exception:
        raise ValueError from None


def _check_text(data: bytes) -> None:
    if b"\x00" in data[:8192]:
        raise ValueError
    data.decode("utf-8")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_MARKUP):
        raise ValueError


def _check_zip(data: bytes, kind: str) -> None:
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise ValueError
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        if kind in _ZIP_MEMBER and _ZIP_MEMBER[kind] not in names:
            raise ValueError
        if kind in _ODF_MIME and zf.read("mimetype").strip() != _ODF_MIME[kind]:
            raise ValueError


def sniff(filename: str, data: bytes) -> str:
    """The content type to store, if the extension is allowed and the content matches it."""
    ext = os.path.splitext(filename)[1].lower()
    if ext not in ALLOWED:
        raise ValidationError(
            "{name}: this file type is not accepted. Allowed: {allowed}.",
            "attachments",
            name=filename,
            allowed=_allowed(),
        )
    if not data:
        raise ValidationError("{name}: the file is empty.", "attachments", name=filename)
    if len(data) > MAX_BYTES:
        raise ValidationError("{name}: files can be at most 10 MB.", "attachments", name=filename)
    content_type, kind = ALLOWED[ext]
    try:
        if kind in ("PNG", "JPEG", "GIF", "WEBP"):
            _check_image(data, kind)
        elif kind == "pdf":
            if not data.startswith(b"%PDF-"):
                raise ValueError
        elif kind == "text":
            _check_text(data)
        else:
            _check_zip(data, kind)
    except (ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        raise ValidationError(
            "{name}: the content does not look like a {ext} file.",
            "attachments",
            name=filename,
            ext=ext,
        ) from None
    return content_type


def _thumbnail(data: bytes) -> bytes | None:
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.seek(0)
            img = ImageOps.exif_transpose(im) or im
            if img.mode not in ("RGB", "RGBA", "L", "LA"):
                img = img.convert("RGBA")
            img.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            out = io.BytesIO()
            img.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except Exception:
        return None


# --- storing --------------------------------------------------------------------------------


def _write(directory: Path, name: str, data: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())  # on disk before the row that names it commits
    return path


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        _remove(session.info.pop("ticketapp_new_files", []))


def _after_commit(session: Session) -> None:
    session.info.pop("ticketapp_new_files", None)


def _remove_if_rolled_back(session: Session, paths: list[Path]) -> None:
    if not session.info.get("ticketapp_file_hooks"):
        event.listen(session, "after_soft_rollback", _after_soft_rollback)
        event.listen(session, "after_commit", _after_commit)
        session.info["ticketapp_file_hooks"] = True
    session.info.setdefault("ticketapp_new_files", []).extend(paths)


def _check_comment(
    session: Session, actor: Actor, ticket_id: int, comment_id: object
) -> int | None:
    if comment_id in (None, ""):
        return None
    cid = coerce_id(comment_id, N_("That reply does not exist."))
    comment = session.get(Comment, cid)
    if comment is None or comment.ticket_id != ticket_id:
        raise NotFound("That reply does not exist.")
    if comment.author_id != actor.id and not actor.is_staff:
        raise NotFound("That reply does not exist.")
    return cid


def store_upload(
    session: Session,
    actor: Actor,
    ticket_id: object,
    comment_id: object,
    filename: object,
    data: bytes,
    directory: Path | None = None,
) -> AttachmentView:
    """Check and store one file on a ticket (optionally on one of its replies)."""
    ticket = visibility.get_ticket_for(session, actor, ticket_id)
    assert ticket.id is not None
    cid = _check_comment(session, actor, ticket.id, comment_id)
    name = clean_filename(filename)
    if not isinstance(data, bytes | bytearray):
        raise ValidationError(
            "{name}: the upload did not arrive; try again.", "attachments", name=name
        )
    content_type = sniff(name, bytes(data))
    thumb = _thumbnail(data) if content_type.startswith("image/") else None
    folder = directory or attachments_dir()
    storage = secrets.token_hex(16)
    written = [_write(folder, storage, bytes(data))]
    thumb_name = None
    try:
        if thumb is not None:
            thumb_name = storage + THUMB_SUFFIX
            written.append(_write(folder, thumb_name, thumb))
        row = Attachment(
            ticket_id=ticket.id,
            comment_id=cid,
            uploader_id=actor.id,
            filename=name,
            content_type=content_type,
            size=len(data),
            storage_name=storage,
            thumbnail_name=thumb_name,
            created_at=utcnow(),
        )
        session.add(row)
        record_event(session, ticket.id, actor, "attachment", "attachment", None, name)
        session.flush()
    except BaseException:
        _remove(written)
        raise
    _remove_if_rolled_back(session, written)
    return AttachmentView(
        id=row.id,  # type: ignore[arg-type]
        filename=name,
        content_type=content_type,
        size=len(data),
        has_thumbnail=thumb_name is not None,
        is_image=content_type.startswith("image/"),
        comment_id=cid,
        uploader_name=actor.name,
        created_at=row.created_at,
    )


def sweep_orphans(
    session: Session,
    directory: Path | None = None,
    older_than: float = ORPHAN_GRACE_SECONDS,
) -> list[str]:
    """Remove files in the store that no attachment row names; returns their names.

    Such a file is what a process killed between writing it and committing its row leaves
    behind. Files younger than `older_than` seconds are kept: their transaction may still be
    in flight in another worker (pass 0 only when no other process is filing).
    """
    folder = directory or attachments_dir()
    if not folder.is_dir():
        return []
    cutoff = time.time() - older_than
    candidates: dict[str, list[Path]] = {}
    for path in folder.iterdir():
        try:
            if not path.is_file() or path.stat().st_mtime > cutoff:
                continue
        except FileNotFoundError:
            continue
        stem = path.name.removesuffix(THUMB_SUFFIX)
        candidates.setdefault(stem, []).append(path)
    removed: list[str] = []
    stems = sorted(candidates)
    for i in range(0, len(stems), 500):
        chunk = stems[i : i + 500]
        known = set(
            session.exec(select(Attachment.storage_name).where(Attachment.storage_name.in_(chunk)))
        )
        for stem in chunk:
            if stem not in known:
                for path in candidates[stem]:
                    path.unlink(missing_ok=True)
                    removed.append(path.name)
    return removed


# --- serving --------------------------------------------------------------------------------


def open_download(
    session: Session,
    actor: Actor,
    attachment_id: object,
    thumbnail: bool = False,
    directory: Path | None = None,
) -> tuple[Path, str, str]:
    """(path, download filename, content type) after re-checking that `actor` may see it."""
    row = session.get(Attachment, coerce_id(attachment_id, NOT_FOUND))
    if row is None:
        raise NotFound(NOT_FOUND)
    try:
        visibility.get_ticket_for(session, actor, row.ticket_id)
    except NotFound:
        raise NotFound(NOT_FOUND) from None
    if not visibility.can_see_attachment(session, actor, row):
        raise NotFound(NOT_FOUND)
    folder = directory or attachments_dir()
    if thumbnail:
        if not row.thumbnail_name:
            raise NotFound(NOT_FOUND)
        stem = os.path.splitext(row.filename)[0]
        return _existing(folder / row.thumbnail_name), f"{stem}-thumbnail.png", "image/png"
    return _existing(folder / row.storage_name), row.filename, row.content_type


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise NotFound(NOT_FOUND)
    return path
