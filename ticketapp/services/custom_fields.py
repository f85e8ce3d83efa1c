"""Custom fields: managers define extra fields per ticket type (text, long text, number, date,
single and multi select, checkbox), required or not, visible to requesters or staff-only.

Values are stored as text (a multi select as a JSON list): changing a definition (its label,
type, options, required) never rewrites or drops a stored value; a value that no longer fits
its field's new type is shown as it was stored, and checked again only when someone edits it.
A field is archived, not deleted, so its values stay readable (staff) and exported.

Who sees what: a requester reads and fills in (when filing) only public fields of their own
tickets; staff read every field and edit values on the ticket page or through the API. Every
change of a value writes a "custom_field" event (the field's label, old and new value) in the
ticket's history, which requesters do not see.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.models import (
    CustomField,
    CustomFieldValue,
    FieldKind,
    TicketType,
    utcnow,
)
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.audit import record_event
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.ids import coerce_id
from ticketapp.services.tickets.common import touch
from ticketapp.services.tickets.validation import FormInvalid
from ticketapp.services.visibility import get_ticket_for

MAX_LABEL = 80
MAX_OPTIONS = 50
MAX_OPTION = 80
MAX_TEXT = 500
MAX_LONG_TEXT = 5_000
MAX_FIELDS_PER_TYPE = 30
FIELD_NOT_FOUND = N_("That field does not exist (any more).")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class FieldDef:
    id: int
    ticket_type: str
    label: str
    kind: str
    options: tuple[str, ...]
    required: bool
    public: bool
    position: int
    active: bool

    @property
    def key(self) -> str:
        """The form field name of this field (pages, API errors)."""
        return f"cf_{self.id}"


@dataclass(frozen=True)
class FieldValue:
    """One field of one ticket as a reader sees it: `value` as stored ("" = none)."""

    field: FieldDef
    value: str

    @property
    def values(self) -> list[str]:
        """A multi select's options (others: the value alone, or nothing)."""
        return (
            stored_list(self.value)
            if self.field.kind == FieldKind.MULTI_SELECT
            else ([self.value] if self.value else [])
        )

    @property
    def display(self) -> str:
        return display_value(self.field, self.value)


def _def(f: CustomField) -> FieldDef:
    assert f.id is not None
    return FieldDef(
        id=f.id,
        ticket_type=f.ticket_type,
        label=f.label,
        kind=f.kind,
        options=tuple(f.options or ()),
        required=f.required,
        public=f.public,
        position=f.position,
        active=f.active,
    )


def stored_list(value: str) -> list[str]:
    """A stored multi select (a JSON list); a value stored under another type reads as one item."""
    if not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return [value]
    return [str(i) for i in items] if isinstance(items, list) else [value]


def display_value(field: FieldDef, value: str) -> str:
    """The value in words: a checkbox as Yes/No, a multi select joined by commas."""
    if value == "":
        return ""
    if field.kind == FieldKind.CHECKBOX and value in ("true", "false"):
        return i18n._("Yes") if value == "true" else i18n._("No")
    if field.kind == FieldKind.MULTI_SELECT:
        return ", ".join(stored_list(value))
    return value


# --------------------------------------------------------------------------- definitions


def list_fields(
    session: Session,
    actor: Actor,
    ticket_type: object = None,
    *,
    archived: bool = False,
) -> list[FieldDef]:
    """The fields `actor` may see (of one type when given), in form order. Requesters: public
    active fields only; `archived` (managers' admin page) adds archived ones."""
    stmt = select(CustomField)
    if ticket_type not in (None, ""):
        stmt = stmt.where(CustomField.ticket_type == str(ticket_type))
    if not actor.is_staff:
        stmt = stmt.where(col(CustomField.public).is_(True))
    if not (archived and actor.is_manager):
        stmt = stmt.where(col(CustomField.active).is_(True))
    stmt = stmt.order_by(
        col(CustomField.ticket_type), col(CustomField.position), col(CustomField.id)
    )
    return [_def(f) for f in session.exec(stmt).all()]


def _clean_options(kind: str, raw: object) -> list[str]:
    items = raw if isinstance(raw, list | tuple) else str(raw or "").splitlines()
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            if len(text) > MAX_OPTION:
                raise ValidationError(
                    "An option is at most {max} characters.", "options", max=MAX_OPTION
                )
            out.append(text)
    if kind in (FieldKind.SELECT, FieldKind.MULTI_SELECT) and not out:
        raise ValidationError("List at least one option, one per line.", "options")
    if len(out) > MAX_OPTIONS:
        raise ValidationError("At most {max} options.", "options", max=MAX_OPTIONS)
    return out


def _clean_definition(
    ticket_type: object, label: object, kind: object, options: object
) -> tuple[str, str, str, list[str]]:
    errors: dict[str, str] = {}
    type_ = str(ticket_type or "")
    if type_ not in {t.value for t in TicketType}:
        errors["ticket_type"] = i18n._("Choose a ticket type.")
    label_ = " ".join(str(label or "").split())
    if not label_:
        errors["label"] = i18n._("Give the field a name.")
    elif len(label_) > MAX_LABEL:
        errors["label"] = i18n._("A name is at most {max} characters.", max=MAX_LABEL)
    kind_ = str(kind or "")
    if kind_ not in {k.value for k in FieldKind}:
        errors["kind"] = i18n._("Choose a field type.")
    opts: list[str] = []
    try:
        opts = _clean_options(kind_, options)
    except ValidationError as exc:
        errors["options"] = exc.message
    if errors:
        raise FormInvalid(errors)
    return type_, label_, kind_, opts


def save_field(
    session: Session,
    actor: Actor,
    field_id: object = None,
    *,
    ticket_type: object,
    label: object,
    kind: object,
    options: object = (),
    required: object = False,
    public: object = True,
) -> FieldDef:
    """Create (no `field_id`) or change a field definition (manager). Stored values are kept
    whatever changes; a field whose options shrink keeps tickets' old choices."""
    require_manager(actor)
    type_, label_, kind_, opts = _clean_definition(ticket_type, label, kind, options)
    if field_id in (None, "", 0):
        count = len(list_fields(session, actor, type_))
        if count >= MAX_FIELDS_PER_TYPE:
            raise ValidationError(
                "A ticket type has at most {max} fields.", "label", max=MAX_FIELDS_PER_TYPE
            )
        field = CustomField(ticket_type=type_, position=count)
    else:
        field = _get(session, field_id)
    field.ticket_type, field.label, field.kind, field.options = type_, label_, kind_, opts
    field.required = _flag(required)
    field.public = _flag(public)
    field.updated_at = utcnow()
    session.add(field)
    session.flush()
    return _def(field)


def _flag(value: object) -> bool:
    return value is True or str(value).strip().lower() in _TRUE


def _get(session: Session, field_id: object) -> CustomField:
    field = session.get(CustomField, coerce_id(field_id, FIELD_NOT_FOUND))
    if field is None:
        raise NotFound(FIELD_NOT_FOUND)
    return field


def set_field_active(session: Session, actor: Actor, field_id: object, active: bool) -> FieldDef:
    """Archive (hide from forms; values kept) or restore a field (manager)."""
    require_manager(actor)
    field = _get(session, field_id)
    field.active = bool(active)
    field.updated_at = utcnow()
    session.add(field)
    session.flush()
    return _def(field)


# --------------------------------------------------------------------------- values


def _invalid(field: FieldDef, msgid: str, **params: object) -> ValidationError:
    return ValidationError(msgid, field.key, **params)


def clean_value(field: FieldDef, raw: object) -> str:
    """A value as stored ("" = none) or ValidationError on the field's key. Required is
    checked by the callers (a partial update leaves other fields alone)."""
    if raw is None or (isinstance(raw, str | list | tuple) and len(raw) == 0):
        return ""
    kind = field.kind
    if kind == FieldKind.CHECKBOX:
        return "true" if _flag(raw) else "false"
    if kind == FieldKind.MULTI_SELECT:
        items = raw if isinstance(raw, list | tuple) else stored_list(str(raw))
        chosen = [str(i).strip() for i in items if str(i).strip()]
        bad = [c for c in chosen if c not in field.options]
        if bad:
            raise _invalid(field, N_("Choose from the listed options."))
        return json.dumps([o for o in field.options if o in chosen]) if chosen else ""
    text = str(raw).strip()
    if not text:
        return ""
    if kind == FieldKind.SELECT:
        if text not in field.options:
            raise _invalid(field, N_("Choose from the listed options."))
        return text
    if kind == FieldKind.NUMBER:
        return _number(field, text)
    if kind == FieldKind.DATE:
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise _invalid(field, N_("Enter a date as YYYY-MM-DD.")) from None
    limit = MAX_LONG_TEXT if kind == FieldKind.LONG_TEXT else MAX_TEXT
    if len(text) > limit:
        raise _invalid(field, N_("At most {max:,} characters."), max=limit)
    return text


def _number(field: FieldDef, text: str) -> str:
    try:
        number = Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise _invalid(field, N_("Enter a number, e.g. 42 or 3.5.")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise _invalid(field, N_("Enter a number, e.g. 42 or 3.5."))
    return format(number.normalize(), "f")


def _clean_all(
    fields: Iterable[FieldDef], raw: dict, *, partial: bool
) -> tuple[dict[int, str], dict[str, str]]:
    """Cleaned values by field id, and errors by field key. `partial`: only the keys given."""
    values: dict[int, str] = {}
    errors: dict[str, str] = {}
    for field in fields:
        given = field.key in raw or str(field.id) in raw
        if partial and not given:
            continue
        try:
            value = clean_value(field, raw.get(field.key, raw.get(str(field.id))))
        except ValidationError as exc:
            errors[field.key] = exc.message
            continue
        missing = value == "" or (field.kind == FieldKind.CHECKBOX and value == "false")
        if field.required and missing:
            errors[field.key] = i18n._("{field} is required.", field=field.label)
            continue
        values[field.id] = value
    return values, errors


def _raw_dict(raw: object) -> dict:
    return {str(k): v for k, v in raw.items()} if isinstance(raw, dict) else {}


def check_for_filing(
    session: Session, actor: Actor, ticket_type: object, raw: object
) -> tuple[dict[int, str], dict[str, str]]:
    """The values a filing form gives for its type's fields the filer may see, and errors by
    field key (required fields must be filled; a requester never sets a staff-only field)."""
    fields = list_fields(session, actor, str(ticket_type or ""))
    return _clean_all(fields, _raw_dict(raw), partial=False)


def _stored(session: Session, ticket_id: int) -> dict[int, CustomFieldValue]:
    rows = session.exec(
        select(CustomFieldValue).where(CustomFieldValue.ticket_id == ticket_id)
    ).all()
    return {r.field_id: r for r in rows}


def _write(
    session: Session,
    actor: Actor,
    ticket_id: int,
    fields: dict[int, FieldDef],
    values: dict[int, str],
    *,
    record: bool = True,
) -> int:
    """Store values (an empty one removes the row); an event per change. Returns the count."""
    stored = _stored(session, ticket_id)
    now = utcnow()
    changed = 0
    for fid, value in values.items():
        row = stored.get(fid)
        old = row.value if row else ""
        if old == value:
            continue
        if row is None:
            session.add(CustomFieldValue(ticket_id=ticket_id, field_id=fid, value=value))
        elif value == "":
            session.delete(row)
        else:
            row.value, row.updated_at = value, now
            session.add(row)
        if record:
            field = fields[fid]
            label = field.label[:40]
            old_text, new_text = display_value(field, old), display_value(field, value)
            record_event(session, ticket_id, actor, "custom_field", label, old_text, new_text, now)
        changed += 1
    session.flush()
    return changed


def store_filed(session: Session, actor: Actor, ticket_id: int, values: dict[int, str]) -> None:
    """The values checked by check_for_filing, stored with the new ticket (no event: the
    "created" event covers them)."""
    filled = {k: v for k, v in values.items() if v}
    if not filled:
        return
    fields = {f.id: f for f in list_fields(session, actor)}
    _write(session, actor, ticket_id, fields, filled, record=False)


def set_values(session: Session, actor: Actor, ticket_id: object, raw: object) -> int:
    """Staff: change some custom field values of a ticket (keys "cf_<id>" or "<id>"). Every
    given field must belong to the ticket's type (or hold a value already); errors for all
    bad fields at once (FormInvalid). Returns how many values changed."""
    require_staff(actor)
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    assert ticket.id is not None
    raw_ = _raw_dict(raw)
    fields = _fields_of(session, actor, ticket.type, ticket.id)
    unknown = [k for k in raw_ if k not in {f.key for f in fields} | {str(f.id) for f in fields}]
    if unknown:
        raise ValidationError("{name} is not a field of this ticket.", unknown[0], name=unknown[0])
    values, errors = _clean_all(fields, raw_, partial=True)
    if errors:
        raise FormInvalid(errors)
    changed = _write(session, actor, ticket.id, {f.id: f for f in fields}, values)
    if changed:
        touch(session, ticket.id, updated_at=utcnow())
    return changed


def _fields_of(
    session: Session,
    actor: Actor,
    ticket_type: str,
    ticket_id: int,
    stored: dict[int, CustomFieldValue] | None = None,
) -> list[FieldDef]:
    """The fields shown on a ticket: its type's active ones the actor may see, then any other
    (archived, another type's) that holds a value (the actor may see)."""
    if stored is None:
        stored = _stored(session, ticket_id)
    shown = list_fields(session, actor, ticket_type)
    ids = {f.id for f in shown}
    extra_ids = [fid for fid in stored if fid not in ids]
    if extra_ids:
        rows = session.exec(select(CustomField).where(col(CustomField.id).in_(extra_ids))).all()
        extra = [_def(r) for r in rows if actor.is_staff or r.public]
        shown += sorted(extra, key=lambda f: (f.ticket_type, f.position, f.id))
    return shown


def ticket_values(session: Session, actor: Actor, ticket_id: object) -> list[FieldValue]:
    """The custom fields of a ticket with their values, as `actor` may see them."""
    ticket = get_ticket_for(session, actor, ticket_id)
    assert ticket.id is not None
    stored = _stored(session, ticket.id)
    return [
        FieldValue(f, stored[f.id].value if f.id in stored else "")
        for f in _fields_of(session, actor, ticket.type, ticket.id, stored)
    ]


def values_by_ticket(
    session: Session, actor: Actor, ticket_ids: Iterable[int]
) -> dict[int, dict[int, str]]:
    """Stored values (field id -> value) of many tickets the caller has already scoped to
    `actor`; staff-only fields left out for requesters (CSV export, API lists)."""
    ids = list(ticket_ids)
    if not ids:
        return {}
    stmt = (
        select(CustomFieldValue.ticket_id, CustomFieldValue.field_id, CustomFieldValue.value)
        .join(CustomField, col(CustomField.id) == CustomFieldValue.field_id)
        .where(col(CustomFieldValue.ticket_id).in_(ids))
    )
    if not actor.is_staff:
        stmt = stmt.where(col(CustomField.public).is_(True))
    out: dict[int, dict[int, str]] = {}
    for tid, fid, value in session.exec(stmt).all():
        out.setdefault(tid, {})[fid] = value
    return out
