"""Checking what a person typed: the filing form (every wrong field at once, as FormInvalid),
the type-specific questions, and the single fields an agent edits."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from ticketapp.i18n import N_
from ticketapp.models import Category, Priority, Team, TicketType, User, utcnow
from ticketapp.services.errors import ValidationError
from ticketapp.services.ids import optional_id
from ticketapp.services.tickets.common import MAX_DESCRIPTION, MAX_DETAIL, MAX_TITLE

# Type-specific questions: field -> (label, kind).
DETAIL_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    TicketType.INCIDENT: {
        "affected_service": (N_("Affected service"), "text"),
        "started_at": (N_("When it started"), "datetime"),
    },
    TicketType.PROBLEM: {
        "steps": (N_("Steps to reproduce"), "text"),
        "expected": (N_("Expected result"), "text"),
        "actual": (N_("Actual result"), "text"),
    },
    TicketType.CHANGE_REQUEST: {
        "desired_date": (N_("Desired date"), "date"),
        "justification": (N_("Justification"), "text"),
    },
}
# What an empty answer is told, per question (whole sentences: translators need them).
DETAIL_REQUIRED = {
    "affected_service": N_("Enter the affected service."),
    "started_at": N_("Enter when it started."),
    "steps": N_("Enter the steps to reproduce."),
    "expected": N_("Enter the expected result."),
    "actual": N_("Enter the actual result."),
    "desired_date": N_("Enter the desired date."),
    "justification": N_("Enter the justification."),
}


class FormInvalid(ValidationError):
    """Several fields are wrong at once; `errors` maps field -> message (first one is `field`)."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__(errors[first], first)
        self.errors = errors


def clean_text(value: object, field_name: str, empty: str, max_len: int) -> str:
    """Stripped text; `empty` is the msgid telling that it is missing."""
    text = str(value or "").strip()
    if not text:
        raise ValidationError(empty, field_name)
    if len(text) > max_len:
        raise ValidationError("Keep it under {max:,} characters.", field_name, max=max_len)
    return text


def clean_title(value: object) -> str:
    title = clean_text(value, "title", N_("Enter a short title."), MAX_TITLE)
    return " ".join(title.split())


def clean_enum(value: object, enum: type, field_name: str, message: str) -> str:
    try:
        return enum(str(value)).value
    except ValueError:
        raise ValidationError(message, field_name) from None


def clean_category(session: Session, value: object) -> int | None:
    cid = optional_id(value, "category_id", N_("Choose a category."))
    if cid is not None and session.get(Category, cid) is None:
        raise ValidationError("Choose a category.", "category_id")
    return cid


def clean_team(session: Session, value: object) -> int | None:
    tid = optional_id(value, "team_id", N_("Choose a team."))
    if tid is not None and session.get(Team, tid) is None:
        raise ValidationError("Choose a team.", "team_id")
    return tid


def clean_assignee(session: Session, value: object) -> int | None:
    uid = optional_id(value, "assignee_id", N_("Choose an agent."))
    if uid is None:
        return None
    user = session.get(User, uid)
    if user is None or not user.is_active or user.role not in ("agent", "manager"):
        raise ValidationError("Choose an active agent or manager.", "assignee_id")
    return uid


def _clean_detail(kind: str, value: object, empty: str, now: datetime) -> str:
    if kind == "text":
        return clean_text(value, "", empty, MAX_DETAIL)
    text = str(value or "").strip()
    if not text:
        raise ValidationError(empty)
    if kind == "date":
        try:
            day = value if isinstance(value, date) else date.fromisoformat(text[:10])
        except ValueError:
            raise ValidationError("Enter a date like 2030-01-31.") from None
        if day < now.date():
            raise ValidationError("Choose today or a later date.")
        return day.isoformat()
    try:
        when = value if isinstance(value, datetime) else datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError("Enter a date and time like 2030-01-31 14:30.") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=now.tzinfo)
    if when > now + timedelta(days=1):
        raise ValidationError("That is in the future.")
    return when.isoformat()


def clean_details(ticket_type: str, details: object, now: datetime | None = None) -> dict:
    """The type-specific answers, cleaned; unknown keys are dropped. Raises FormInvalid."""
    now = now or utcnow()
    given = details if isinstance(details, dict) else {}
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for name, (_label, kind) in DETAIL_FIELDS.get(ticket_type, {}).items():
        try:
            clean[name] = _clean_detail(kind, given.get(name), DETAIL_REQUIRED[name], now)
        except ValidationError as exc:
            errors[name] = exc.message
    if errors:
        raise FormInvalid(errors)
    return clean


def validate_ticket_form(
    session: Session,
    *,
    title: object,
    description: object,
    type: object,
    category_id: object,
    impact: object,
    details: object,
) -> dict[str, Any]:
    """Every field checked at once; raises FormInvalid(errors) listing each wrong field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def check(name: str, fn, *args) -> None:
        try:
            out[name] = fn(*args)
        except FormInvalid as exc:
            errors.update(exc.errors)
        except ValidationError as exc:
            errors[name] = exc.message

    check("title", clean_title, title)
    no_description = N_("Enter a description.")
    check("description", clean_text, description, "description", no_description, MAX_DESCRIPTION)
    check("type", clean_enum, type, TicketType, "type", N_("Choose a type."))
    check("category_id", clean_category, session, category_id)
    impact = impact or Priority.NORMAL
    check("impact", clean_enum, impact, Priority, "impact", N_("Choose an impact."))
    if "type" in out:
        check("details", clean_details, out["type"], details)
    if errors:
        raise FormInvalid(errors)
    return out
