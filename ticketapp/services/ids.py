"""Ids and small numbers as they arrive from a browser (strings, garbage, booleans): coerced to
ints and range-checked, or refused with a message a person can read."""

from __future__ import annotations

from ticketapp.i18n import N_
from ticketapp.services.errors import NotFound, ValidationError

MAX_DB_INT = 2**31 - 1
# One message for a ticket id that is malformed, missing or not the actor's to see, so a
# requester cannot probe which ticket ids exist.
NOT_FOUND = N_("That ticket does not exist or you cannot see it.")


def coerce_id(value: object, not_found: str = NOT_FOUND) -> int:
    """An id from a browser as a positive int, or NotFound(`not_found`, a msgid)."""
    if isinstance(value, bool):
        raise NotFound(not_found)
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        n = 0
    if not 0 < n <= MAX_DB_INT:
        raise NotFound(not_found)
    return n


def optional_id(value: object, field_name: str, message: str) -> int | None:
    """An optional id form field: None when empty, else a positive int or ValidationError."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(message, field_name)
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(message, field_name) from None
    if not 0 < n <= MAX_DB_INT:
        raise ValidationError(message, field_name)
    return n


def int_in(value: object, lo: int, hi: int, field_name: str, message: str) -> int:
    """An int form field within lo..hi, or ValidationError."""
    if isinstance(value, bool):
        raise ValidationError(message, field_name)
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(message, field_name) from None
    if not lo <= n <= hi:
        raise ValidationError(message, field_name)
    return n
