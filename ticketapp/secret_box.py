"""Secrets the app must read back (an IMAP mailbox's password), encrypted at rest.

The key: TICKETAPP_ENCRYPTION_KEY (a Fernet key: 32 url-safe base64 bytes), else the file
`encryption_key` in the data directory, generated on first use (mode 0600), as the HMAC secret
key is (config.py). It is not the HMAC key: rotating that one (sessions, reply tokens) must not
lose the stored passwords. Back the key up with the database: without it the stored passwords
cannot be read, and managers enter them again.

A stored value is `enc:v1:<Fernet token>` (AES-128-CBC + HMAC-SHA256, from `cryptography`).
`EncryptedText` is the column type that seals on write and opens on read, so the model
attribute holds the clear text and the database never does.
"""

from __future__ import annotations

import logging
import os
import time
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)
PREFIX = "enc:v1:"


def _key_file() -> Path:
    from ticketapp.config import settings

    return settings.data_dir / "encryption_key"


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def key() -> str:
    """The key from the environment, or the data directory's key file (made when missing)."""
    given = os.environ.get("TICKETAPP_ENCRYPTION_KEY", "").strip()
    if given:
        return given
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # exclusive: of several workers starting at once, one writes the key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(Fernet.generate_key().decode())
    for _ in range(100):  # another worker may be writing it this very moment
        text = path.read_text().strip()
        if text:
            return text
        time.sleep(0.01)
    raise RuntimeError(f"the encryption key file {path} is empty")


def seal(text: str) -> str:
    """`text` encrypted (empty stays empty: no secret stored)."""
    if not text:
        return ""
    return PREFIX + _fernet(key()).encrypt(text.encode()).decode()


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def open_(stored: str) -> str:
    """The clear text of a stored value; "" when it cannot be read (another key): the secret
    reads as not set, so the form asks for it again. A value from before encryption (no
    prefix) is returned as it is until the migration or the next save seals it."""
    if not stored or not is_sealed(stored):
        return stored or ""
    try:
        return _fernet(key()).decrypt(stored[len(PREFIX) :].encode()).decode()
    except (InvalidToken, ValueError):
        log.warning("a stored secret cannot be decrypted with this encryption key")
        return ""


class EncryptedText(TypeDecorator):
    """A string column holding `seal(value)`; Python sees the clear text."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else seal(str(value))

    def process_result_value(self, value, dialect):
        return None if value is None else open_(value)
