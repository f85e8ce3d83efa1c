"""/api/v1/tickets: addressed by number (`/tickets/1234`), every call through services/tickets
with the token's actor, so a requester reaches only their own tickets and never internal notes.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse

from ticketapp import live
from ticketapp.api.deps import Caller, call, caller
from ticketapp.api.errors import ApiError
from ticketapp.api.schemas import (
    AttachmentOut,
    CommentCreate,
    CommentOut,
    CustomFieldOut,
    TicketCreate,
    TicketOut,
    TicketPage,
    TicketSummary,
    TicketUpdate,
)
from ticketapp.i18n import N_
from ticketapp.models import FieldKind
from ticketapp.services import attachments, custom_fields, tags, tickets
from ticketapp.services.errors import Conflict

router = APIRouter(tags=["tickets"])
Sort = Literal[
    "relevance", "number", "title", "status", "priority", "created_at", "updated_at", "due_at"
]


def attachment_url(attachment_id: int) -> str:
    return f"/api/v1/attachments/{attachment_id}"


def _attachment(a) -> AttachmentOut:
    return AttachmentOut.model_validate(a).model_copy(update={"url": attachment_url(a.id)})


def _comment(c) -> CommentOut:
    out = CommentOut.model_validate(c)
    return out.model_copy(update={"attachments": [_attachment(a) for a in c.attachments]})


def _field_out(v: custom_fields.FieldValue) -> CustomFieldOut:
    value: Any = v.value or None
    if v.field.kind == FieldKind.MULTI_SELECT:
        value = v.values
    elif v.field.kind == FieldKind.CHECKBOX and v.value in ("true", "false"):
        value = v.value == "true"
    return CustomFieldOut(
        id=v.field.id,
        key=v.field.key,
        label=v.field.label,
        kind=v.field.kind,
        public=v.field.public,
        value=value,
    )


def _view(session, actor, number: object) -> tuple[tickets.TicketView, dict]:
    """The ticket's view with its tags (staff) and custom fields, as `actor` may see them."""
    ticket = tickets.ticket_for_number(session, actor, number)  # (kept: the checks below
    view = tickets.view_of(session, actor, ticket)  # find it in the session, not the database)
    extras = {
        "tags": tags.ticket_tags(session, actor, view.id),
        "custom_fields": [
            _field_out(v) for v in custom_fields.ticket_values(session, actor, view.id)
        ],
    }
    return view, extras


def ticket_out(view: tickets.TicketView, extras: dict | None = None) -> TicketOut:
    out = TicketOut.model_validate(view)
    return out.model_copy(
        update={
            "attachments": [_attachment(a) for a in view.attachments],
            "conversation": [_comment(c) for c in view.conversation],
            **(extras or {}),
        }
    )


def _etag(version: int) -> str:
    return f'"{version}"'


def _if_match(value: str | None) -> str | None:
    """The version an `If-Match` header names ("7", W/"7" or 7); None for none or `*`."""
    if value is None or value.strip() == "*":
        return None
    return value.strip().removeprefix("W/").strip('"')


def _published(ticket_id: int, caller_: Caller) -> None:
    live.publish(live.Change(kind="ticket", ticket_ids=(ticket_id,), actor_id=caller_.actor.id))


@router.get("/tickets", response_model=TicketPage, summary="List and search tickets")
async def list_tickets(
    request: Request,
    response: Response,
    who: Caller = Depends(caller),
    q: str = Query("", max_length=200, description="text in the title or description, or #number"),
    status: list[str] = Query([]),
    priority: list[str] = Query([]),
    type: list[str] = Query([]),
    category_id: int | None = None,
    team_id: int | None = None,
    assignee: str | None = Query(None, description='"me", "unassigned" or a user id'),
    requester_id: int | None = None,
    tag: str | None = Query(None, max_length=60, description="staff: tickets with this tag"),
    sort: Sort | None = Query(
        None, description="default: relevance with `q` (best matches first), else updated_at"
    ),
    direction: Literal["asc", "desc"] = "desc",
    page: int = Query(1, ge=1, le=1_000_000),
    per_page: int = Query(25, ge=1, le=tickets.MAX_PAGE_SIZE),
) -> TicketPage:
    """Requesters get their own tickets; the order is stable (ties broken by id)."""
    rows, total = await call(
        request,
        tickets.list_tickets,
        who.actor,
        sort=sort or ("relevance" if q.strip() else "updated_at"),
        direction=direction,
        page=page,
        page_size=per_page,
        status=status,
        priority=priority,
        type=type,
        category_id=category_id,
        team_id=team_id,
        assignee=assignee,
        requester_id=requester_id,
        tag=tag,
        text=q,
        exact_count=True,  # the API's `total` is exact (the list page shows "1,000+")
        readonly=True,
    )
    has_more = page * per_page < total
    if has_more:
        next_url = request.url.include_query_params(page=page + 1)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    items = [TicketSummary.model_validate(r) for r in rows]
    return TicketPage(items=items, total=total, page=page, per_page=per_page, has_more=has_more)


@router.post("/tickets", status_code=201, response_model=TicketOut, summary="File a ticket")
async def create_ticket(
    request: Request,
    response: Response,
    body: TicketCreate,
    who: Caller = Depends(caller),
    idempotency_key: str | None = Header(
        None, max_length=200, description="a retry with the same key returns the same ticket"
    ),
) -> TicketOut:
    key = None
    if idempotency_key:  # one namespace per user, so keys of different clients never meet
        digest = hashlib.sha256(f"{who.actor.id}:{idempotency_key}".encode()).hexdigest()
        key = f"api:{digest[:48]}"

    def work(session):
        fields = body.model_dump(exclude={"tags"})
        ref = tickets.create_ticket(session, who.actor, **fields, idempotency_key=key)
        if body.tags:
            tags.add_tags(session, who.actor, ref.id, body.tags)
        return _view(session, who.actor, ref.number)

    view, extras = await call(request, work, idempotent=key is not None)
    _published(view.id, who)
    response.headers["Location"] = f"/api/v1/tickets/{view.number}"
    response.headers["ETag"] = _etag(view.version)
    return ticket_out(view, extras)


@router.get("/tickets/{number}", response_model=TicketOut, summary="A ticket with its history")
async def get_ticket(
    request: Request, response: Response, number: int, who: Caller = Depends(caller)
) -> TicketOut:
    """With its conversation (requesters: public replies only) and history."""
    view, extras = await call(request, _view, who.actor, number, readonly=True)
    response.headers["ETag"] = _etag(view.version)
    return ticket_out(view, extras)


@router.patch("/tickets/{number}", response_model=TicketOut, summary="Change fields")
async def update_ticket(
    request: Request,
    response: Response,
    number: int,
    body: TicketUpdate,
    who: Caller = Depends(caller),
    if_match: str | None = Header(
        None, max_length=100, description="the ETag (version) you read: 412 if it moved since"
    ),
) -> TicketOut:
    """Agents and managers. Send `If-Match` with the ETag from GET to never overwrite a change
    made in between (412 Precondition Failed)."""
    expected = _if_match(if_match)

    def work(session):
        ticket_id = tickets.ticket_id_for_number(session, who.actor, number)
        changes = body.model_dump(exclude_unset=True)
        values, tag_list = changes.pop("custom_fields", None), changes.pop("tags", None)
        if changes or expected is not None:
            tickets.update_fields(session, who.actor, ticket_id, expected, **changes)
        if values:
            custom_fields.set_values(session, who.actor, ticket_id, values)
        if tag_list is not None:
            tags.set_tags(session, who.actor, ticket_id, tag_list)
        return _view(session, who.actor, number)

    try:
        view, extras = await call(request, work)
    except Conflict as exc:
        if expected is None:
            raise
        raise ApiError(412, exc.msgid, **exc.params) from None
    _published(view.id, who)
    response.headers["ETag"] = _etag(view.version)
    return ticket_out(view, extras)


@router.get(
    "/tickets/{number}/comments", response_model=list[CommentOut], summary="The conversation"
)
async def list_comments(
    request: Request,
    number: int,
    who: Caller = Depends(caller),
    since: datetime | None = Query(None, description="only replies after this moment"),
) -> list[CommentOut]:
    """Public replies (and, for staff, internal notes), oldest first: poll with `since`."""
    view = await call(request, tickets.get_ticket_view, who.actor, number, readonly=True)
    comments = view.conversation
    if since is not None:
        moment = since if since.tzinfo else since.replace(tzinfo=UTC)
        comments = [c for c in comments if c.created_at > moment]
    return [_comment(c) for c in comments]


@router.post(
    "/tickets/{number}/comments",
    status_code=201,
    response_model=CommentOut,
    summary="Reply or add an internal note",
)
async def add_comment(
    request: Request, number: int, body: CommentCreate, who: Caller = Depends(caller)
) -> CommentOut:
    def work(session):
        ticket_id = tickets.ticket_id_for_number(session, who.actor, number)
        return ticket_id, tickets.add_comment(
            session, who.actor, ticket_id, body.body, body.internal
        )

    ticket_id, comment = await call(request, work)
    _published(ticket_id, who)
    return _comment(comment)


@router.post(
    "/tickets/{number}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    summary="Attach a file",
)
async def upload_attachment(
    request: Request,
    number: int,
    file: UploadFile = File(...),
    comment_id: int | None = Form(None),
    who: Caller = Depends(caller),
) -> AttachmentOut:
    """One file (at most 10 MB) on the ticket, or on one of its replies (`comment_id`)."""
    data = await file.read(attachments.MAX_BYTES + 1)
    if len(data) > attachments.MAX_BYTES:
        raise ApiError(413, N_("Files can be at most 10 MB."), "file")

    def work(session):
        ticket_id = tickets.ticket_id_for_number(session, who.actor, number)
        stored = attachments.store_upload(
            session, who.actor, ticket_id, comment_id, file.filename, data
        )
        return ticket_id, stored

    ticket_id, stored = await call(request, work)
    _published(ticket_id, who)
    return _attachment(stored)


@router.get(
    "/attachments/{attachment_id}",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
    summary="Download a file",
)
async def download_attachment(
    request: Request, attachment_id: int, who: Caller = Depends(caller)
) -> FileResponse:
    path, filename, content_type = await call(
        request, attachments.open_download, who.actor, attachment_id, readonly=True
    )
    return FileResponse(
        path,
        media_type=content_type,
        filename=filename,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
