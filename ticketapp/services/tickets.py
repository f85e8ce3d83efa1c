"""Tickets: filing, the ticket page, conversation, lifecycle moves, lists and bulk actions.

Rules that hold for every function here:
- the acting user comes first after the session, and permission is checked here: a requester
  only ever reaches tickets they filed; anyone else's ticket reads as "does not exist";
- ids may arrive as strings or garbage from a browser: they are coerced and checked;
- every change writes its TicketEvent in the same transaction; nothing here commits.

Versioning: `Ticket.version` (a SQLAlchemy version_id_col) moves when an agent-editable field,
the status or the board rank changes. Appending to the conversation, logging time and "seen"
markers update timestamps with a plain UPDATE and do not move it, so an agent editing fields is
not refused because someone added a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, or_, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from ticketapp.models import (
    PRIORITY_LABELS,
    TYPE_LABELS,
    Attachment,
    Category,
    Comment,
    Priority,
    SatisfactionRating,
    Team,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketStatus,
    TicketType,
    TimeEntry,
    User,
    utcnow,
)
from ticketapp.services import lifecycle, notifications, ranking, routing, sla
from ticketapp.services.actor import Actor, require_staff
from ticketapp.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationError,
)

FIRST_NUMBER = 1001
_COLUMN_LOCK = 80_001  # advisory lock class for board columns (PostgreSQL)
MAX_DB_INT = 2**31 - 1
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_COMMENT = 20_000
MAX_DETAIL = 5_000
MAX_PAGE_SIZE = 200
NOT_FOUND = "That ticket does not exist or you cannot see it."
# Fields an agent or manager may change with update_fields / bulk_update.
EDITABLE_FIELDS = ("title", "priority", "type", "category_id", "assignee_id", "team_id", "status")
# Type-specific questions: field -> (label, kind).
DETAIL_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    TicketType.INCIDENT: {
        "affected_service": ("Affected service", "text"),
        "started_at": ("When it started", "datetime"),
    },
    TicketType.PROBLEM: {
        "steps": ("Steps to reproduce", "text"),
        "expected": ("Expected result", "text"),
        "actual": ("Actual result", "text"),
    },
    TicketType.CHANGE_REQUEST: {
        "desired_date": ("Desired date", "date"),
        "justification": ("Justification", "text"),
    },
}
# Event kinds a requester sees in their ticket's history.
REQUESTER_EVENT_KINDS = frozenset({"created", "status_changed", "merged"})
_NUMBER_RE = re.compile(r"^#?\s*(\d{1,9})$")


class FormInvalid(ValidationError):
    """Several fields are wrong at once; `errors` maps field -> message (first one is `field`)."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__(errors[first], first)
        self.errors = errors


# --- read models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketRef:
    id: int
    number: int
    title: str
    status: str
    version: int


@dataclass(frozen=True)
class AttachmentView:
    id: int
    filename: str
    content_type: str
    size: int
    has_thumbnail: bool
    is_image: bool
    comment_id: int | None
    uploader_name: str
    created_at: datetime


@dataclass(frozen=True)
class CommentView:
    id: int
    author_id: int
    author_name: str
    author_is_staff: bool
    body: str
    internal: bool
    created_at: datetime
    attachments: list[AttachmentView] = field(default_factory=list)


@dataclass(frozen=True)
class EventView:
    id: int
    kind: str
    actor_name: str
    created_at: datetime
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None = None  # ROUTING: why an automatic rule did it


@dataclass(frozen=True)
class TimeEntryView:
    id: int
    user_name: str
    minutes: int
    note: str
    created_at: datetime


@dataclass(frozen=True)
class LinkView:
    ticket_id: int
    number: int
    title: str
    status: str
    kind: str


@dataclass(frozen=True)
class TicketView:
    id: int
    number: int
    title: str
    description: str
    status: str
    status_label: str
    priority: str
    type: str
    type_label: str
    impact: str
    category_id: int | None
    category_name: str
    requester_id: int
    requester_name: str
    requester_email: str
    assignee_id: int | None
    assignee_name: str
    team_id: int | None
    team_name: str
    details: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int
    resolution_count: int
    can_rate: bool
    rating_score: int | None
    allowed_statuses: list[str]
    attachments: list[AttachmentView]
    conversation: list[CommentView]
    history: list[EventView]
    time_entries: list[TimeEntryView]
    total_minutes: int
    links: list[LinkView]
    merged_into: LinkView | None
    merged_from: list[LinkView]


@dataclass(frozen=True)
class TicketRow:
    id: int
    number: int
    title: str
    status: str
    status_label: str
    priority: str
    type: str
    category_name: str
    requester_name: str
    assignee_id: int | None
    assignee_name: str
    team_name: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    version: int
    unread: int = 0
    sla_state: str = ""  # SLA badge (staff lists): ok | warning | breached | paused | met
    sla_label: str = ""


@dataclass(frozen=True)
class BulkOutcome:
    ticket_id: int | str
    number: int | None
    ok: bool
    message: str


# --- small helpers --------------------------------------------------------------------------


def coerce_id(value: object, what: str = "ticket") -> int:
    """An id from a browser as a positive int, or NotFound."""
    if isinstance(value, bool):
        raise NotFound(NOT_FOUND if what == "ticket" else f"That {what} does not exist.")
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        n = 0
    if not 0 < n <= MAX_DB_INT:
        raise NotFound(NOT_FOUND if what == "ticket" else f"That {what} does not exist.")
    return n


def _optional_id(value: object, field_name: str, message: str) -> int | None:
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


def _int_in(value: object, lo: int, hi: int, field_name: str, message: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(message, field_name)
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(message, field_name) from None
    if not lo <= n <= hi:
        raise ValidationError(message, field_name)
    return n


def can_see(actor: Actor, ticket: Ticket) -> bool:
    return actor.is_staff or ticket.requester_id == actor.id


def get_ticket_for(
    session: Session, actor: Actor, ticket_id: object, *, lock: bool = False
) -> Ticket:
    """The ticket if `actor` may see it (row-locked on PostgreSQL when `lock`), else NotFound."""
    tid = coerce_id(ticket_id)
    if lock:
        ticket = session.get(Ticket, tid, with_for_update=True, populate_existing=True)
    else:
        ticket = session.get(Ticket, tid)
    if ticket is None or not can_see(actor, ticket):
        raise NotFound(NOT_FOUND)
    return ticket


def ticket_id_for_number(session: Session, actor: Actor, number: object) -> int:
    """Resolve a ticket number ("1001" or "#1001") the actor may see to its id."""
    match = _NUMBER_RE.match(str(number).strip()) if number is not None else None
    if not match:
        raise NotFound(NOT_FOUND)
    ticket = session.exec(select(Ticket).where(Ticket.number == int(match.group(1)))).first()
    if ticket is None or not can_see(actor, ticket):
        raise NotFound(NOT_FOUND)
    assert ticket.id is not None
    return ticket.id


def record_event(
    session: Session,
    ticket_id: int,
    actor: Actor | None,
    kind: str,
    field_name: str | None = None,
    old: object = None,
    new: object = None,
    at: datetime | None = None,
) -> None:
    session.add(
        TicketEvent(
            ticket_id=ticket_id,
            actor_id=actor.id if actor else None,
            created_at=at or utcnow(),
            kind=kind,
            field=field_name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
        )
    )


def _touch(session: Session, ticket_id: int, **values: Any) -> None:
    """Update bookkeeping timestamps without moving the ticket's version."""
    session.execute(update(Ticket).where(col(Ticket.id) == ticket_id).values(**values))


def last_changed_by(session: Session, ticket_id: int) -> str:
    row = session.exec(
        select(TicketEvent.actor_id, User.name)
        .join(User, col(User.id) == TicketEvent.actor_id, isouter=True)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(col(TicketEvent.id).desc())
        .limit(1)
    ).first()
    if row is None:
        return "someone else"
    return row[1] or "an automatic rule"


def check_version(session: Session, ticket: Ticket, expected_version: object) -> None:
    """Refuse a change made on a stale copy (None = no check, e.g. bulk actions)."""
    if expected_version is None:
        return
    expected = _int_in(expected_version, 1, MAX_DB_INT, "version", "Reload the ticket.")
    if expected != ticket.version:
        assert ticket.id is not None
        who = last_changed_by(session, ticket.id)
        raise Conflict(
            f"Ticket #{ticket.number} was changed by someone else ({who}) after you opened it. "
            "Your change was not saved: review the latest version and try again."
        )


def flush_ticket(session: Session, ticket: Ticket) -> None:
    """Flush; a concurrent UPDATE that won the race surfaces as Conflict."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"Ticket #{ticket.number} was changed by someone else at the same moment. "
            "Your change was not saved: reload and try again."
        ) from None


def lock_column(session: Session, status: str) -> None:
    """Serialize rank (and ticket number) computations on one board column until commit.

    Two concurrent transactions reading the same neighbours would write the same rank (and two
    filings the same number). SQLite writers are serialized already (BEGIN IMMEDIATE); on
    PostgreSQL this takes a transaction-scoped advisory lock per column. Found by the load test
    (tests/bench/load_test.py: 4 workers on PostgreSQL filed tickets with equal ranks, and
    filing ran out of number retries).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:k, hashtext(:s))"),
            {"k": _COLUMN_LOCK, "s": str(status)},
        )


def bottom_rank(session: Session, status: str) -> str:
    """A rank below every card in a board column (locks the column: see lock_column)."""
    lock_column(session, status)
    with session.no_autoflush:
        top = session.exec(
            select(func.max(Ticket.rank)).where(Ticket.status == status, Ticket.rank != "")
        ).one()
    if top and ranking.is_valid(top):
        return ranking.rank_between(top, None)
    return ranking.rank_between(None, None)


def apply_status(
    session: Session,
    ticket: Ticket,
    target: object,
    actor: Actor | None,
    now: datetime,
    rank: str | None = None,
) -> bool:
    """Move a ticket through the lifecycle (with its side effects and event). False if a no-op."""
    tgt = lifecycle.parse_status(target)
    if tgt == ticket.status:
        return False
    lifecycle.check_transition(ticket.status, tgt, actor)
    if rank is None:
        rank = bottom_rank(session, tgt)
    old = ticket.status
    ticket.status = tgt
    ticket.rank = rank
    ticket.updated_at = now
    if tgt == TicketStatus.RESOLVED:
        ticket.resolution_count += 1
        ticket.resolved_at = now
    if tgt == TicketStatus.CLOSED:
        ticket.closed_at = now
    elif old == TicketStatus.CLOSED:
        ticket.closed_at = None
    session.add(ticket)
    assert ticket.id is not None
    record_event(session, ticket.id, actor, "status_changed", "status", old, tgt, now)
    sla.on_status_change(session, ticket, old, tgt)  # SLA: pause / stop / resume the clock
    notifications.on_status_changed(
        session, ticket, old, tgt, actor.id if actor else None
    )  # NOTIFY:
    return True


def _ref(ticket: Ticket) -> TicketRef:
    assert ticket.id is not None
    return TicketRef(ticket.id, ticket.number, ticket.title, ticket.status, ticket.version)


def _attach(
    session: Session,
    actor: Actor,
    ticket: Ticket,
    comment_id: int | None,
    files: Sequence[tuple[str, bytes]],
) -> list[int]:
    from ticketapp.services.attachments import store_upload

    ids = []
    for name, data in files or ():
        ids.append(store_upload(session, actor, ticket.id, comment_id, name, data).id)
    return ids


# --- validation -----------------------------------------------------------------------------


def _clean_text(value: object, field_name: str, what: str, max_len: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValidationError(f"Enter {what}.", field_name)
    if len(text) > max_len:
        raise ValidationError(f"Keep it under {max_len:,} characters.", field_name)
    return text


def _clean_title(value: object) -> str:
    title = _clean_text(value, "title", "a short title", MAX_TITLE)
    return " ".join(title.split())


def _clean_enum(value: object, enum: type, field_name: str, message: str) -> str:
    try:
        return enum(str(value)).value
    except ValueError:
        raise ValidationError(message, field_name) from None


def _clean_category(session: Session, value: object) -> int | None:
    cid = _optional_id(value, "category_id", "Choose a category.")
    if cid is not None and session.get(Category, cid) is None:
        raise ValidationError("Choose a category.", "category_id")
    return cid


def _clean_team(session: Session, value: object) -> int | None:
    tid = _optional_id(value, "team_id", "Choose a team.")
    if tid is not None and session.get(Team, tid) is None:
        raise ValidationError("Choose a team.", "team_id")
    return tid


def _clean_assignee(session: Session, value: object) -> int | None:
    uid = _optional_id(value, "assignee_id", "Choose an agent.")
    if uid is None:
        return None
    user = session.get(User, uid)
    if user is None or not user.is_active or user.role not in ("agent", "manager"):
        raise ValidationError("Choose an active agent or manager.", "assignee_id")
    return uid


def _clean_detail(kind: str, value: object, label: str, now: datetime) -> str:
    if kind == "text":
        return _clean_text(value, "", label.lower(), MAX_DETAIL)
    text = str(value or "").strip()
    if not text:
        raise ValidationError(f"Enter {label.lower()}.")
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
    for name, (label, kind) in DETAIL_FIELDS.get(ticket_type, {}).items():
        try:
            clean[name] = _clean_detail(kind, given.get(name), label, now)
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

    check("title", _clean_title, title)
    check("description", _clean_text, description, "description", "a description", MAX_DESCRIPTION)
    check("type", _clean_enum, type, TicketType, "type", "Choose a type.")
    check("category_id", _clean_category, session, category_id)
    check("impact", _clean_enum, impact or Priority.NORMAL, Priority, "impact", "Choose an impact.")
    if "type" in out:
        check("details", clean_details, out["type"], details)
    if errors:
        raise FormInvalid(errors)
    return out


# --- filing ---------------------------------------------------------------------------------


def _requester_for(session: Session, actor: Actor, requester_id: object) -> int:
    if requester_id in (None, ""):
        return actor.id
    rid = _optional_id(requester_id, "requester_id", "Choose a requester.")
    if not actor.is_staff:
        if rid != actor.id:
            raise PermissionDenied("You can only file tickets for yourself.")
        return actor.id
    user = session.get(User, rid)
    if user is None or not user.is_active:
        raise ValidationError("Choose an active requester.", "requester_id")
    return user.id  # type: ignore[return-value]


def _by_key(session: Session, key: str) -> Ticket | None:
    return session.exec(select(Ticket).where(Ticket.idempotency_key == key)).first()


def _replayed(actor: Actor, existing: Ticket) -> TicketRef:
    if existing.created_by_id != actor.id:
        raise ValidationError("This form was already used. Reload the page and try again.")
    return _ref(existing)


def create_ticket(
    session: Session,
    actor: Actor,
    *,
    title: object,
    description: object,
    type: object = TicketType.QUESTION,
    category_id: object = None,
    impact: object = Priority.NORMAL,
    details: object = None,
    requester_id: object = None,
    idempotency_key: str | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
) -> TicketRef:
    """File a ticket (numbers start at 1001). A repeated idempotency_key returns the first one."""
    key = str(idempotency_key).strip()[:64] if idempotency_key else None
    if key and (existing := _by_key(session, key)):
        return _replayed(actor, existing)
    requester = _requester_for(session, actor, requester_id)
    form = validate_ticket_form(
        session,
        title=title,
        description=description,
        type=type,
        category_id=category_id,
        impact=impact,
        details=details,
    )
    now = utcnow()
    ticket = _insert_numbered(session, actor, requester, form, key, now)
    if isinstance(ticket, TicketRef):
        return ticket
    assert ticket.id is not None
    record_event(session, ticket.id, actor, "created", None, None, ticket.number, now)
    _attach(session, actor, ticket, None, attachments)
    session.flush()
    routing.triage_and_assign(session, ticket, now)  # ROUTING: rules, then auto-assignment
    sla.on_created(session, ticket)  # SLA: start the clock (after triage set the priority)
    notifications.on_created(session, ticket)  # NOTIFY: "received" to the requester
    return _ref(ticket)


def _insert_numbered(
    session: Session, actor: Actor, requester: int, form: dict, key: str | None, now: datetime
) -> Ticket | TicketRef:
    """Insert with number = max + 1, retrying in a savepoint if a concurrent insert took it."""
    rank = bottom_rank(session, TicketStatus.NEW)
    for _attempt in range(8):
        top = session.exec(select(func.max(Ticket.number))).one()
        ticket = Ticket(
            number=max(top or 0, FIRST_NUMBER - 1) + 1,
            title=form["title"],
            description=form["description"],
            type=form["type"],
            category_id=form["category_id"],
            impact=form["impact"],
            priority=form["impact"],
            details=form.get("details", {}),
            requester_id=requester,
            created_by_id=actor.id,
            idempotency_key=key,
            rank=rank,
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(ticket)
        except IntegrityError:
            if key and (existing := _by_key(session, key)):
                return _replayed(actor, existing)
            continue
        return ticket
    raise Conflict("Many tickets are being filed right now. Please submit again.")


# --- the ticket page ------------------------------------------------------------------------


def get_ticket_view(session: Session, actor: Actor, number: object) -> TicketView:
    """Everything the ticket page shows, holding only what this actor's role may see."""
    ticket = session.get(Ticket, ticket_id_for_number(session, actor, number))
    assert ticket is not None and ticket.id is not None
    names = _user_names(session, _user_ids_of(session, ticket))
    staff = actor.is_staff
    attachments = _attachment_views(session, ticket.id, staff, names)
    conversation = _conversation(session, ticket.id, staff, names, attachments)
    entries = _time_entries(session, ticket.id, names) if staff else []
    rating = session.exec(
        select(SatisfactionRating.score).where(
            SatisfactionRating.ticket_id == ticket.id,
            SatisfactionRating.resolution_no == ticket.resolution_count,
        )
    ).first()
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        title=ticket.title,
        description=ticket.description,
        status=ticket.status,
        status_label=lifecycle.label(ticket.status),
        priority=ticket.priority,
        type=ticket.type,
        type_label=_label(TYPE_LABELS, ticket.type),
        impact=ticket.impact,
        category_id=ticket.category_id,
        category_name=_name_of(session, Category, ticket.category_id),
        requester_id=ticket.requester_id,
        requester_name=names.get(ticket.requester_id, ""),
        requester_email=_email_of(session, ticket.requester_id),
        assignee_id=ticket.assignee_id,
        assignee_name=names.get(ticket.assignee_id, "") if ticket.assignee_id else "",
        team_id=ticket.team_id,
        team_name=_name_of(session, Team, ticket.team_id),
        details=dict(ticket.details or {}),
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        due_at=ticket.due_at,
        first_response_at=ticket.first_response_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        version=ticket.version,
        resolution_count=ticket.resolution_count,
        can_rate=rating is None and _rateable(actor, ticket),
        rating_score=rating,
        allowed_statuses=[s.value for s in lifecycle.allowed_targets(ticket.status, actor)]
        if staff
        else [],
        attachments=[a for a in attachments if a.comment_id is None],
        conversation=conversation,
        history=_history(session, ticket.id, staff, names),
        time_entries=entries,
        total_minutes=sum(e.minutes for e in entries),
        links=_links(session, actor, ticket.id),
        merged_into=_merged_into(session, actor, ticket.merged_into_id),
        merged_from=_merged_from(session, actor, ticket.id),
    )


def _label(labels: dict, value: str) -> str:
    try:
        return labels[type(next(iter(labels)))(value)]
    except (ValueError, KeyError):
        return str(value)


def _name_of(session: Session, model: type, obj_id: int | None) -> str:
    if obj_id is None:
        return ""
    obj = session.get(model, obj_id)
    return obj.name if obj is not None else ""


def _email_of(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.email if user else ""


def _user_ids_of(session: Session, ticket: Ticket) -> set[int]:
    ids = {ticket.requester_id}
    if ticket.assignee_id:
        ids.add(ticket.assignee_id)
    for model, column in (
        (Comment, Comment.author_id),
        (TicketEvent, TicketEvent.actor_id),
        (TimeEntry, TimeEntry.user_id),
        (Attachment, Attachment.uploader_id),
    ):
        rows = session.exec(select(column).where(model.ticket_id == ticket.id).distinct()).all()
        ids.update(r for r in rows if r is not None)
    return ids


def _user_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(ids))).all()
    return {uid: name for uid, name in rows}


def _staff_ids(session: Session, ids: Iterable[int]) -> set[int]:
    rows = session.exec(
        select(User.id).where(col(User.id).in_(list(ids)), col(User.role).in_(["agent", "manager"]))
    ).all()
    return set(rows)


def _attachment_views(
    session: Session, ticket_id: int, staff: bool, names: dict[int, str]
) -> list[AttachmentView]:
    stmt = (
        select(Attachment)
        .join(Comment, col(Comment.id) == Attachment.comment_id, isouter=True)
        .where(Attachment.ticket_id == ticket_id)
        .order_by(col(Attachment.id))
    )
    if not staff:
        stmt = stmt.where(
            or_(col(Attachment.comment_id).is_(None), col(Comment.is_internal).is_(False))
        )
    return [
        AttachmentView(
            id=a.id,  # type: ignore[arg-type]
            filename=a.filename,
            content_type=a.content_type,
            size=a.size,
            has_thumbnail=bool(a.thumbnail_name),
            is_image=a.content_type.startswith("image/"),
            comment_id=a.comment_id,
            uploader_name=names.get(a.uploader_id, ""),
            created_at=a.created_at,
        )
        for a in session.exec(stmt).all()
    ]


def _conversation(
    session: Session,
    ticket_id: int,
    staff: bool,
    names: dict[int, str],
    attachments: list[AttachmentView],
) -> list[CommentView]:
    stmt = select(Comment).where(Comment.ticket_id == ticket_id)
    if not staff:
        stmt = stmt.where(col(Comment.is_internal).is_(False))
    comments = session.exec(stmt.order_by(col(Comment.created_at), col(Comment.id))).all()
    staff_ids = _staff_ids(session, {c.author_id for c in comments}) if comments else set()
    return [
        CommentView(
            id=c.id,  # type: ignore[arg-type]
            author_id=c.author_id,
            author_name=names.get(c.author_id, ""),
            author_is_staff=c.author_id in staff_ids,
            body=c.body,
            internal=c.is_internal,
            created_at=c.created_at,
            attachments=[a for a in attachments if a.comment_id == c.id],
        )
        for c in comments
    ]


def _display_value(session: Session, field_name: str | None, value: str | None) -> str | None:
    """Turn a stored raw value (status, id, ...) into what a person reads."""
    if value is None or field_name is None:
        return value
    if field_name == "status":
        return lifecycle.label(value)
    if field_name == "priority":
        return _label(PRIORITY_LABELS, value)
    if field_name == "type":
        return _label(TYPE_LABELS, value)
    models = {"assignee_id": User, "team_id": Team, "category_id": Category}
    if field_name in models and value.isdigit():
        return _name_of(session, models[field_name], int(value)) or value
    return value


def _history(
    session: Session, ticket_id: int, staff: bool, names: dict[int, str]
) -> list[EventView]:
    stmt = select(TicketEvent).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.kind != "moved"
    )
    if not staff:
        stmt = stmt.where(col(TicketEvent.kind).in_(REQUESTER_EVENT_KINDS))
    events = session.exec(stmt.order_by(col(TicketEvent.created_at), col(TicketEvent.id))).all()
    return [
        EventView(
            id=e.id,  # type: ignore[arg-type]
            kind=e.kind,
            actor_name=names.get(e.actor_id, "") if e.actor_id else "System",
            created_at=e.created_at,
            field=e.field,
            old_value=_display_value(session, e.field, e.old_value),
            new_value=_display_value(session, e.field, e.new_value),
            reason=e.reason,
        )
        for e in events
    ]


def _time_entries(session: Session, ticket_id: int, names: dict[int, str]) -> list[TimeEntryView]:
    rows = session.exec(
        select(TimeEntry).where(TimeEntry.ticket_id == ticket_id).order_by(col(TimeEntry.id))
    ).all()
    return [
        TimeEntryView(e.id, names.get(e.user_id, ""), e.minutes, e.note, e.created_at)  # type: ignore[arg-type]
        for e in rows
    ]


def _link_view(ticket: Ticket, kind: str) -> LinkView:
    return LinkView(ticket.id, ticket.number, ticket.title, ticket.status, kind)  # type: ignore[arg-type]


def _links(session: Session, actor: Actor, ticket_id: int) -> list[LinkView]:
    rows = session.exec(
        select(TicketLink.kind, Ticket)
        .join(Ticket, col(Ticket.id) == TicketLink.other_ticket_id)
        .where(TicketLink.ticket_id == ticket_id)
        .order_by(col(Ticket.number))
    ).all()
    return [_link_view(t, kind) for kind, t in rows if can_see(actor, t)]


def _merged_into(session: Session, actor: Actor, target_id: int | None) -> LinkView | None:
    target = session.get(Ticket, target_id) if target_id else None
    if target is None or not can_see(actor, target):
        return None
    return _link_view(target, "merged")


def _merged_from(session: Session, actor: Actor, ticket_id: int) -> list[LinkView]:
    rows = session.exec(
        select(Ticket).where(Ticket.merged_into_id == ticket_id).order_by(col(Ticket.number))
    ).all()
    return [_link_view(t, "merged") for t in rows if can_see(actor, t)]


# --- agent edits ----------------------------------------------------------------------------


def _clean_change(session: Session, name: str, value: object) -> object:
    if name == "title":
        return _clean_title(value)
    if name == "priority":
        return _clean_enum(value, Priority, "priority", "Choose a priority.")
    if name == "type":
        return _clean_enum(value, TicketType, "type", "Choose a type.")
    if name == "category_id":
        return _clean_category(session, value)
    if name == "assignee_id":
        return _clean_assignee(session, value)
    if name == "team_id":
        return _clean_team(session, value)
    return lifecycle.parse_status(value)


def update_fields(
    session: Session, actor: Actor, ticket_id: object, expected_version: object, **changes: Any
) -> TicketRef:
    """Staff edit of EDITABLE_FIELDS; each change is an event. Stale version -> Conflict."""
    require_staff(actor)
    for name in changes:
        if name not in EDITABLE_FIELDS:
            raise ValidationError(f"{name} cannot be changed here.", name)
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    check_version(session, ticket, expected_version)
    clean = {name: _clean_change(session, name, value) for name, value in changes.items()}
    status = clean.pop("status", None)
    if status is not None and status != ticket.status:
        lifecycle.check_transition(ticket.status, status, actor)
    now = utcnow()
    changed = False
    assert ticket.id is not None
    sla_key = (ticket.priority, ticket.category_id, ticket.team_id)  # SLA
    old_assignee = ticket.assignee_id
    for name, value in clean.items():
        old = getattr(ticket, name)
        if old == value:
            continue
        setattr(ticket, name, value)
        kind = "assigned" if name in ("assignee_id", "team_id") else "field_changed"
        record_event(session, ticket.id, actor, kind, name, old, value, now)
        changed = True
    if status is not None:
        changed = apply_status(session, ticket, status, actor, now) or changed
    if sla_key != (ticket.priority, ticket.category_id, ticket.team_id):  # SLA: new targets
        why = "Priority changed" if sla_key[0] != ticket.priority else "Category or team changed"
        sla.recompute(session, ticket, why)  # from creation, pauses kept
    if changed:
        ticket.updated_at = now
        session.add(ticket)
        flush_ticket(session, ticket)
    if ticket.assignee_id not in (None, old_assignee):  # NOTIFY: the new assignee
        notifications.on_assigned(session, ticket, actor.id)
    return _ref(ticket)


def assign_to_me(
    session: Session, actor: Actor, ticket_id: object, expected_version: object = None
) -> TicketRef:
    require_staff(actor)
    return update_fields(session, actor, ticket_id, expected_version, assignee_id=actor.id)


def bulk_update(
    session: Session, actor: Actor, ticket_ids: Iterable[object], **changes: Any
) -> list[BulkOutcome]:
    """Apply the same change to many tickets; each in its own savepoint, outcome per ticket."""
    require_staff(actor)
    outcomes = []
    for raw_id in list(ticket_ids)[:500]:
        try:
            with session.begin_nested():
                ref = update_fields(session, actor, raw_id, None, **changes)
        except ServiceError as exc:
            outcomes.append(BulkOutcome(raw_id, None, False, exc.message))  # type: ignore[arg-type]
            continue
        outcomes.append(BulkOutcome(ref.id, ref.number, True, "Updated."))
    return outcomes


# --- conversation, time, rating -------------------------------------------------------------


def add_comment(
    session: Session,
    actor: Actor,
    ticket_id: object,
    body: object,
    internal: bool = False,
    attachments: Sequence[tuple[str, bytes]] = (),
) -> CommentView:
    """A public reply or (staff only) an internal note, with optional attachments."""
    internal = internal is True
    if internal and not actor.is_staff:
        raise PermissionDenied("Only agents can write internal notes.")
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    assert ticket.id is not None
    text = str(body or "").strip()
    if not text and not attachments:
        raise ValidationError("Write a reply first.", "body")
    if len(text) > MAX_COMMENT:
        raise ValidationError(f"Keep it under {MAX_COMMENT:,} characters.", "body")
    if not actor.is_staff and ticket.status == TicketStatus.CLOSED:
        raise ValidationError(
            f"This ticket is closed. File a new ticket and mention #{ticket.number}.", "body"
        )
    now = utcnow()
    comment = Comment(
        ticket_id=ticket.id, author_id=actor.id, body=text, is_internal=internal, created_at=now
    )
    session.add(comment)
    session.flush()
    kind = "internal_note" if internal else "comment"
    record_event(session, ticket.id, actor, kind, None, None, comment.id, now)
    _attach(session, actor, ticket, comment.id, attachments)
    notifications.on_comment(session, ticket, actor.id, internal, text)  # NOTIFY:
    by_requester = actor.id == ticket.requester_id and not internal
    if by_requester and ticket.status in (TicketStatus.WAITING, TicketStatus.RESOLVED):
        apply_status(session, ticket, TicketStatus.OPEN, actor, now)
        flush_ticket(session, ticket)
    stamps: dict[str, Any] = {"updated_at": now}
    if actor.is_staff and not internal and not by_requester and ticket.first_response_at is None:
        stamps["first_response_at"] = now
        sla.on_first_response(session, ticket.id)  # SLA: first response met
    _touch(session, ticket.id, **stamps)
    names = {actor.id: actor.name}
    views = _attachment_views(session, ticket.id, True, names)
    return CommentView(
        id=comment.id,  # type: ignore[arg-type]
        author_id=actor.id,
        author_name=actor.name,
        author_is_staff=actor.is_staff,
        body=text,
        internal=internal,
        created_at=now,
        attachments=[a for a in views if a.comment_id == comment.id],
    )


def log_time(
    session: Session, actor: Actor, ticket_id: object, minutes: object, note: object = ""
) -> TimeEntryView:
    require_staff(actor)
    ticket = get_ticket_for(session, actor, ticket_id)
    mins = _int_in(minutes, 1, 1440, "minutes", "Enter minutes between 1 and 1440.")
    text = str(note or "").strip()
    if len(text) > 500:
        raise ValidationError("Keep the note under 500 characters.", "note")
    now = utcnow()
    entry = TimeEntry(
        ticket_id=ticket.id, user_id=actor.id, minutes=mins, note=text, created_at=now
    )
    session.add(entry)
    record_event(session, ticket.id, actor, "time_logged", "minutes", None, mins, now)  # type: ignore[arg-type]
    session.flush()
    return TimeEntryView(entry.id, actor.name, mins, text, now)  # type: ignore[arg-type]


def _rateable(actor: Actor, ticket: Ticket) -> bool:
    if ticket.requester_id != actor.id or ticket.resolution_count < 1:
        return False
    if ticket.status == TicketStatus.RESOLVED:
        return True
    return ticket.status == TicketStatus.CLOSED and ticket.merged_into_id is None


def rate(
    session: Session, actor: Actor, ticket_id: object, score: object, comment: object = ""
) -> None:
    """The requester rates the current resolution, once (1..5 and an optional comment)."""
    ticket = get_ticket_for(session, actor, ticket_id)
    if ticket.requester_id != actor.id:
        raise PermissionDenied("Only the person who filed the ticket can rate it.")
    if not _rateable(actor, ticket):
        raise ValidationError("You can rate a ticket once it is resolved.", "score")
    value = _int_in(score, 1, 5, "score", "Choose 1 to 5 stars.")
    text = str(comment or "").strip()
    if len(text) > 2000:
        raise ValidationError("Keep the comment under 2,000 characters.", "comment")
    assert ticket.id is not None
    rating = SatisfactionRating(
        ticket_id=ticket.id,
        resolution_no=ticket.resolution_count,
        rater_id=actor.id,
        score=value,
        comment=text,
    )
    try:
        with session.begin_nested():
            session.add(rating)
    except IntegrityError:
        raise ValidationError("You already rated this resolution. Thank you!", "score") from None
    record_event(session, ticket.id, actor, "rated", "score", None, value)
    session.flush()


def auto_close_resolved(
    session: Session, now: datetime | None = None, days: int = 7, limit: int | None = None
) -> list[int]:
    """Close tickets resolved more than `days` ago (the system acts), the longest resolved
    first, at most `limit` of them. Returns their ids."""
    now = now or utcnow()
    cutoff = now - timedelta(days=int(days))
    stmt = (
        select(Ticket)
        .where(Ticket.status == TicketStatus.RESOLVED, col(Ticket.resolved_at) <= cutoff)
        .order_by(col(Ticket.resolved_at), col(Ticket.id))
    )
    tickets = session.exec(stmt.limit(limit) if limit else stmt).all()
    for ticket in tickets:
        apply_status(session, ticket, TicketStatus.CLOSED, None, now)
    session.flush()
    return [t.id for t in tickets]


# --- merge and links ------------------------------------------------------------------------


def _link(session: Session, a: int, b: int, kind: str) -> bool:
    """Link a -> b (upgrading the kind if linked already). True if something changed."""
    row = session.exec(
        select(TicketLink).where(TicketLink.ticket_id == a, TicketLink.other_ticket_id == b)
    ).first()
    if row is None:
        session.add(TicketLink(ticket_id=a, other_ticket_id=b, kind=kind))
        return True
    if row.kind != kind and kind == "merged":
        row.kind = kind
        session.add(row)
        return True
    return False


def merge(session: Session, actor: Actor, source_id: object, target_id: object) -> TicketRef:
    """Merge duplicate `source` into `target`: source closes, links both ways, notes on both."""
    require_staff(actor)
    source = get_ticket_for(session, actor, source_id, lock=True)
    target = get_ticket_for(session, actor, target_id, lock=True)
    assert source.id is not None and target.id is not None
    if source.id == target.id:
        raise ValidationError("A ticket cannot be merged into itself.", "target_id")
    if source.merged_into_id or source.status == TicketStatus.CLOSED:
        raise ValidationError(f"#{source.number} is already closed.", "source_id")
    if target.merged_into_id or target.status == TicketStatus.CLOSED:
        raise ValidationError(f"#{target.number} is closed: choose an open ticket.", "target_id")
    now = utcnow()
    source.merged_into_id = target.id
    apply_status(session, source, TicketStatus.CLOSED, actor, now)
    _link(session, source.id, target.id, "merged")
    _link(session, target.id, source.id, "merged")
    record_event(session, source.id, actor, "merged", "merged_into", None, target.number, now)
    record_event(session, target.id, actor, "merged", "merged_from", None, source.number, now)
    session.add(
        Comment(
            ticket_id=source.id,
            author_id=actor.id,
            body=f"This ticket was merged into #{target.number}. The conversation continues there.",
            created_at=now,
        )
    )
    session.add(
        Comment(
            ticket_id=target.id,
            author_id=actor.id,
            body=f"#{source.number} ({source.title}) was merged into this ticket.",
            is_internal=True,
            created_at=now,
        )
    )
    flush_ticket(session, source)
    _touch(session, target.id, updated_at=now)
    return _ref(target)


def link_tickets(session: Session, actor: Actor, ticket_id: object, other_id: object) -> None:
    require_staff(actor)
    a = get_ticket_for(session, actor, ticket_id)
    b = get_ticket_for(session, actor, other_id)
    if a.id == b.id:
        raise ValidationError("A ticket cannot be linked to itself.", "other_id")
    assert a.id is not None and b.id is not None
    if _link(session, a.id, b.id, "related") | _link(session, b.id, a.id, "related"):
        record_event(session, a.id, actor, "linked", "link", None, b.number)
        record_event(session, b.id, actor, "linked", "link", None, a.number)
    session.flush()


def unlink_tickets(session: Session, actor: Actor, ticket_id: object, other_id: object) -> None:
    require_staff(actor)
    a = get_ticket_for(session, actor, ticket_id)
    b = get_ticket_for(session, actor, other_id)
    rows = session.exec(
        select(TicketLink).where(
            or_(
                (col(TicketLink.ticket_id) == a.id) & (col(TicketLink.other_ticket_id) == b.id),
                (col(TicketLink.ticket_id) == b.id) & (col(TicketLink.other_ticket_id) == a.id),
            ),
            TicketLink.kind == "related",
        )
    ).all()
    if not rows:
        return
    for row in rows:
        session.delete(row)
    assert a.id is not None and b.id is not None
    record_event(session, a.id, actor, "linked", "link", b.number, None)
    record_event(session, b.id, actor, "linked", "link", a.number, None)
    session.flush()


# --- lists ----------------------------------------------------------------------------------

_PRIORITY_ORDER = case(
    {p.value: i for i, p in enumerate(Priority)}, value=col(Ticket.priority), else_=-1
)
_STATUS_ORDER = case(
    {s.value: i for i, s in enumerate(TicketStatus)}, value=col(Ticket.status), else_=-1
)
SORT_KEYS = {
    "number": col(Ticket.number),
    "title": col(Ticket.title),
    "status": _STATUS_ORDER,
    "priority": _PRIORITY_ORDER,
    "created_at": col(Ticket.created_at),
    "updated_at": col(Ticket.updated_at),
    "due_at": col(Ticket.due_at),
}


def _values(value: object) -> list[str]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple | set | frozenset) else [value]
    return [str(v) for v in items if str(v)]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def ticket_filters(
    actor: Actor,
    *,
    status: object = None,
    priority: object = None,
    type: object = None,
    category_id: object = None,
    assignee: object = None,
    team_id: object = None,
    requester_id: object = None,
    text: object = "",
) -> list:
    """SQL conditions for the list and board filters (invalid values raise ValidationError)."""
    conds: list = []
    for column, values, enum, name in (
        (Ticket.status, _values(status), TicketStatus, "status"),
        (Ticket.priority, _values(priority), Priority, "priority"),
        (Ticket.type, _values(type), TicketType, "type"),
    ):
        if values:
            cleaned = [_clean_enum(v, enum, name, f"Choose a valid {name}.") for v in values]
            conds.append(col(column).in_(cleaned))
    if category_id not in (None, ""):
        conds.append(
            Ticket.category_id == _optional_id(category_id, "category_id", "Bad category.")
        )
    if team_id not in (None, ""):
        conds.append(Ticket.team_id == _optional_id(team_id, "team_id", "Choose a team."))
    if assignee == "me":
        conds.append(Ticket.assignee_id == actor.id)
    elif assignee == "unassigned":
        conds.append(col(Ticket.assignee_id).is_(None))
    elif assignee not in (None, "", "any"):
        conds.append(Ticket.assignee_id == _optional_id(assignee, "assignee", "Choose an agent."))
    if not actor.is_staff:
        conds.append(Ticket.requester_id == actor.id)
    elif requester_id not in (None, ""):
        rid = _optional_id(requester_id, "requester_id", "Choose a requester.")
        conds.append(Ticket.requester_id == rid)
    query = str(text or "").strip()[:200]
    if query:
        like = _like(query)
        options = [
            func.lower(Ticket.title).like(like, escape="\\"),
            func.lower(Ticket.description).like(like, escape="\\"),
        ]
        if match := _NUMBER_RE.match(query):
            options.append(Ticket.number == int(match.group(1)))
        conds.append(or_(*options))
    return conds


def list_tickets(
    session: Session,
    actor: Actor,
    *,
    sort: str = "updated_at",
    direction: str = "desc",
    page: object = 1,
    page_size: object = 25,
    **filters: Any,
) -> tuple[list[TicketRow], int]:
    """One page of tickets (rows, total). Filters: see ticket_filters. Requesters: own only."""
    conds = ticket_filters(actor, **filters)
    total = session.exec(select(func.count()).select_from(Ticket).where(*conds)).one()
    size = _int_in(page_size, 1, MAX_PAGE_SIZE, "page_size", "Bad page size.")
    page_no = _int_in(page, 1, 1_000_000, "page", "Bad page.")
    key = SORT_KEYS.get(sort, SORT_KEYS["updated_at"])
    order = key.asc() if direction == "asc" else key.desc()
    stmt = (
        _row_select()
        .where(*conds)
        .order_by(order, col(Ticket.id).desc())
        .offset((page_no - 1) * size)
        .limit(size)
    )
    found = session.exec(stmt).all()
    states = sla.sla_states(session, [r[0] for r in found]) if actor.is_staff else {}  # SLA
    return [_with_sla(_row(r), states.get(r[0].id)) for r in found], total


def _with_sla(row: TicketRow, state: sla.SlaState | None) -> TicketRow:
    if state is None or state.state == "none":
        return row
    return replace(row, sla_state=state.state, sla_label=state.label)


def _unread_count():
    seen = col(Ticket.requester_seen_at)
    return (
        select(func.count())
        .select_from(Comment)
        .where(
            col(Comment.ticket_id) == col(Ticket.id),
            col(Comment.is_internal).is_(False),
            col(Comment.author_id) != col(Ticket.requester_id),
            or_(seen.is_(None), col(Comment.created_at) > seen),
        )
        .correlate(Ticket)
        .scalar_subquery()
    )


def _row_select(with_unread: bool = False):
    assignee = aliased(User)
    requester = aliased(User)
    columns = [
        Ticket,
        requester.name,
        assignee.name,
        Team.name,
        Category.name,
        _unread_count() if with_unread else literal(0),
    ]
    return (
        select(*columns)
        .join(requester, col(requester.id) == Ticket.requester_id)
        .join(assignee, col(assignee.id) == Ticket.assignee_id, isouter=True)
        .join(Team, col(Team.id) == Ticket.team_id, isouter=True)
        .join(Category, col(Category.id) == Ticket.category_id, isouter=True)
    )


def _row(r) -> TicketRow:
    t, requester_name, assignee_name, team_name, category_name, unread = r
    return TicketRow(
        id=t.id,
        number=t.number,
        title=t.title,
        status=t.status,
        status_label=lifecycle.label(t.status),
        priority=t.priority,
        type=t.type,
        category_name=category_name or "",
        requester_name=requester_name or "",
        assignee_id=t.assignee_id,
        assignee_name=assignee_name or "",
        team_name=team_name or "",
        created_at=t.created_at,
        updated_at=t.updated_at,
        due_at=t.due_at,
        version=t.version,
        unread=int(unread or 0),
    )


def list_my_tickets(
    session: Session, actor: Actor, page: object = 1, page_size: object = 25
) -> tuple[list[TicketRow], int]:
    """The actor's own tickets (as requester), newest activity first, with unread replies."""
    conds = [Ticket.requester_id == actor.id]
    total = session.exec(select(func.count()).select_from(Ticket).where(*conds)).one()
    size = _int_in(page_size, 1, MAX_PAGE_SIZE, "page_size", "Bad page size.")
    page_no = _int_in(page, 1, 1_000_000, "page", "Bad page.")
    stmt = (
        _row_select(with_unread=True)
        .where(*conds)
        .order_by(col(Ticket.updated_at).desc(), col(Ticket.id).desc())
        .offset((page_no - 1) * size)
        .limit(size)
    )
    return [_row(r) for r in session.exec(stmt).all()], total


def mark_seen(session: Session, actor: Actor, ticket_id: object) -> None:
    """The requester has read their ticket up to now (no version change, no event)."""
    ticket = get_ticket_for(session, actor, ticket_id)
    if ticket.requester_id == actor.id:
        _touch(session, ticket.id, requester_seen_at=utcnow())  # type: ignore[arg-type]
