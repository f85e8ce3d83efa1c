"""The ticket page's view model: the service's read model turned into plain TypedDicts.

`load_ticket` is everything the page shows, for one actor; the state copies it into its vars.
Nothing here knows Reflex state: these are plain functions over a SQLModel session.
"""

from __future__ import annotations

from typing import TypedDict

from ticketapp import clock
from ticketapp.components import sla_clock
from ticketapp.components.ticket_parts import (
    AttachmentItem,
    CommentItem,
    HistoryItem,
    LinkItem,
    Option,
    TimeItem,
)
from ticketapp.downloads import attachment_url
from ticketapp.i18n import _
from ticketapp.models import CHANNEL_LABELS, PRIORITY_LABELS, TYPE_LABELS, Priority, TicketType
from ticketapp.pages.ticket_detail.constants import FIELD_LABELS, NONE
from ticketapp.services import choices as choices_service
from ticketapp.services import lifecycle, markdown, tickets
from ticketapp.services.actor import Actor


class Header(TypedDict):
    number: int
    title: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    type: str
    type_label: str
    channel_label: str
    category_id: str
    category_name: str
    requester_name: str
    requester_email: str
    requester_href: str  # ORGS: the requester's profile (staff only; "" for requesters)
    assignee_id: str
    assignee_name: str
    team_id: str
    team_name: str
    created: str
    due: str
    time_logged: str
    version: int
    description_html: str
    can_rate: bool
    rating_score: int
    is_closed: bool


EMPTY_HEADER = Header(
    number=0,
    title="",
    status="",
    status_label="",
    priority="",
    priority_label="",
    type="",
    type_label="",
    channel_label="",
    category_id=NONE,
    category_name="",
    requester_name="",
    requester_email="",
    requester_href="",
    assignee_id=NONE,
    assignee_name="",
    team_id=NONE,
    team_name="",
    created="",
    due="",
    time_logged="",
    version=0,
    description_html="",
    can_rate=False,
    rating_score=0,
    is_closed=False,
)


def _duration(minutes: int) -> str:
    hours, mins = divmod(int(minutes), 60)
    if not hours:
        return _("{m} min", m=mins)
    if mins:
        return _("{h} h {m} min", h=hours, m=str(mins).zfill(2))
    return _("{h} h", h=hours)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _attachment(a: tickets.AttachmentView) -> AttachmentItem:
    url = attachment_url(a.id)
    return AttachmentItem(
        id=a.id,
        filename=a.filename,
        size_label=_size(a.size),
        url=url,
        thumb_url=f"{url}/thumbnail" if a.has_thumbnail else "",
        is_image=a.is_image,
    )


def _comment(c: tickets.CommentView) -> CommentItem:
    return CommentItem(
        id=c.id,
        author_name=c.author_name or _("Someone"),
        author_role=_("Support") if c.author_is_staff else _("Requester"),
        html=markdown.render(c.body),
        internal=c.internal,
        created=clock.local_label(c.created_at),
        attachments=[_attachment(a) for a in c.attachments],
    )


def _value(text: str) -> str:
    """A recorded value in the reader's language when it is one of ours (a status or priority
    label); anything else (a title, a name) as recorded."""
    return _(text) if text else text


def _summary(e: tickets.EventView) -> tuple[str, str, str]:
    """(what happened, old, new) in words."""
    old, new = e.old_value or "", e.new_value or ""
    label = _(FIELD_LABELS.get(e.field or "", (e.field or "").replace("_", " ").capitalize()))
    old, new = _value(old), _value(new)
    if e.kind == "created":
        return _("Created the ticket"), "", f"#{new}" if new else ""
    if e.kind in ("status_changed", "field_changed", "assigned"):
        return _("Changed {field}", field=label), old or _("none"), new or _("none")
    if e.kind == "comment":
        return _("Replied"), "", ""
    if e.kind == "internal_note":
        return _("Added an internal note"), "", ""
    if e.kind == "attachment":
        return _("Attached a file"), "", new
    if e.kind == "time_logged":
        return _("Logged time"), "", _duration(int(new)) if new.isdigit() else new
    if e.kind == "rated":
        return _("Rated the resolution"), "", f"{new} / 5"
    if e.kind == "merged":
        if e.field == "merged_from":
            return _("Merged a ticket into this one"), "", f"#{new}"
        return _("Merged this ticket into another"), "", f"#{new}"
    if e.kind == "triaged":  # ROUTING: a triage rule set a field
        return _("Set {field}", field=label), old or _("none"), new or _("none")
    if e.kind == "escalated":  # SLA: old = the rule's name, new = what it did
        return _("Escalation rule “{name}”", name=old), "", new
    if e.kind == "macro_applied":  # the reason lists what it did
        return _("Applied the macro “{name}”", name=new), "", ""
    if e.kind == "tag_added":  # TAGS:
        return _("Added a tag"), "", new
    if e.kind == "tag_removed":
        return _("Removed a tag"), old, ""
    if e.kind == "custom_field":  # FIELDS: field = the custom field's label
        return _("Changed {field}", field=e.field or ""), old or _("none"), new or _("none")
    if e.kind == "linked":
        if new:
            return _("Linked a related ticket"), "", f"#{new}"
        return _("Removed a related ticket"), f"#{old}", ""
    return e.kind.replace("_", " ").capitalize(), old, new


def _history(e: tickets.EventView) -> HistoryItem:
    summary, old, new = _summary(e)
    if e.reason:  # ROUTING: automatic triage/assignment says why
        summary = f"{summary} — {e.reason}"
    return HistoryItem(
        id=e.id,
        actor=e.actor_name or _("System"),
        when=clock.local_label(e.created_at),
        summary=summary,
        old=old or "—",
        new=new or "—",
    )


def _link(link: tickets.LinkView) -> LinkItem:
    return LinkItem(
        number=link.number,
        title=link.title,
        status_label=lifecycle.label(link.status),
        kind=link.kind,
        href=f"/tickets/{link.number}",
    )


def _opt(value: object, label: str) -> Option:
    return Option(value=str(value), label=label)


def _id_value(value: int | None) -> str:
    return NONE if value is None else str(value)


def _header(view: tickets.TicketView) -> Header:
    return Header(
        number=view.number,
        title=view.title,
        status=view.status,
        status_label=view.status_label,
        priority=view.priority,
        priority_label=PRIORITY_LABELS.get(view.priority, view.priority),  # type: ignore[call-overload]
        type=view.type,
        type_label=view.type_label,
        channel_label=CHANNEL_LABELS.get(view.channel, view.channel),  # type: ignore[call-overload]
        category_id=_id_value(view.category_id),
        category_name=view.category_name,
        requester_name=view.requester_name,
        requester_email=view.requester_email,
        requester_href="",
        assignee_id=_id_value(view.assignee_id),
        assignee_name=view.assignee_name,
        team_id=_id_value(view.team_id),
        team_name=view.team_name,
        created=clock.local_label(view.created_at),
        due=clock.local_label(view.due_at),
        time_logged=_duration(view.total_minutes),
        version=view.version,
        description_html=markdown.render(view.description),
        can_rate=view.can_rate,
        rating_score=view.rating_score or 0,
        is_closed=view.status == "closed",
    )


def _details(view: tickets.TicketView) -> list[Option]:
    """The type's extra fields that were filled in, as (value, label)."""
    detail_labels = tickets.DETAIL_FIELDS.get(view.type, {})
    return [
        _opt(str(view.details[name]), _(label))
        for name, (label, _kind) in detail_labels.items()
        if view.details.get(name)
    ]


def _time_item(t: tickets.TimeEntryView) -> TimeItem:
    return TimeItem(
        id=t.id,
        user=t.user_name,
        minutes=_duration(t.minutes),
        note=t.note,
        when=clock.local_label(t.created_at),
    )


def _edit_options(session, actor: Actor, view: tickets.TicketView) -> dict[str, list[Option]]:
    """The choices of each editable select (staff), keyed by the field's name."""
    opts = choices_service.edit_choices(session, actor)
    statuses = [_opt(view.status, _(view.status_label))] + [
        _opt(s, _(lifecycle.label(s))) for s in view.allowed_statuses
    ]
    assignees = [_opt(NONE, _("Unassigned"))] + [_opt(c.id, c.name) for c in opts.assignees]
    if view.assignee_id and all(c.id != view.assignee_id for c in opts.assignees):
        assignees.append(_opt(view.assignee_id, view.assignee_name or _("Former agent")))
    return {
        "status": statuses,
        "priority": [_opt(p.value, _(PRIORITY_LABELS[p])) for p in Priority],
        "type": [_opt(kind.value, _(TYPE_LABELS[kind])) for kind in TicketType],
        "category_id": [_opt(NONE, _("No category"))]
        + [_opt(c.id, c.name) for c in opts.categories],
        "assignee_id": assignees,
        "team_id": [_opt(NONE, _("No team"))] + [_opt(c.id, c.name) for c in opts.teams],
    }


def load_ticket(session, actor: Actor, number: str) -> dict:
    """Everything the page shows, for this actor (raises NotFound like the service)."""
    view = tickets.get_ticket_view(session, actor, number)
    data: dict = {
        "ticket_id": view.id,
        "header": _header(view),
        "details": _details(view),
        "ticket_files": [_attachment(a) for a in view.attachments],
        "conversation": [_comment(c) for c in view.conversation],
        "history": [_history(e) for e in reversed(view.history)],
        "time_entries": [_time_item(t) for t in reversed(view.time_entries)],
        "links": [_link(link) for link in view.links if link.kind != "merged"],
        "merged_into": [_link(view.merged_into)] if view.merged_into else [],
        "merged_from": [_link(link) for link in view.merged_from],
    }
    if actor.is_staff:
        data["header"]["requester_href"] = f"/people/{view.requester_id}"  # ORGS: profile
        data["options"] = _edit_options(session, actor, view)
        data["sla"] = sla_clock.clock_data(session, actor, view.id)  # SLA
    return data


def merge_target(session, actor: Actor, number: str) -> tuple[int, str]:
    """(id, "#N title") of a ticket the actor may see, by number."""
    tid = tickets.ticket_id_for_number(session, actor, number)
    ticket = tickets.get_ticket_for(session, actor, tid)
    return tid, f"#{ticket.number} {ticket.title}"
