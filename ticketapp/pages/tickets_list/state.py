"""The ticket list's state: filters, sort and page (read from and written to the URL), the
rows of the current page, the selection and the bulk actions.

The URL is the truth: every filter, the sort and the page live in the query string. A change
rewrites the URL (replace, no history spam) and on_load reads it back and queries the database,
so a reload, a shared link or a reconnect with a fresh state shows the same list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlencode

import reflex as rx

from ticketapp import live
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import Priority, TicketStatus
from ticketapp.pages.tickets_list.constants import (
    ACTIVE,
    ACTIVE_VALUES,
    ANY,
    PAGE_SIZE,
    SAVED_VIEWS,
    SORTS,
)
from ticketapp.pages.tickets_list.view_model import ListRow, Option, filter_options, list_row
from ticketapp.services import preferences, ticket_export, tickets
from ticketapp.services import tags as tag_service
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import STAFF, SessionState


class TicketsListState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = STAFF

    # Filters as in the URL ("any" = no filter).
    f_status: str = ANY
    f_priority: str = ANY
    f_type: str = ANY
    f_channel: str = ANY
    f_category: str = ANY
    f_assignee: str = ANY
    f_team: str = ANY
    f_requester: str = ANY
    f_organisation: str = ANY  # ORGS:
    f_text: str = ""
    f_tag: str = ""  # TAGS: a tag's name
    f_field: str = ANY  # FIELDS: a custom field's id, and the value it must hold
    f_field_value: str = ""
    field_options: list[Option] = []
    sort: str = "updated_at"
    direction: str = "desc"
    page: int = 1

    rows: list[ListRow] = []
    total: int = 0
    total_capped: bool = False  # a search counted this far; more tickets match
    loading: bool = True
    error: str = ""
    category_options: list[Option] = []
    team_options: list[Option] = []
    assignee_options: list[Option] = []
    bulk_assignee_options: list[Option] = []
    requester_options: list[Option] = []
    organisation_options: list[Option] = []  # ORGS:

    columns: list[str] = list(preferences.DEFAULT_LIST_COLUMNS)  # the optional ones shown

    selected: list[int] = []
    bulk_assignee: str = "me"
    bulk_status: str = TicketStatus.OPEN.value
    bulk_priority: str = Priority.HIGH.value
    bulk_tag: str = ""  # TAGS: the tag the bulk action adds
    bulk_running: bool = False
    bulk_summary: str = ""
    bulk_refused: list[str] = []
    _numbers: dict[int, int] = {}  # ticket id -> number, for rows seen (selection spans pages)

    @rx.var
    def page_count(self) -> int:
        # A capped search's count always reaches past the page shown: one more page exists.
        return max(1, -(-self.total // PAGE_SIZE)) + (1 if self.total_capped else 0)

    @rx.var
    def page_count_label(self) -> str:
        return f"{self.page_count}+" if self.total_capped else str(self.page_count)

    @rx.var
    def range_label(self) -> str:
        if self.total == 0:
            return _("No tickets")
        first = (self.page - 1) * PAGE_SIZE + 1
        last = min(self.total, self.page * PAGE_SIZE)
        more = "+" if self.total_capped else ""
        return f"{first}–{last} of {self.total}{more}"

    @rx.var
    def all_selected(self) -> bool:
        return bool(self.rows) and all(r["id"] in self.selected for r in self.rows)

    # -- URL <-> filters --------------------------------------------------------------------

    def _params(self) -> dict[str, str]:
        values = {
            "status": self.f_status,
            "priority": self.f_priority,
            "type": self.f_type,
            "channel": self.f_channel,
            "category": self.f_category,
            "assignee": self.f_assignee,
            "team": self.f_team,
            "requester": self.f_requester,
            "organisation": self.f_organisation,
            "q": self.f_text.strip(),
            "tag": self.f_tag.strip(),
            "field": self.f_field,
            "value": self.f_field_value.strip() if self.f_field != ANY else "",
        }
        out = {k: v for k, v in values.items() if v and v != ANY}
        if self.sort != "updated_at" or self.direction != "desc":
            out["sort"] = self.sort
            out["dir"] = self.direction
        if self.page > 1:
            out["page"] = str(self.page)
        return out

    def _go(self):
        query = urlencode(self._params())
        return rx.redirect(f"/tickets?{query}" if query else "/tickets", replace=True)

    def _read_url(self) -> None:
        params = {k: str(v)[:200] for k, v in self.router.url.query_parameters.items()}
        self.f_status = params.get("status", ANY) or ANY
        self.f_priority = params.get("priority", ANY) or ANY
        self.f_type = params.get("type", ANY) or ANY
        self.f_channel = params.get("channel", ANY) or ANY
        self.f_category = params.get("category", ANY) or ANY
        self.f_assignee = params.get("assignee", ANY) or ANY
        self.f_team = params.get("team", ANY) or ANY
        self.f_requester = params.get("requester", ANY) or ANY
        self.f_organisation = params.get("organisation", ANY) or ANY
        self.f_text = params.get("q", "")
        self.f_tag = params.get("tag", "")
        self.f_field = params.get("field", ANY) or ANY
        self.f_field_value = params.get("value", "")
        self.sort = params.get("sort", "updated_at")
        if self.sort not in SORTS:
            self.sort = "updated_at"
        self.direction = "asc" if params.get("dir") == "asc" else "desc"
        page = params.get("page", "1")
        self.page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1

    def _service_filters(self) -> dict:
        def val(v: str) -> str | None:
            return None if v in ("", ANY) else v

        status: object = val(self.f_status)
        if status == ACTIVE:
            status = ACTIVE_VALUES
        elif isinstance(status, str) and "," in status:
            status = status.split(",")
        return {
            "status": status,
            "priority": val(self.f_priority),
            "type": val(self.f_type),
            "channel": val(self.f_channel),
            "category_id": val(self.f_category),
            "assignee": val(self.f_assignee),
            "team_id": val(self.f_team),
            "requester_id": val(self.f_requester),
            "organisation_id": val(self.f_organisation),
            "text": self.f_text,
            "tag": self.f_tag.strip() or None,
            "custom": {self.f_field: self.f_field_value} if val(self.f_field) else None,
        }

    def _service_sort(self) -> str:
        """A search with the default sort lists the best matches first."""
        default = self.sort == "updated_at" and self.direction == "desc"
        return "relevance" if default and self.f_text.strip() else self.sort

    async def _reload(self, actor: Actor) -> None:
        filters = self._service_filters()
        try:
            found, total = await run_in_session(
                tickets.list_tickets,
                actor,
                sort=self._service_sort(),
                direction=self.direction,
                page=self.page,
                page_size=PAGE_SIZE,
                readonly=True,
                **filters,
            )
            self.error = ""
        except ServiceError as exc:
            found, total = [], 0
            self.error = _("{problem} Clear the filters to start again.", problem=exc.message)
        if not found and total and self.page > 1:  # past the end: go to the last page
            self.page = max(1, -(-total // PAGE_SIZE))
            found, total = await run_in_session(
                tickets.list_tickets,
                actor,
                sort=self._service_sort(),
                direction=self.direction,
                page=self.page,
                page_size=PAGE_SIZE,
                readonly=True,
                **filters,
            )
        tags_by_id: dict[int, list[str]] = {}
        if "tags" in self.columns and found:
            ids = [r.id for r in found]
            tags_by_id = await run_in_session(tag_service.tags_of_listed, actor, ids, readonly=True)
        now = datetime.now(UTC)
        self.rows = [list_row(r, now, tags_by_id.get(r.id)) for r in found]
        self.total = int(total)
        self.total_capped = bool(getattr(total, "capped", False))
        self._numbers = {**self._numbers, **{r["id"]: r["number"] for r in self.rows}}
        self.loading = False

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        self._read_url()
        if not self.category_options:
            opts = await run_in_session(filter_options, actor, readonly=True)
            self.category_options = opts["categories"]
            self.team_options = opts["teams"]
            self.assignee_options = opts["assignees"]
            self.bulk_assignee_options = opts["bulk_assignees"]
            self.requester_options = opts["requesters"]
            self.organisation_options = opts["organisations"]
            self.field_options = opts["fields"]
        self.columns = await run_in_session(preferences.list_columns, actor, readonly=True)
        await self._reload(actor)

    # -- filter events ----------------------------------------------------------------------

    @rx.event
    def set_filter(self, name: str, value: str):
        attr = {
            "status": "f_status",
            "priority": "f_priority",
            "type": "f_type",
            "channel": "f_channel",
            "category": "f_category",
            "assignee": "f_assignee",
            "team": "f_team",
            "requester": "f_requester",
            "organisation": "f_organisation",
            "tag": "f_tag",
            "field": "f_field",
            "value": "f_field_value",
        }.get(str(name))
        if attr is None:
            return
        empty = "" if attr in ("f_tag", "f_field_value") else ANY
        setattr(self, attr, str(value)[:200] or empty)
        self.page = 1
        return self._go()

    @rx.event
    def set_text(self, value: str):
        self.f_text = str(value)[:200]
        self.page = 1
        return self._go()

    @rx.event
    def clear_filters(self):
        for attr in ("f_status", "f_priority", "f_type", "f_channel", "f_category", "f_assignee"):
            setattr(self, attr, ANY)
        self.f_team = self.f_requester = self.f_organisation = ANY
        self.f_text = self.f_tag = self.f_field_value = ""
        self.f_field = ANY
        self.page = 1
        return self._go()

    @rx.event
    def apply_view(self, index: int):
        try:
            _name, params = SAVED_VIEWS[int(index)]
        except (IndexError, TypeError, ValueError):
            return
        query = urlencode(params)
        return rx.redirect(f"/tickets?{query}", replace=True)

    @rx.event
    def sort_by(self, key: str):
        if key not in SORTS:
            return
        if self.sort == key:
            self.direction = "asc" if self.direction == "desc" else "desc"
        else:
            self.sort = key
            self.direction = "asc" if key in ("number", "title") else "desc"
        self.page = 1
        return self._go()

    @rx.event
    def go_page(self, page: int):
        try:
            self.page = max(1, int(page))
        except (TypeError, ValueError):
            return
        return self._go()

    # -- columns (pages/tickets_list/columns.py) ----------------------------------------------

    @rx.event
    async def show_column(self, name: str, shown: bool):
        actor = await self.current_actor()
        if actor is None:
            return None
        wanted = [c for c in self.columns if c != name] + ([str(name)] if shown else [])
        try:
            self.columns = await run_in_session(preferences.set_list_columns, actor, wanted)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        if name == "tags" and shown is True:  # the rows have no tags yet
            await self._reload(actor)
        return None

    @rx.event
    async def reset_columns(self):
        actor = await self.current_actor()
        if actor is not None:
            self.columns = await run_in_session(preferences.reset_list_columns, actor)

    # -- selection and bulk actions ---------------------------------------------------------

    @rx.event
    def toggle(self, ticket_id: int, checked: bool):
        try:
            tid = int(ticket_id)
        except (TypeError, ValueError):
            return
        rest = [i for i in self.selected if i != tid]
        self.selected = [*rest, tid] if checked else rest

    @rx.event
    def toggle_all(self, checked: bool):
        page_ids = [r["id"] for r in self.rows]
        rest = [i for i in self.selected if i not in page_ids]
        self.selected = [*rest, *page_ids] if checked else rest

    @rx.event
    def clear_selection(self):
        self.selected = []

    @rx.event
    def set_bulk(self, name: str, value: str):
        if name == "assignee":
            self.bulk_assignee = str(value)[:20]
        elif name == "status":
            self.bulk_status = str(value)[:20]
        elif name == "priority":
            self.bulk_priority = str(value)[:20]
        elif name == "tag":
            self.bulk_tag = str(value)[:60]

    @rx.event
    async def run_bulk(self, what: str):
        actor = await self.current_actor()
        if actor is None or not actor.is_staff or not self.selected or self.bulk_running:
            return
        if what == "assignee":
            target = self.bulk_assignee
            changes = {
                "assignee_id": actor.id
                if target == "me"
                else (None if target == "none" else target)
            }
        elif what == "status":
            changes = {"status": self.bulk_status}
        elif what == "priority":
            changes = {"priority": self.bulk_priority}
        elif what != "tag":
            return
        run = tickets.bulk_update
        if what == "tag":  # TAGS: add a tag to every selected ticket
            run, changes = tag_service.bulk_add_tags, {"raw": self.bulk_tag}
        numbers = self._numbers
        ids = list(self.selected)
        self.bulk_running = True
        yield
        try:
            outcomes = await run_in_session(run, actor, ids, **changes)
        except ServiceError as exc:
            self.bulk_running = False
            yield rx.toast.error(exc.message)
            return
        done = [o for o in outcomes if o.ok]
        refused = [o for o in outcomes if not o.ok]
        if done:
            live.publish(
                live.Change(
                    kind="ticket",
                    ticket_ids=tuple(int(o.ticket_id) for o in done),
                    actor_id=actor.id,
                )
            )
        self.bulk_refused = [
            f"#{numbers.get(int(o.ticket_id), o.ticket_id)}: {o.message}" for o in refused
        ]
        summary = f"{len(done)} updated"
        if refused:
            summary += f", {len(refused)} refused"
        self.bulk_summary = summary + "."
        self.selected = [int(o.ticket_id) for o in refused if str(o.ticket_id).isdigit()]
        self.bulk_running = False
        await self._reload(actor)
        detail = "; ".join(self.bulk_refused)
        if refused:
            yield rx.toast.warning(f"{self.bulk_summary} {detail}")
        else:
            yield rx.toast.success(self.bulk_summary)

    @rx.event
    async def export_csv(self):
        """The tickets under the current filters as CSV, with tags and custom fields."""
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        filters = self._service_filters()
        try:
            data = await run_in_session(ticket_export.tickets_csv, actor, readonly=True, **filters)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.download(data=data, filename="tickets.csv", mime_type="text/csv")

    @rx.event
    def dismiss_bulk(self):
        self.bulk_summary = ""
        self.bulk_refused = []
