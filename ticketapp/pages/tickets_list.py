"""/tickets: the agents' ticket list: filters, sort, SQL pagination, saved views, bulk actions.

The URL is the truth: every filter, the sort and the page live in the query string. A change
rewrites the URL (replace, no history spam) and on_load reads it back and queries the database,
so a reload, a shared link or a reconnect with a fresh state shows the same list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar, TypedDict
from urllib.parse import urlencode

import reflex as rx

from ticketapp import live
from ticketapp.components.form_fields import table_caption
from ticketapp.components.layout import page_frame
from ticketapp.db import run_in_session
from ticketapp.models import (
    PRIORITY_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    Priority,
    TicketStatus,
    TicketType,
)
from ticketapp.pages.portal import ago, status_badge
from ticketapp.services import choices, directory, lifecycle, tickets
from ticketapp.services.actor import Actor
from ticketapp.services.errors import ServiceError
from ticketapp.state import STAFF, SessionState

PAGE_SIZE = 25
ANY = "any"
ACTIVE = "active"
SORTS = {
    "number": "Number",
    "title": "Title",
    "status": "Status",
    "priority": "Priority",
    "updated_at": "Updated",
    "created_at": "Created",
}
FILTER_KEYS = ("status", "priority", "type", "category", "assignee", "team", "requester", "q")
ACTIVE_VALUES = [s.value for s in lifecycle.ACTIVE_STATUSES]
ACTIVE_CSV = ",".join(ACTIVE_VALUES)
SAVED_VIEWS = [
    ("My open", {"assignee": "me", "status": ACTIVE}),
    ("Unassigned", {"assignee": "unassigned", "status": ACTIVE}),
    ("All open", {"status": ACTIVE}),
]
STATUS_OPTIONS = [(ANY, "Any status"), (ACTIVE, "Open (not resolved or closed)")] + [
    (s.value, STATUS_LABELS[s]) for s in TicketStatus
]
PRIORITY_OPTIONS = [(ANY, "Any priority")] + [(p.value, PRIORITY_LABELS[p]) for p in Priority]
TYPE_OPTIONS = [(ANY, "Any type")] + [(t.value, TYPE_LABELS[t]) for t in TicketType]


class Option(TypedDict):
    value: str
    label: str


class ListRow(TypedDict):
    id: int
    number: int
    title: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    type_label: str
    category: str
    requester: str
    assignee: str
    team: str
    updated: str
    updated_iso: str
    sla: str
    sla_state: str


def _label(labels: dict, value: str) -> str:
    for k, v in labels.items():
        if k == value:
            return v
    return value


def _list_row(r: tickets.TicketRow, now: datetime) -> ListRow:
    return ListRow(
        id=r.id,
        number=r.number,
        title=r.title,
        status=r.status,
        status_label=r.status_label,
        priority=r.priority,
        priority_label=_label(PRIORITY_LABELS, r.priority),
        type_label=_label(TYPE_LABELS, r.type),
        category=r.category_name,
        requester=r.requester_name,
        assignee=r.assignee_name,
        team=r.team_name,
        updated=ago(r.updated_at, now),
        updated_iso=r.updated_at.isoformat(),
        sla=r.sla_label,
        sla_state=r.sla_state,
    )


def _options(session, actor: Actor) -> dict[str, list[Option]]:
    picks = choices.edit_choices(session, actor)
    people = directory.requesters_with_tickets(session, actor)
    return {
        "categories": [Option(value=ANY, label="Any category")]
        + [Option(value=str(c.id), label=c.name) for c in picks.categories],
        "teams": [Option(value=ANY, label="Any team")]
        + [Option(value=str(t.id), label=t.name) for t in picks.teams],
        "assignees": [
            Option(value=ANY, label="Anyone"),
            Option(value="me", label="Me"),
            Option(value="unassigned", label="Unassigned"),
        ]
        + [Option(value=str(a.id), label=a.name) for a in picks.assignees],
        "bulk_assignees": [
            Option(value="me", label="Me"),
            Option(value="none", label="Nobody (unassign)"),
        ]
        + [Option(value=str(a.id), label=a.name) for a in picks.assignees],
        "requesters": [Option(value=ANY, label="Any requester")]
        + [Option(value=str(p.id), label=f"{p.name} ({p.email})") for p in people],
    }


class TicketsListState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = STAFF

    # Filters as in the URL ("any" = no filter).
    f_status: str = ANY
    f_priority: str = ANY
    f_type: str = ANY
    f_category: str = ANY
    f_assignee: str = ANY
    f_team: str = ANY
    f_requester: str = ANY
    f_text: str = ""
    sort: str = "updated_at"
    direction: str = "desc"
    page: int = 1

    rows: list[ListRow] = []
    total: int = 0
    loading: bool = True
    error: str = ""
    category_options: list[Option] = []
    team_options: list[Option] = []
    assignee_options: list[Option] = []
    bulk_assignee_options: list[Option] = []
    requester_options: list[Option] = []

    selected: list[int] = []
    bulk_assignee: str = "me"
    bulk_status: str = TicketStatus.OPEN.value
    bulk_priority: str = Priority.HIGH.value
    bulk_running: bool = False
    bulk_summary: str = ""
    bulk_refused: list[str] = []
    _numbers: dict[int, int] = {}  # ticket id -> number, for rows seen (selection spans pages)

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @rx.var
    def range_label(self) -> str:
        if self.total == 0:
            return "No tickets"
        first = (self.page - 1) * PAGE_SIZE + 1
        last = min(self.total, self.page * PAGE_SIZE)
        return f"{first}–{last} of {self.total}"

    @rx.var
    def all_selected(self) -> bool:
        return bool(self.rows) and all(r["id"] in self.selected for r in self.rows)

    # -- URL <-> filters --------------------------------------------------------------------

    def _params(self) -> dict[str, str]:
        values = {
            "status": self.f_status,
            "priority": self.f_priority,
            "type": self.f_type,
            "category": self.f_category,
            "assignee": self.f_assignee,
            "team": self.f_team,
            "requester": self.f_requester,
            "q": self.f_text.strip(),
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
        self.f_category = params.get("category", ANY) or ANY
        self.f_assignee = params.get("assignee", ANY) or ANY
        self.f_team = params.get("team", ANY) or ANY
        self.f_requester = params.get("requester", ANY) or ANY
        self.f_text = params.get("q", "")
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
            "category_id": val(self.f_category),
            "assignee": val(self.f_assignee),
            "team_id": val(self.f_team),
            "requester_id": val(self.f_requester),
            "text": self.f_text,
        }

    async def _reload(self, actor: Actor) -> None:
        filters = self._service_filters()
        try:
            found, total = await run_in_session(
                tickets.list_tickets,
                actor,
                sort=self.sort,
                direction=self.direction,
                page=self.page,
                page_size=PAGE_SIZE,
                readonly=True,
                **filters,
            )
            self.error = ""
        except ServiceError as exc:
            found, total = [], 0
            self.error = f"{exc.message} Clear the filters to start again."
        if not found and total and self.page > 1:  # past the end: go to the last page
            self.page = max(1, -(-total // PAGE_SIZE))
            found, total = await run_in_session(
                tickets.list_tickets,
                actor,
                sort=self.sort,
                direction=self.direction,
                page=self.page,
                page_size=PAGE_SIZE,
                readonly=True,
                **filters,
            )
        now = datetime.now(UTC)
        self.rows = [_list_row(r, now) for r in found]
        self.total = total
        self._numbers = {**self._numbers, **{r["id"]: r["number"] for r in self.rows}}
        self.loading = False

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None or not actor.is_staff:
            return
        self._read_url()
        if not self.category_options:
            opts = await run_in_session(_options, actor, readonly=True)
            self.category_options = opts["categories"]
            self.team_options = opts["teams"]
            self.assignee_options = opts["assignees"]
            self.bulk_assignee_options = opts["bulk_assignees"]
            self.requester_options = opts["requesters"]
        await self._reload(actor)

    # -- filter events ----------------------------------------------------------------------

    @rx.event
    def set_filter(self, name: str, value: str):
        attr = {
            "status": "f_status",
            "priority": "f_priority",
            "type": "f_type",
            "category": "f_category",
            "assignee": "f_assignee",
            "team": "f_team",
            "requester": "f_requester",
        }.get(str(name))
        if attr is None:
            return
        setattr(self, attr, str(value)[:200] or ANY)
        self.page = 1
        return self._go()

    @rx.event
    def set_text(self, value: str):
        self.f_text = str(value)[:200]
        self.page = 1
        return self._go()

    @rx.event
    def clear_filters(self):
        for attr in ("f_status", "f_priority", "f_type", "f_category", "f_assignee", "f_team"):
            setattr(self, attr, ANY)
        self.f_requester = ANY
        self.f_text = ""
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
        else:
            return
        numbers = self._numbers
        ids = list(self.selected)
        self.bulk_running = True
        yield
        try:
            outcomes = await run_in_session(tickets.bulk_update, actor, ids, **changes)
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
    def dismiss_bulk(self):
        self.bulk_summary = ""
        self.bulk_refused = []


# --- the page -------------------------------------------------------------------------------

S = TicketsListState
LABEL = {"font-weight": "500", "font-size": "13px"}


def _filter_select(label: str, field_id: str, name: str, options, value) -> rx.Component:
    if isinstance(options, rx.Var):
        items = rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))
    else:
        items = rx.fragment(*[rx.select.item(lbl, value=val) for val, lbl in options])
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL),
        rx.select.root(
            rx.select.trigger(id=field_id, min_width="10em"),
            rx.select.content(items),
            value=value,
            on_change=lambda v: S.set_filter(name, v),
            size="2",
        ),
        spacing="1",
    )


def _filters() -> rx.Component:
    status_value = rx.cond(
        rx.Var.create([v for v, _ in STATUS_OPTIONS]).contains(S.f_status), S.f_status, ANY
    )
    return rx.el.section(
        rx.hstack(
            rx.text("Saved views:", size="2", weight="medium"),
            *[
                rx.button(name, size="1", variant="soft", on_click=S.apply_view(i), type="button")
                for i, (name, _p) in enumerate(SAVED_VIEWS)
            ],
            rx.spacer(),
            rx.button(
                "Clear filters", size="1", variant="ghost", on_click=S.clear_filters, type="button"
            ),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        rx.flex(
            rx.vstack(
                rx.el.label("Search tickets", html_for="tickets-search", style=LABEL),
                rx.input(
                    id="tickets-search",
                    type="search",
                    placeholder="Number, title or description",
                    value=S.f_text,
                    on_change=S.set_text,
                    debounce_timeout=400,
                    width="16em",
                ),
                spacing="1",
            ),
            _filter_select("Status", "filter-status", "status", STATUS_OPTIONS, status_value),
            _filter_select(
                "Priority", "filter-priority", "priority", PRIORITY_OPTIONS, S.f_priority
            ),
            _filter_select("Type", "filter-type", "type", TYPE_OPTIONS, S.f_type),
            _filter_select(
                "Category", "filter-category", "category", S.category_options, S.f_category
            ),
            _filter_select(
                "Assignee", "filter-assignee", "assignee", S.assignee_options, S.f_assignee
            ),
            _filter_select("Team", "filter-team", "team", S.team_options, S.f_team),
            _filter_select(
                "Requester", "filter-requester", "requester", S.requester_options, S.f_requester
            ),
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        aria_label="Filters",
        style={"display": "flex", "flex-direction": "column", "gap": "0.75em", "width": "100%"},
    )


def _bulk_control(label: str, field_id: str, name: str, options, value) -> rx.Component:
    if isinstance(options, rx.Var):
        items = rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))
    else:
        items = rx.fragment(*[rx.select.item(lbl, value=val) for val, lbl in options])
    return rx.hstack(
        rx.el.label(label, html_for=field_id, style=LABEL),
        rx.select.root(
            rx.select.trigger(id=field_id),
            rx.select.content(items),
            value=value,
            on_change=lambda v: S.set_bulk(name, v),
            size="1",
        ),
        rx.button(
            "Apply",
            size="1",
            type="button",
            on_click=S.run_bulk(name),
            disabled=(S.selected.length() == 0) | S.bulk_running,
            aria_label=f"Apply {label.lower()} to selected tickets",
        ),
        align="center",
        spacing="2",
    )


def _bulk_bar() -> rx.Component:
    return rx.el.section(
        rx.flex(
            rx.text(
                S.selected.length().to_string() + " selected",
                size="2",
                weight="medium",
                aria_live="polite",
            ),
            _bulk_control(
                "Assign to", "bulk-assignee", "assignee", S.bulk_assignee_options, S.bulk_assignee
            ),
            _bulk_control(
                "Set status",
                "bulk-status",
                "status",
                [(s.value, STATUS_LABELS[s]) for s in TicketStatus],
                S.bulk_status,
            ),
            _bulk_control(
                "Set priority",
                "bulk-priority",
                "priority",
                [(p.value, PRIORITY_LABELS[p]) for p in Priority],
                S.bulk_priority,
            ),
            rx.cond(S.bulk_running, rx.spinner(size="1")),
            rx.cond(
                S.selected.length() > 0,
                rx.button(
                    "Clear selection",
                    size="1",
                    variant="ghost",
                    type="button",
                    on_click=S.clear_selection,
                ),
            ),
            wrap="wrap",
            spacing="4",
            align="center",
            padding="0.5em 0.75em",
            border_radius="var(--radius-3)",
            background="var(--gray-a3)",
            width="100%",
        ),
        rx.box(
            rx.cond(
                S.bulk_summary != "",
                rx.callout.root(
                    rx.callout.icon(rx.icon("info")),
                    rx.vstack(
                        rx.hstack(
                            rx.text(S.bulk_summary, weight="bold", size="2"),
                            rx.button(
                                "Dismiss",
                                size="1",
                                variant="ghost",
                                high_contrast=True,
                                on_click=S.dismiss_bulk,
                                type="button",
                            ),
                            align="center",
                        ),
                        rx.cond(
                            S.bulk_refused.length() > 0,
                            rx.el.ul(
                                rx.foreach(S.bulk_refused, lambda m: rx.el.li(m)),
                                aria_label="Refused tickets",
                                style={"margin": 0, "padding-left": "1.2em", "font-size": "14px"},
                            ),
                        ),
                        spacing="1",
                    ),
                    color_scheme=rx.cond(S.bulk_refused.length() > 0, "amber", "green"),
                    high_contrast=True,
                    width="100%",
                ),
            ),
            role="status",
            aria_label="Bulk action result",
            width="100%",
        ),
        aria_label="Bulk actions",
        style={"display": "flex", "flex-direction": "column", "gap": "0.5em", "width": "100%"},
    )


def _sort_header(key: str, label: str) -> rx.Component:
    active = S.sort == key
    return rx.table.column_header_cell(
        rx.button(
            label,
            rx.cond(
                active,
                rx.cond(
                    S.direction == "asc",
                    rx.icon("arrow-up", size=14, aria_hidden="true"),
                    rx.icon("arrow-down", size=14, aria_hidden="true"),
                ),
            ),
            variant="ghost",
            size="2",
            type="button",
            on_click=S.sort_by(key),
            style={"font-weight": "bold"},
            high_contrast=True,
            aria_label="Sort by " + label.lower(),
        ),
        aria_sort=rx.cond(active, rx.cond(S.direction == "asc", "ascending", "descending"), "none"),
    )


def sla_badge(state: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    """SLA remaining time: amber in the last 25 %, red when breached (the text says so too)."""
    return rx.cond(
        label != "",
        rx.badge(
            label,
            color_scheme=rx.match(
                state, ("breached", "red"), ("warning", "amber"), ("met", "green"), "gray"
            ),
            variant="soft",
            high_contrast=True,
            data_sla_state=state,
        ),
        rx.text("—", color_scheme="gray", aria_label="No SLA"),
    )


def _row(r: rx.Var[ListRow]) -> rx.Component:
    number = r["number"].to_string()
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=S.selected.contains(r["id"]),
                on_change=lambda checked: S.toggle(r["id"], checked),
                aria_label="Select #" + number,
            )
        ),
        rx.table.row_header_cell(rx.link("#" + number, href="/tickets/" + number)),
        rx.table.cell(rx.link(r["title"], href="/tickets/" + number, high_contrast=True)),
        rx.table.cell(status_badge(r["status"], r["status_label"])),
        rx.table.cell(r["priority_label"]),
        rx.table.cell(r["type_label"]),
        rx.table.cell(r["category"]),
        rx.table.cell(r["requester"]),
        rx.table.cell(
            rx.cond(r["assignee"] != "", r["assignee"], rx.text("Unassigned", color_scheme="gray"))
        ),
        rx.table.cell(r["team"]),
        rx.table.cell(rx.el.time(r["updated"], date_time=r["updated_iso"])),
        rx.table.cell(sla_badge(r["sla_state"], r["sla"])),
        data_ticket=number,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.loading,
        rx.center(rx.spinner(size="3"), aria_label="Loading tickets", padding="3em", width="100%"),
        rx.cond(
            S.rows.length() > 0,
            rx.box(
                rx.table.root(
                    table_caption("Tickets"),
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(
                                rx.checkbox(
                                    checked=S.all_selected,
                                    on_change=S.toggle_all,
                                    aria_label="Select all on this page",
                                )
                            ),
                            _sort_header("number", "Number"),
                            _sort_header("title", "Title"),
                            _sort_header("status", "Status"),
                            _sort_header("priority", "Priority"),
                            rx.table.column_header_cell("Type"),
                            rx.table.column_header_cell("Category"),
                            rx.table.column_header_cell("Requester"),
                            rx.table.column_header_cell("Assignee"),
                            rx.table.column_header_cell("Team"),
                            _sort_header("updated_at", "Updated"),
                            rx.table.column_header_cell("SLA"),
                        )
                    ),
                    rx.table.body(rx.foreach(S.rows, _row)),
                    width="100%",
                    size="1",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.card(
                rx.vstack(
                    rx.icon("search-x", size=28, aria_hidden="true"),
                    rx.text("No tickets match these filters.", weight="medium"),
                    rx.button("Clear filters", variant="soft", on_click=S.clear_filters),
                    align="center",
                    padding="1.5em",
                ),
                width="100%",
            ),
        ),
    )


def _pager() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            rx.text(S.range_label, size="2", aria_live="polite"),
            rx.spacer(),
            rx.button(
                "Previous",
                size="1",
                variant="soft",
                disabled=S.page <= 1,
                on_click=S.go_page(S.page - 1),
            ),
            rx.text("Page ", S.page.to_string(), " of ", S.page_count.to_string(), size="2"),
            rx.button(
                "Next",
                size="1",
                variant="soft",
                disabled=S.page >= S.page_count,
                on_click=S.go_page(S.page + 1),
            ),
            align="center",
            width="100%",
        ),
        aria_label="Pages",
        style={"width": "100%"},
    )


def tickets_list_page() -> rx.Component:
    return page_frame(
        rx.hstack(
            rx.spacer(),
            rx.link(rx.button(rx.icon("plus", size=16), "New ticket"), href="/tickets/new"),
            width="100%",
        ),
        _filters(),
        rx.cond(
            S.error != "",
            rx.callout(
                S.error, icon="triangle-alert", color_scheme="red", role="alert", width="100%"
            ),
        ),
        _bulk_bar(),
        _table(),
        _pager(),
        title="Tickets",
        roles=STAFF,
    )
