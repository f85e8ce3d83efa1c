"""Refusals a person should read. Pages show `message` next to `field` (or as a toast).

The text given is a msgid with `{named}` placeholders filled from `params`; `message` is that
text in the language of the event being handled (ticketapp.i18n), read where it is shown.
"""

from __future__ import annotations

from ticketapp import i18n


class ServiceError(Exception):
    def __init__(self, message: str, field: str | None = None, **params: object):
        super().__init__(message.format(**params) if params else message)
        self.msgid = message
        self.params = params
        self.field = field

    @property
    def message(self) -> str:
        return i18n._(self.msgid, **self.params)


class ValidationError(ServiceError):
    """Bad input; `field` names the form field it belongs to."""


class PermissionDenied(ServiceError):
    def __init__(self, message: str = "You are not allowed to do that.", **params: object):
        super().__init__(message, **params)


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the record first (optimistic concurrency)."""
