"""Tags on tickets: free-form labels for staff (as in Zendesk, requesters never see them).

A tag is stored once, by its normal form (lower case, words joined by "-"): "VPN  outage" and
"vpn-outage" are one tag. Adding and removing write the ticket's history ("tag_added" /
"tag_removed", the tag's name as the new / old value) and re-index the ticket for search
(services/tickets/search_index.py reads ticket_tag). Managers rename and merge tags; both keep
every ticket's tags and re-index those tickets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ticketapp.i18n import N_
from ticketapp.models import Tag, TicketTag, utcnow
from ticketapp.services.actor import Actor, require_manager, require_staff
from ticketapp.services.audit import record_event
from ticketapp.services.errors import NotFound, ValidationError
from ticketapp.services.field_filters import MAX_TAG, SPACES, normalize
from ticketapp.services.ids import coerce_id
from ticketapp.services.tickets.common import touch
from ticketapp.services.tickets.search_index import reindex
from ticketapp.services.tickets.views import BulkOutcome
from ticketapp.services.visibility import get_ticket_for

MAX_TAGS_PER_TICKET = 30
MAX_SUGGESTIONS = 10
TAG_NOT_FOUND = N_("That tag does not exist (any more).")


@dataclass(frozen=True)
class TagCount:
    id: int
    name: str
    tickets: int


def parse_names(raw: object) -> list[str]:
    """Tags from a list or a comma-separated string, normalised, each once, in order."""
    items = raw if isinstance(raw, list | tuple | set) else str(raw or "").split(",")
    out: list[str] = []
    for item in items:
        if str(item).strip():
            name = normalize(item)
            if name not in out:
                out.append(name)
    if not out:
        raise ValidationError("Type a tag.", "tag")
    return out


def _tag_for(session: Session, name: str) -> Tag:
    tag = session.exec(select(Tag).where(Tag.name == name)).first()
    if tag is None:
        with session.begin_nested():  # a concurrent first use of the same name
            tag = Tag(name=name)
            session.add(tag)
        session.flush()
    return tag


def tag_names(session: Session, ticket_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each ticket's tags, sorted (no permission check: callers show these to staff only)."""
    ids = list(ticket_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(TicketTag.ticket_id, Tag.name)
        .join(Tag, col(Tag.id) == TicketTag.tag_id)
        .where(col(TicketTag.ticket_id).in_(ids))
        .order_by(Tag.name)
    ).all()
    out: dict[int, list[str]] = {}
    for ticket_id, name in rows:
        out.setdefault(ticket_id, []).append(name)
    return out


def tags_of_listed(
    session: Session, actor: Actor, ticket_ids: Iterable[int]
) -> dict[int, list[str]]:
    """Staff: the tags of tickets a list has shown them (ids scoped to `actor` by the list)."""
    require_staff(actor)
    return tag_names(session, ticket_ids)


def ticket_tags(session: Session, actor: Actor, ticket_id: object) -> list[str]:
    """The tags of a ticket; a requester gets none (tags are staff-only)."""
    ticket = get_ticket_for(session, actor, ticket_id)
    if not actor.is_staff:
        return []
    assert ticket.id is not None
    return tag_names(session, [ticket.id]).get(ticket.id, [])


def _add(session: Session, actor: Actor, ticket_id: int, names: list[str]) -> list[str]:
    have = set(tag_names(session, [ticket_id]).get(ticket_id, []))
    new = [n for n in names if n not in have]
    if len(have) + len(new) > MAX_TAGS_PER_TICKET:
        raise ValidationError(
            "A ticket can have at most {max} tags.", "tag", max=MAX_TAGS_PER_TICKET
        )
    now = utcnow()
    for name in new:
        session.add(TicketTag(ticket_id=ticket_id, tag_id=_tag_for(session, name).id))
        record_event(session, ticket_id, actor, "tag_added", "tags", None, name, now)
    if new:
        touch(session, ticket_id, updated_at=now)
        session.flush()
    return new


def add_tags(session: Session, actor: Actor, ticket_id: object, raw: object) -> list[str]:
    """Add tags (a list or "a, b") to a ticket; returns those that were new. Staff only."""
    require_staff(actor)
    names = parse_names(raw)
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    assert ticket.id is not None
    return _add(session, actor, ticket.id, names)


def remove_tag(session: Session, actor: Actor, ticket_id: object, raw: object) -> bool:
    """Remove one tag from a ticket; False when it did not have it. Staff only."""
    require_staff(actor)
    name = normalize(raw)
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    tag = session.exec(select(Tag).where(Tag.name == name)).first()
    if tag is None:
        return False
    link = session.get(TicketTag, (ticket.id, tag.id))
    if link is None:
        return False
    session.delete(link)
    now = utcnow()
    assert ticket.id is not None
    record_event(session, ticket.id, actor, "tag_removed", "tags", name, None, now)
    touch(session, ticket.id, updated_at=now)
    session.flush()
    return True


def set_tags(session: Session, actor: Actor, ticket_id: object, raw: object) -> list[str]:
    """Make a ticket's tags exactly `raw` (the API's PATCH); each add and removal is an event.
    Returns the tags now on the ticket. Staff only."""
    require_staff(actor)
    names = parse_names(raw) if raw not in ([], "", None) else []
    ticket = get_ticket_for(session, actor, ticket_id, lock=True)
    assert ticket.id is not None
    for old in tag_names(session, [ticket.id]).get(ticket.id, []):
        if old not in names:
            remove_tag(session, actor, ticket.id, old)
    if names:
        _add(session, actor, ticket.id, names)
    return tag_names(session, [ticket.id]).get(ticket.id, [])


def bulk_add_tags(
    session: Session, actor: Actor, ticket_ids: Iterable[object], raw: object
) -> list[BulkOutcome]:
    """Add the same tags to many tickets (the list's bulk action), an outcome per ticket."""
    require_staff(actor)
    names = parse_names(raw)
    outcomes = []
    for raw_id in list(ticket_ids)[:500]:
        try:
            with session.begin_nested():
                ticket = get_ticket_for(session, actor, raw_id, lock=True)
                assert ticket.id is not None
                _add(session, actor, ticket.id, names)
        except (NotFound, ValidationError) as exc:
            outcomes.append(BulkOutcome(raw_id, None, False, exc.message))  # type: ignore[arg-type]
            continue
        outcomes.append(BulkOutcome(ticket.id, ticket.number, True, ""))
    return outcomes


def suggest(
    session: Session, actor: Actor, prefix: object, limit: int = MAX_SUGGESTIONS
) -> list[str]:
    """Existing tags starting with `prefix` (normalised), most used first. Staff only."""
    require_staff(actor)
    text = SPACES.sub("-", str(prefix or "").strip().lower())[:MAX_TAG]
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    used = func.count(col(TicketTag.ticket_id))
    stmt = (
        select(Tag.name, used)
        .join(TicketTag, col(TicketTag.tag_id) == Tag.id, isouter=True)
        .where(col(Tag.name).like(f"{escaped}%", escape="\\"))
        .group_by(col(Tag.id), col(Tag.name))
        .order_by(used.desc(), col(Tag.name))
        .limit(max(1, min(int(limit), 50)))
    )
    return [name for name, _count in session.exec(stmt).all()]


def all_tags(session: Session, actor: Actor) -> list[TagCount]:
    """Every tag with how many tickets carry it, by name. Staff only."""
    require_staff(actor)
    used = func.count(col(TicketTag.ticket_id))
    stmt = (
        select(Tag.id, Tag.name, used)
        .join(TicketTag, col(TicketTag.tag_id) == Tag.id, isouter=True)
        .group_by(col(Tag.id), col(Tag.name))
        .order_by(col(Tag.name))
    )
    return [TagCount(i, n, c) for i, n, c in session.exec(stmt).all()]


def _tickets_of(session: Session, tag_ids: list[int]) -> list[int]:
    return list(
        session.exec(
            select(TicketTag.ticket_id).where(col(TicketTag.tag_id).in_(tag_ids)).distinct()
        ).all()
    )


def _get_tag(session: Session, tag_id: object) -> Tag:
    tag = session.get(Tag, coerce_id(tag_id, TAG_NOT_FOUND))
    if tag is None:
        raise NotFound(TAG_NOT_FOUND)
    return tag


def rename_tag(session: Session, actor: Actor, tag_id: object, new_name: object) -> str:
    """Rename a tag everywhere (manager). Renaming to another existing tag's name merges."""
    require_manager(actor)
    tag = _get_tag(session, tag_id)
    name = normalize(new_name)
    other = session.exec(select(Tag).where(Tag.name == name, Tag.id != tag.id)).first()
    if other is not None:
        merge_tags(session, actor, [tag.id], other.id)
        return name
    assert tag.id is not None
    tag.name = name
    session.add(tag)
    session.flush()
    reindex(session, _tickets_of(session, [tag.id]))
    return name


def merge_tags(
    session: Session, actor: Actor, source_ids: Iterable[object], target_id: object
) -> int:
    """Fold tags into `target_id` (manager): their tickets get the target, the sources go.
    Returns how many tickets were touched."""
    require_manager(actor)
    target = _get_tag(session, target_id)
    sources = [_get_tag(session, s) for s in source_ids]
    source_ids_ = [s.id for s in sources if s.id != target.id]
    if not source_ids_:
        raise ValidationError("Choose at least one other tag to merge.", "merge")
    touched = _tickets_of(session, source_ids_)  # type: ignore[arg-type]
    already = set(_tickets_of(session, [target.id]))  # type: ignore[list-item]
    for tid in touched:
        if tid not in already:
            session.add(TicketTag(ticket_id=tid, tag_id=target.id))  # type: ignore[arg-type]
    session.execute(delete(TicketTag).where(col(TicketTag.tag_id).in_(source_ids_)))
    session.execute(delete(Tag).where(col(Tag.id).in_(source_ids_)))
    session.flush()
    reindex(session, touched)
    return len(touched)


def delete_tag(session: Session, actor: Actor, tag_id: object) -> None:
    """Remove a tag from every ticket and forget it (manager)."""
    require_manager(actor)
    tag = _get_tag(session, tag_id)
    touched = _tickets_of(session, [tag.id])  # type: ignore[list-item]
    session.execute(delete(TicketTag).where(TicketTag.tag_id == tag.id))
    session.delete(tag)
    session.flush()
    reindex(session, touched)
