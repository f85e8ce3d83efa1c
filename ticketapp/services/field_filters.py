"""Filters by tag and by custom field value: SQL conditions on Ticket for the ticket list, the
board and analytics (they sit apart from services/tags.py and custom_fields.py so that the
listing modules can import them without a cycle)."""

from __future__ import annotations

import json
import re

from sqlalchemy import exists, false
from sqlmodel import col, select

from ticketapp.i18n import N_
from ticketapp.models import CustomField, CustomFieldValue, FieldKind, Tag, Ticket, TicketTag
from ticketapp.services.errors import ValidationError
from ticketapp.services.ids import optional_id

MAX_TAG = 50
SPACES = re.compile(r"[\s_]+")
_ALLOWED = re.compile(r"^[\w][\w.+#-]*$")


def normalize(raw: object) -> str:
    """The stored form of a tag (lower case, words joined by "-"), or ValidationError."""
    name = SPACES.sub("-", str(raw or "").strip().lower()).strip("-")
    if not name:
        raise ValidationError("Type a tag.", "tag")
    if len(name) > MAX_TAG:
        raise ValidationError("A tag is at most {max} characters.", "tag", max=MAX_TAG)
    if not _ALLOWED.match(name):
        raise ValidationError("Use letters, digits and - . + # in a tag.", "tag")
    return name


def has_tag(raw: object):
    """The ticket carries this tag (no ticket carries a malformed one)."""
    try:
        name = normalize(raw)
    except ValidationError:
        return false()
    return exists(
        select(TicketTag.ticket_id)
        .join(Tag, col(Tag.id) == TicketTag.tag_id)
        .where(TicketTag.ticket_id == Ticket.id, Tag.name == name)
    )


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def has_field_value(session, field_id: object, raw: object):
    """The ticket's value of custom field `field_id` matches `raw`: equal (a multi select:
    holds that option; text: contains it, any case; a checkbox: "true"/"false")."""
    fid = optional_id(field_id, "field", N_("Choose a field."))
    field = session.get(CustomField, fid) if fid else None
    if field is None:
        raise ValidationError("Choose a field.", "field")
    value = str(raw or "").strip()[:200]
    stored = col(CustomFieldValue.value)
    if field.kind == FieldKind.MULTI_SELECT:
        # (a value stored while the field was a single select or text: the value itself)
        cond = stored.like(f"%{_like_escaped(json.dumps(value))}%", escape="\\") | (stored == value)
    elif field.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        cond = stored.ilike(f"%{_like_escaped(value)}%", escape="\\")
    elif field.kind == FieldKind.CHECKBOX:
        cond = stored == ("true" if value.lower() in ("1", "true", "yes", "on") else "false")
    else:
        cond = stored == value
    return exists(
        select(CustomFieldValue.ticket_id).where(
            CustomFieldValue.ticket_id == Ticket.id, CustomFieldValue.field_id == fid, cond
        )
    )
