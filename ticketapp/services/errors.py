"""Refusals a person should read. Pages show `message` next to `field` (or as a toast)."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(ServiceError):
    """Bad input; `field` names the form field it belongs to."""


class PermissionDenied(ServiceError):
    def __init__(self, message: str = "You are not allowed to do that."):
        super().__init__(message)


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the record first (optimistic concurrency)."""
