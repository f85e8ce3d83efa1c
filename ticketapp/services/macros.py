"""Macros: a named list of actions an agent applies to one ticket or to a selection in one step,
after a preview of what will change. Managers define them; agents and managers apply them.

An action is a small dict, stored as JSON on the macro:
- {"action": "set_status" | "set_priority" | "set_type", "value": "<enum value>"}
- {"action": "set_category" | "set_team", "value": "<id>" or "" (clear)}
- {"action": "set_assignee", "value": "<user id>", "me" (whoever applies it) or "" (unassign)}
- {"action": "add_reply", "canned_id": <id>, "internal": true | false}
- {"action": "add_tags" | "remove_tags", "tags": ["<tag>", ...]}
A new kind of action is one more entry in FIELD_ACTIONS or one more branch in `_clean_action`,
`describe`, `_preview_one` and `apply`.

Applying one goes through tickets.update_fields and tickets.add_comment (so permissions, the
lifecycle, SLA, notifications and the per-field events are the usual ones), refuses a stale
version, and writes one "macro_applied" history event naming the macro and what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ticketapp import i18n
from ticketapp.i18n import N_
from ticketapp.models import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    CannedResponse,
    Category,
    Macro,
    Team,
    Ticket,
    TicketEvent,
    User,
    utcnow,
)
from ticketapp.services import canned as canned_service
from ticketapp.services import lifecycle, tags
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.errors import NotFound, ServiceError, ValidationError
from ticketapp.services.ids import coerce_id
from ticketapp.services.tickets import add_comment, check_version, update_fields
from ticketapp.services.tickets.common import ref
from ticketapp.services.tickets.fields import clean_change
from ticketapp.services.tickets.views import BulkOutcome, TicketRef
from ticketapp.services.visibility import get_ticket_for

MAX_NAME = 120
MAX_ACTIONS = 20
MAX_BULK = 200
ME = "me"
MACRO_NOT_FOUND = N_("That macro does not exist.")
# action -> the ticket field it sets
FIELD_ACTIONS = {
    "set_status": "status",
    "set_priority": "priority",
    "set_type": "type",
    "set_category": "category_id",
    "set_team": "team_id",
    "set_assignee": "assignee_id",
}
ADD_REPLY = "add_reply"
ADD_TAGS, REMOVE_TAGS = "add_tags", "remove_tags"
TAG_ACTIONS = {ADD_TAGS: N_("Add tags"), REMOVE_TAGS: N_("Remove tags")}
FIELD_LABELS = {
    "status": N_("Status"),
    "priority": N_("Priority"),
    "type": N_("Type"),
    "category_id": N_("Category"),
    "team_id": N_("Team"),
    "assignee_id": N_("Assignee"),
}
ENUM_LABELS: dict[str, dict[Any, str]] = {
    "status": dict(STATUS_LABELS),
    "priority": dict(PRIORITY_LABELS),
    "type": dict(TYPE_LABELS),
}


@dataclass(frozen=True)
class MacroView:
    id: int
    name: str
    actions: list[dict[str, Any]]


@dataclass(frozen=True)
class Change:
    what: str  # "Status", "Public reply", ... in the reader's language
    old: str
    new: str


@dataclass(frozen=True)
class TicketPreview:
    ticket_id: int
    number: int
    title: str
    version: int
    changes: list[Change] = field(default_factory=list)
    problem: str = ""  # why it cannot be applied to this ticket ("" = it can)


# --- definitions ------------------------------------------------------------------------------


def _clean_action(session: Session, raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValidationError("An action is not valid.", "actions")
    kind = str(raw.get("action", ""))
    if kind in FIELD_ACTIONS:
        value = str(raw.get("value") or "").strip()[:40]
        name = FIELD_ACTIONS[kind]
        if name == "assignee_id" and value == ME:
            return {"action": kind, "value": ME}
        clean_change(session, name, value or None)  # refuses what update_fields would
        return {"action": kind, "value": value}
    if kind == ADD_REPLY:
        canned_id = coerce_id(raw.get("canned_id"), canned_service.CANNED_NOT_FOUND)
        if session.get(CannedResponse, canned_id) is None:
            raise ValidationError(canned_service.CANNED_NOT_FOUND, "actions")
        return {"action": kind, "canned_id": canned_id, "internal": raw.get("internal") is True}
    if kind in TAG_ACTIONS:
        try:
            return {"action": kind, "tags": tags.parse_names(raw.get("tags"))}
        except ValidationError as exc:  # next to the field it came from
            raise ValidationError(exc.msgid, kind, **exc.params) from None
    raise ValidationError("An action is not valid.", "actions")


def clean_actions(session: Session, actions: object) -> list[dict[str, Any]]:
    if not isinstance(actions, list) or not actions:
        raise ValidationError("Add at least one action.", "actions")
    if len(actions) > MAX_ACTIONS:
        raise ValidationError("Use at most {max} actions.", "actions", max=MAX_ACTIONS)
    cleaned = [_clean_action(session, a) for a in actions]
    kinds = [a["action"] for a in cleaned if a["action"] != ADD_REPLY]
    if len(kinds) != len(set(kinds)):
        raise ValidationError("Set each field at most once.", "actions")
    return cleaned


def list_macros(session: Session, actor: Actor) -> list[MacroView]:
    require_staff(actor)
    rows = session.exec(select(Macro).order_by(col(Macro.name))).all()
    return [MacroView(m.id or 0, m.name, list(m.actions)) for m in rows]


def _get(session: Session, macro_id: object) -> Macro:
    macro = session.get(Macro, coerce_id(macro_id, MACRO_NOT_FOUND))
    if macro is None:
        raise NotFound(MACRO_NOT_FOUND)
    return macro


def save_macro(
    session: Session, actor: Actor, macro_id: object, name: object, actions: object
) -> int:
    """Create (macro_id None) or update a macro (managers)."""
    require_manager(actor)
    clean_name = str(name or "").strip()
    if not clean_name:
        raise ValidationError("Give the macro a name.", "name")
    if len(clean_name) > MAX_NAME:
        raise ValidationError("Keep it under {max:,} characters.", "name", max=MAX_NAME)
    clean = clean_actions(session, actions)
    if macro_id in (None, "", 0):
        macro = Macro(name=clean_name, created_by_id=actor.id)
    else:
        macro = _get(session, macro_id)
    macro.name, macro.actions, macro.updated_at = clean_name, clean, utcnow()
    session.add(macro)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise ValidationError("A macro with this name exists already.", "name") from None
    assert macro.id is not None
    return macro.id


def delete_macro(session: Session, actor: Actor, macro_id: object) -> None:
    require_manager(actor)
    session.delete(_get(session, macro_id))
    session.flush()


# --- preview ----------------------------------------------------------------------------------


def _target(action: dict[str, Any], actor: Actor) -> object:
    """The value a field action sets on a ticket (None clears it)."""
    value = action.get("value") or None
    if value == ME:
        return actor.id
    if FIELD_ACTIONS[action["action"]] in ("category_id", "team_id", "assignee_id"):
        return None if value is None else int(value)
    return value


def _field_changes(macro: Macro, actor: Actor) -> dict[str, object]:
    return {
        FIELD_ACTIONS[a["action"]]: _target(a, actor)
        for a in macro.actions
        if a["action"] in FIELD_ACTIONS
    }


def _label(session: Session, name: str, value: object) -> str:
    if value is None or value == "":
        return i18n._("none")
    if name in ENUM_LABELS:
        return i18n._(ENUM_LABELS[name].get(value, str(value)))
    model = {"category_id": Category, "team_id": Team, "assignee_id": User}[name]
    row = session.get(model, value)
    return row.name if row is not None else str(value)


def describe(session: Session, actor: Actor, actions: list[dict[str, Any]]) -> list[Change]:
    """What a macro's actions do, in words (its list on the macros page)."""
    require_staff(actor)
    out = []
    for a in actions:
        if a["action"] in FIELD_ACTIONS:
            name = FIELD_ACTIONS[a["action"]]
            if a.get("value") == ME:
                new = i18n._("whoever runs the macro")
            else:
                new = _label(session, name, _target(a, actor))
            out.append(Change(i18n._(FIELD_LABELS[name]), "", new))
    return out + _tag_changes(actions, None) + _reply_changes(session, actions)


def _tag_changes(actions: list[dict[str, Any]], have: list[str] | None) -> list[Change]:
    """The tag actions in words; with `have` (a ticket's tags) only what would change."""
    out = []
    for a in actions:
        if a["action"] not in TAG_ACTIONS:
            continue
        adding = a["action"] == ADD_TAGS
        names = a["tags"]
        if have is not None:
            names = [n for n in names if (n not in have) == adding]
        if names:
            listed = ", ".join(names)
            what = i18n._(TAG_ACTIONS[a["action"]])
            out.append(Change(what, "", listed) if adding else Change(what, listed, ""))
    return out


def _reply_changes(session: Session, actions: list[dict[str, Any]]) -> list[Change]:
    out = []
    for a in actions:
        if a["action"] != ADD_REPLY:
            continue
        canned = session.get(CannedResponse, a["canned_id"])
        title = canned.title if canned else i18n._("(deleted canned response)")
        what = i18n._("Internal note") if a.get("internal") else i18n._("Public reply")
        out.append(Change(what, "", title))
    return out


def _preview_one(session: Session, actor: Actor, macro: Macro, ticket: Ticket) -> TicketPreview:
    changes, problem = [], ""
    for name, value in _field_changes(macro, actor).items():
        old = getattr(ticket, name)
        if old == value:
            continue
        if name == "status" and not lifecycle.can_transition(ticket.status, str(value), actor):
            problem = i18n._(
                "Its status cannot go from {old} to {new}.",
                old=_label(session, name, old),
                new=_label(session, name, value),
            )
        what = i18n._(FIELD_LABELS[name])
        changes.append(Change(what, _label(session, name, old), _label(session, name, value)))
    assert ticket.id is not None
    have = tags.tag_names(session, [ticket.id]).get(ticket.id, [])
    changes += _tag_changes(macro.actions, have)
    return TicketPreview(
        ticket.id,
        ticket.number,
        ticket.title,
        ticket.version,
        changes + _reply_changes(session, macro.actions),
        problem,
    )


def preview(
    session: Session, actor: Actor, macro_id: object, ticket_ids: list[object]
) -> list[TicketPreview]:
    """What the macro would change on each ticket (tickets `actor` cannot see are skipped)."""
    require_staff(actor)
    macro = _get(session, macro_id)
    out = []
    for raw in list(ticket_ids)[:MAX_BULK]:
        try:
            ticket = get_ticket_for(session, actor, raw)
        except NotFound:
            continue
        out.append(_preview_one(session, actor, macro, ticket))
    return out


# --- applying ---------------------------------------------------------------------------------


def _summary(changes: list[Change]) -> str:
    """What the macro did, for the history (in the language of whoever applied it)."""
    return "; ".join(f"{c.what}: {c.new}" if c.new else c.what for c in changes)


def apply(
    session: Session, actor: Actor, macro_id: object, ticket_id: object, expected_version: object
) -> TicketRef:
    """Apply the macro to one ticket seen at `expected_version` (stale -> Conflict)."""
    require_staff(actor)
    macro = _get(session, macro_id)
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    check_version(session, ticket, expected_version)
    planned = _preview_one(session, actor, macro, ticket).changes
    changes = _field_changes(macro, actor)
    if changes:
        update_fields(session, actor, ticket.id, expected_version, **changes)
    for a in macro.actions:
        if a["action"] == ADD_REPLY:
            canned = session.get(CannedResponse, a["canned_id"])
            if canned is None:
                raise ValidationError("A canned response this macro uses was deleted.")
            body = canned_service.fill_for_ticket(session, actor, canned, ticket)
            add_comment(session, actor, ticket.id, body, internal=a.get("internal") is True)
        elif a["action"] == ADD_TAGS:
            tags.add_tags(session, actor, ticket.id, a["tags"])
        elif a["action"] == REMOVE_TAGS:
            for name in a["tags"]:
                tags.remove_tag(session, actor, ticket.id, name)
    assert ticket.id is not None
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            actor_id=actor.id,
            kind="macro_applied",
            new_value=macro.name,
            reason=i18n.as_written(_summary(planned)) if planned else None,
        )
    )
    session.flush()
    return ref(ticket)


def apply_many(
    session: Session, actor: Actor, macro_id: object, versions: dict[Any, object]
) -> list[BulkOutcome]:
    """Apply the macro to each ticket id -> the version it was previewed at, each on its own
    (a savepoint): one refusal (stale, not allowed) leaves the others applied."""
    require_staff(actor)
    _get(session, macro_id)
    outcomes = []
    for raw_id, version in list(versions.items())[:MAX_BULK]:
        try:
            with session.begin_nested():
                done = apply(session, actor, macro_id, raw_id, version)
        except ServiceError as exc:
            outcomes.append(BulkOutcome(raw_id, None, False, exc.message))
            continue
        outcomes.append(BulkOutcome(done.id, done.number, True, i18n._("Updated.")))
    return outcomes
