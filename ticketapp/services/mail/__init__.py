"""The e-mail channel: intake of raw messages (`ingest`), the signed reply tokens that thread
replies into their ticket, and the threading headers of the e-mails the app sends."""

from ticketapp.services.mail.intake import (
    CREATED,
    DROPPED,
    QUARANTINED,
    REPLIED,
    DuplicateMessage,
    Outcome,
    followers,
    ingest,
    ingest_and_commit,
    quarantine,
)

__all__ = [
    "CREATED",
    "DROPPED",
    "QUARANTINED",
    "REPLIED",
    "DuplicateMessage",
    "ingest_and_commit",
    "Outcome",
    "followers",
    "ingest",
    "quarantine",
]
