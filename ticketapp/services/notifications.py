"""In-app and e-mail notifications."""

from __future__ import annotations

from sqlmodel import Session


def notify(
    session: Session, *, user_id: int, kind: str, ticket_id: int | None, subject: str, body: str
) -> None:
    """placeholder, replaced by routing branch"""
