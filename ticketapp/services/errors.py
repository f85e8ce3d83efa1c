"""Refusals a person should read. Pages show `message` next to `field` (or as a toast).

The text given is a msgid with `{named}` placeholders filled from `params` (never an f-string:
the catalogs cannot hold it; `{max:,}` groups digits the locale's way); `message` is that text
in the language of the event being handled (ticketapp.i18n), read where it is shown.
"""

from __future__ import annotations

from ticketapp import i18n


class ServiceError(Exception):
    def __init__(self, message: str, field: str | None = None, **params: object):
        super().__init__(message)
        self.msgid = message
        self.params = params
        self.field = field

    @property
    def message(self) -> str:
        """The message in the current locale; a parameter made with `i18n.later` (a label that
        is a msgid itself) is translated too."""
        return i18n._(self.msgid, **self.params)

    def __str__(self) -> str:
        return self.message


class ValidationError(ServiceError):
    """Bad input; `field` names the form field it belongs to."""


class TooManyRequests(ValidationError):
    """An abuse limit: the person acts faster than allowed and may try again after
    `retry_after` seconds (the API answers 429 with Retry-After; forms show the message)."""

    def __init__(self, message: str, retry_after: int = 60, **params: object):
        super().__init__(message, **params)
        self.retry_after = retry_after


NOT_ALLOWED = i18n.N_("You are not allowed to do that.")


class PermissionDenied(ServiceError):
    def __init__(self, message: str = NOT_ALLOWED, **params: object):
        super().__init__(message, **params)


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the record first (optimistic concurrency)."""
