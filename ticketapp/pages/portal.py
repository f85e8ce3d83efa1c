"""/portal: the requester's home: search the knowledge base, follow their own tickets.

Live status: on_load registers the tab under the signed-in requester's id in this worker's
`_feed`. When a ticket changes, the feed (in every worker) looks up its requester and moves the
stamp of that requester's portals here; each reloads its own rows from the database, as the
requester signed in to it. A push carries no data, so no other requester's rows ever reach a
tab.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import ClassVar, TypedDict

import reflex as rx
from sqlmodel import col, select

from ticketapp import live
from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t, t_var, tn
from ticketapp.components.layout import page_frame
from ticketapp.components.stamp_watcher import stamp_watcher
from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.models import Ticket
from ticketapp.services import directory, kb, tickets
from ticketapp.services.actor import Actor
from ticketapp.state import SIGNED_IN, SessionState

log = logging.getLogger(__name__)
PAGE_SIZE = 50
ALL_CATEGORIES = "all"
COALESCE_SECONDS = 0.15
STATUS_COLORS = {
    "new": "blue",
    "open": "cyan",
    "in_progress": "amber",
    "waiting": "orange",
    "resolved": "green",
    "closed": "gray",
}


class PortalRow(TypedDict):
    id: int
    number: int
    title: str
    status: str
    status_label: str
    updated: str
    updated_iso: str
    unread: int
    snippet_html: str  # where a search matched (escaped HTML with <mark>)


class Hit(TypedDict):
    id: int
    slug: str
    title_html: str
    snippet_html: str
    category: str


class Option(TypedDict):
    value: str
    label: str


def ago(when: datetime, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    secs = max(0, int((now - when).total_seconds()))
    if secs < 60:
        return _("just now")
    if secs < 3600:
        return _("{n} min ago", n=secs // 60)
    if secs < 86400:
        return _("{n} h ago", n=secs // 3600)
    if secs < 7 * 86400:
        return _("{n} d ago", n=secs // 86400)
    return when.strftime("%d %b %Y")


def _rows(session, actor: Actor, query: str = "") -> list[PortalRow]:
    """The requester's tickets; with a query, those that match it, best first (ticket search:
    only their own tickets, never by an internal note's words, as services/ decide)."""
    if query.strip():
        found, _total = tickets.list_tickets(session, actor, text=query, page_size=PAGE_SIZE)
    else:
        found, _total = tickets.list_my_tickets(session, actor, 1, PAGE_SIZE)
    now = datetime.now(UTC)
    return [
        PortalRow(
            id=r.id,
            number=r.number,
            title=r.title,
            status=r.status,
            status_label=r.status_label,
            updated=ago(r.updated_at, now),
            updated_iso=r.updated_at.isoformat(),
            unread=r.unread,
            snippet_html=r.snippet_html,
        )
        for r in found
    ]


# --- the page state -------------------------------------------------------------------------


class PortalState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    rows: list[PortalRow] = []
    loaded: bool = False
    feed_stamp: int = 0  # moved by the feed when one of this requester's tickets changes
    _seen_stamp: int = 0
    kb_query: str = ""
    kb_category: str = ALL_CATEGORIES
    kb_hits: list[Hit] = []
    kb_searching: bool = False
    categories: list[Option] = []
    ticket_query: str = ""

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return
        # Follow this requester's tickets before reading them.
        _feed.register(self.router.session.client_token, actor.id)
        cats = await run_in_session(directory.categories, actor, readonly=True)
        self.categories = [Option(value=ALL_CATEGORIES, label=_("All categories"))] + [
            Option(value=str(i), label=n) for i, n in cats
        ]
        self._seen_stamp = self.feed_stamp
        await self._load_rows(actor)
        if self.kb_query:
            await self._search(actor)

    async def _load_rows(self, actor: Actor) -> None:
        self.rows = await run_in_session(_rows, actor, self.ticket_query, readonly=True)
        self.loaded = True

    @rx.event
    async def search_tickets(self, query: str):
        actor = await self.current_actor()
        if actor is None:
            return
        self.ticket_query = str(query)[:200]
        await self._load_rows(actor)

    def _feed_changed(self) -> bool:
        """Called by the feed under this tab's lock; False: this tab left the portal."""
        return live.bump(self, (self.router.url.path or "").rstrip("/") == "/portal")

    @rx.event
    async def live_refresh(self, stamp: int):
        """One of this requester's tickets changed: reload the list (as this requester)."""
        if not isinstance(stamp, int) or stamp == self._seen_stamp:
            return
        self._seen_stamp = stamp
        actor = await self.current_actor()
        if actor is not None:
            await self._load_rows(actor)

    async def _search(self, actor: Actor) -> None:
        query = self.kb_query.strip()
        if not query:
            self.kb_hits = []
            return
        category = int(self.kb_category) if self.kb_category.isdigit() else None
        hits = await run_in_session(kb.search, actor, query, category, 8, readonly=True)
        self.kb_hits = [
            Hit(
                id=h.id,
                slug=h.slug,
                title_html=h.title_html,
                snippet_html=h.snippet_html,
                category=h.category,
            )
            for h in hits
        ]

    @rx.event
    async def search(self, query: str):
        actor = await self.current_actor()
        if actor is None:
            return
        self.kb_query = str(query)[:200]
        await self._search(actor)

    @rx.event
    async def set_category(self, value: str):
        actor = await self.current_actor()
        if actor is None:
            return
        value = str(value)
        self.kb_category = value if value.isdigit() else ALL_CATEGORIES
        await self._search(actor)


# --- the live feed --------------------------------------------------------------------------


def _requesters_of(session, ticket_ids: set[int], among: set) -> set[int]:
    found = session.exec(
        select(Ticket.requester_id).where(col(Ticket.id).in_(sorted(ticket_ids))).distinct()
    ).all()
    return {int(r) for r in found if r is not None} & among


async def _feed_updates(changes: list[live.Change], followed: set) -> live.Updates:
    """A burst (a bulk action) moves each affected requester's portals once."""
    ids = live.ticket_ids(changes)
    if not ids:
        return {}
    requesters = await run_in_session(_requesters_of, ids, followed, readonly=True)
    return dict.fromkeys(requesters, PortalState._feed_changed)


# This worker's portals, each under its requester's id.
_feed = live.Feed(
    PortalState, ("ticket", "comment", "rating", "board"), _feed_updates, COALESCE_SECONDS
)


# --- the page -------------------------------------------------------------------------------


def status_badge(status: rx.Var[str], label: rx.Var[str]) -> rx.Component:
    return rx.badge(
        t_var(label),
        color_scheme=rx.match(status, *[(k, v) for k, v in STATUS_COLORS.items()], "gray"),
        variant="soft",
        high_contrast=True,
    )


def _hit(h: rx.Var[Hit]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.html(h["title_html"], style={"font-weight": "600"}),
            href="/kb/" + h["slug"],
            high_contrast=True,
        ),
        rx.html(h["snippet_html"], class_name="kb-snippet", style={"font-size": "14px"}),
        rx.cond(h["category"] != "", rx.text(h["category"], size="1", color_scheme="gray")),
        style={"padding": "0.5em 0", "border-bottom": "1px solid var(--gray-a4)"},
    )


def _query_input() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            t("Search the knowledge base"),
            html_for="kb-search",
            style={"font-weight": "500", "font-size": "14px"},
        ),
        rx.input(
            rx.input.slot(rx.icon("search", size=16, aria_hidden="true")),
            id="kb-search",
            type="search",
            value=PortalState.kb_query,
            on_change=PortalState.search,
            debounce_timeout=250,
            placeholder=t("e.g. password reset, VPN, printer"),
            auto_complete="off",
            width="100%",
        ),
        spacing="1",
        flex="1",
    )


def _category_select() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            t("Category"),
            html_for="kb-category",
            style={"font-weight": "500", "font-size": "14px"},
        ),
        rx.select.root(
            rx.select.trigger(id="kb-category", min_width="12em"),
            rx.select.content(
                rx.foreach(
                    PortalState.categories,
                    lambda o: rx.select.item(o["label"], value=o["value"]),
                )
            ),
            value=PortalState.kb_category,
            on_change=PortalState.set_category,
        ),
        spacing="1",
    )


def _kb_results() -> rx.Component:
    """The articles that match, or why there are none (announced as they change)."""
    return rx.box(
        rx.cond(
            PortalState.kb_hits.length() > 0,
            rx.el.ul(
                rx.foreach(PortalState.kb_hits, _hit),
                aria_label=t("Knowledge base results"),
                class_name="kb-hits",
                style={"list-style": "none", "padding": 0, "margin": 0},
            ),
            rx.cond(
                PortalState.kb_query != "",
                rx.text(
                    t("No articles match. Try other words, or file a ticket."),
                    size="2",
                    color_scheme="gray",
                ),
            ),
        ),
        aria_live="polite",
        width="100%",
    )


def _kb_search() -> rx.Component:
    return rx.el.section(
        rx.heading(t("Find an answer"), as_="h2", size="5", id="kb-heading"),
        rx.hstack(
            _query_input(),
            _category_select(),
            width="100%",
            align="end",
            spacing="3",
        ),
        _kb_results(),
        aria_labelledby="kb-heading",
        style={"display": "flex", "flex-direction": "column", "gap": "0.75em", "width": "100%"},
    )


def _ticket_row(r: rx.Var[PortalRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link("#", r["number"].to_string(), href="/tickets/" + r["number"].to_string())
        ),
        rx.table.cell(
            rx.link(r["title"], href="/tickets/" + r["number"].to_string(), high_contrast=True),
            rx.cond(
                r["snippet_html"] != "",
                rx.html(r["snippet_html"], class_name="kb-snippet ticket-snippet"),
            ),
        ),
        rx.table.cell(status_badge(r["status"], r["status_label"])),
        rx.table.cell(rx.el.time(r["updated"], date_time=r["updated_iso"])),
        rx.table.cell(
            rx.cond(
                r["unread"] > 0,
                rx.badge(
                    r["unread"].to_string() + " new",
                    color_scheme="red",
                    high_contrast=True,
                    aria_label=tn("{n} unread reply", "{n} unread replies", r["unread"]),
                ),
                rx.text("—", color_scheme="gray", aria_label=t("No unread replies")),
            )
        ),
        data_ticket=r["number"].to_string(),
    )


def _my_tickets() -> rx.Component:
    return rx.el.section(
        rx.hstack(
            rx.heading(t("Your tickets"), as_="h2", size="5", id="my-tickets-heading"),
            rx.spacer(),
            rx.link(rx.button(rx.icon("plus", size=16), t("New ticket")), href="/tickets/new"),
            width="100%",
            align="center",
        ),
        _ticket_search(),
        rx.cond(
            ~PortalState.loaded,
            rx.center(rx.spinner(), aria_label=t("Loading your tickets"), padding="2em"),
            rx.cond(
                PortalState.rows.length() > 0,
                rx.table.root(
                    table_caption(t("Your tickets")),
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in (
                                    t("Number"),
                                    t("Title"),
                                    t("Status"),
                                    t("Last update"),
                                    t("Unread"),
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(PortalState.rows, _ticket_row)),
                    width="100%",
                ),
                rx.cond(
                    PortalState.ticket_query != "",
                    rx.text(
                        t("None of your tickets match. Try other words."),
                        size="2",
                        color_scheme="gray",
                        role="status",
                    ),
                    _no_tickets(),
                ),
            ),
        ),
        aria_labelledby="my-tickets-heading",
        style={"display": "flex", "flex-direction": "column", "gap": "0.75em", "width": "100%"},
    )


def _ticket_search() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            t("Search your tickets"),
            html_for="my-tickets-search",
            style={"font-weight": "500", "font-size": "14px"},
        ),
        rx.input(
            rx.input.slot(rx.icon("search", size=16, aria_hidden="true")),
            id="my-tickets-search",
            type="search",
            value=PortalState.ticket_query,
            on_change=PortalState.search_tickets,
            debounce_timeout=250,
            placeholder=t("Number or words from the conversation"),
            auto_complete="off",
            width="100%",
            max_width="28em",
        ),
        spacing="1",
        width="100%",
    )


def _no_tickets() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon("inbox", size=32, aria_hidden="true"),
            rx.text(t("You have not filed any tickets yet."), weight="medium"),
            rx.text(
                t(
                    "Search the knowledge base above first: most questions are "
                    "answered there. Still stuck? File a ticket."
                ),
                size="2",
                color_scheme="gray",
            ),
            align="center",
            spacing="2",
            padding="1.5em",
        ),
        width="100%",
    )


def portal_page() -> rx.Component:
    return page_frame(
        stamp_watcher(PortalState.feed_stamp, PortalState.live_refresh(PortalState.feed_stamp)),
        _kb_search(),
        _my_tickets(),
        title=t("My tickets"),
        roles=SIGNED_IN,
    )
