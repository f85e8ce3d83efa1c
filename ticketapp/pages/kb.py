"""/kb: search the knowledge base as you type, browse categories and the most helpful articles.

Every signed-in role. Requesters see published public articles only (services/kb.py filters);
agents and managers also see drafts and internal articles, with badges, and can write new ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.layout import page_frame, select_control
from ticketapp.components.safe_html import html_span
from ticketapp.db import run_in_session
from ticketapp.services import kb, kb_extras
from ticketapp.services.actor import Actor
from ticketapp.state import SIGNED_IN, SessionState

ALL = "all"
MAX_QUERY = 200


class HitRow(TypedDict):
    slug: str
    title: str
    title_html: str  # escaped by the service, <mark> around matched words
    snippet_html: str
    category: str
    status: str  # "" for requesters: everything they see is published and public
    audience: str


class ArticleRow(TypedDict):
    slug: str
    title: str
    category: str
    status: str
    audience: str
    helpful_yes: int
    updated: str


class CategoryRow(TypedDict):
    id: str
    name: str
    count: int


def fmt_date(value: datetime | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return f"{value.day} {value:%b %Y, %H:%M} UTC" if value else ""


def parse_category(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else None


def article_rows(summaries: list[kb.ArticleSummary], staff: bool) -> list[ArticleRow]:
    return [
        ArticleRow(
            slug=a.slug,
            title=a.title,
            category=a.category,
            status=a.status if staff else "",
            audience=a.audience if staff else "",
            helpful_yes=a.helpful_yes,
            updated=fmt_date(a.updated_at),
        )
        for a in summaries
    ]


def search_rows(session, actor: Actor, query: str, category_id: int | None, limit: int = 10):
    hits = kb.search(session, actor, query, category_id=category_id, limit=limit)
    flags = kb_extras.article_flags(session, actor, [h.id for h in hits])
    rows = []
    for h in hits:
        flag = flags.get(h.id)
        rows.append(
            HitRow(
                slug=h.slug,
                title=h.title,
                title_html=h.title_html,
                snippet_html=h.snippet_html,
                category=h.category,
                status=flag.status if flag else "",
                audience=flag.audience if flag else "",
            )
        )
    return rows


def _overview(session, actor: Actor, category_id: int | None) -> dict:
    staff = actor.is_staff
    cats = [
        CategoryRow(id=str(c.id), name=c.name, count=c.article_count)
        for c in kb.list_categories(session, actor)
    ]
    if category_id is not None:
        listed = kb.list_articles(session, actor, category_id=category_id, limit=50)
        return {
            "categories": cats,
            "helpful": [],
            "recent": [],
            "listed": article_rows(listed, staff),
        }
    helpful = article_rows(kb.most_helpful(session, actor, limit=8), staff)
    recent = article_rows(kb.list_articles(session, actor, limit=8), staff) if staff else []
    return {"categories": cats, "helpful": helpful, "recent": recent, "listed": []}


class KbState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = SIGNED_IN

    query: str = ""
    category: str = ALL
    hits: list[HitRow] = []
    categories: list[CategoryRow] = []
    helpful: list[ArticleRow] = []
    recent: list[ArticleRow] = []
    listed: list[ArticleRow] = []
    loading: bool = True
    searching: bool = False

    @rx.var
    def category_options(self) -> list[list[str]]:
        return [[ALL, "All categories"]] + [
            [c["id"], f"{c['name']} ({c['count']})"] for c in self.categories
        ]

    @rx.var
    def category_name(self) -> str:
        for c in self.categories:
            if c["id"] == self.category:
                return c["name"]
        return ""

    @rx.var
    def has_query(self) -> bool:
        return self.query.strip() != ""

    async def _refresh(self):
        actor = await self.current_actor()
        if actor is None:
            return
        category_id = parse_category(self.category)
        if self.query.strip():
            self.hits = await run_in_session(
                search_rows, actor, self.query, category_id, readonly=True
            )
            if not self.categories:
                self.categories = (await run_in_session(_overview, actor, None, readonly=True))[
                    "categories"
                ]
        else:
            self.hits = []
            data = await run_in_session(_overview, actor, category_id, readonly=True)
            self.categories = data["categories"]
            self.helpful = data["helpful"]
            self.recent = data["recent"]
            self.listed = data["listed"]

    @rx.event
    async def on_load(self):
        params = self.router.url.query_parameters
        self.query = str(params.get("q", ""))[:MAX_QUERY]
        self.category = str(params.get("category", ALL)) or ALL
        if parse_category(self.category) is None:
            self.category = ALL
        self.loading = True
        yield
        await self._refresh()
        self.loading = False

    @rx.event
    async def set_query(self, value: str):
        self.query = str(value or "")[:MAX_QUERY]
        self.searching = True
        yield
        await self._refresh()
        self.searching = False

    @rx.event
    async def set_category(self, value: str):
        value = str(value or ALL)
        self.category = value if parse_category(value) is not None else ALL
        self.searching = True
        yield
        await self._refresh()
        self.searching = False


# --------------------------------------------------------------------------- components


def status_badges(status: rx.Var[str], audience: rx.Var[str]) -> rx.Component:
    """Draft / Internal badges (staff only: requesters get empty strings)."""
    return rx.fragment(
        rx.cond(
            status == "draft",
            rx.badge("Draft", color_scheme="orange", variant="soft", high_contrast=True),
        ),
        rx.cond(
            audience == "internal",
            rx.badge("Internal", color_scheme="purple", variant="soft", high_contrast=True),
        ),
    )


def _hit(hit: rx.Var[HitRow]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.hstack(
                rx.link(
                    html_span(hit["title_html"]),
                    href="/kb/" + hit["slug"],
                    weight="bold",
                    size="4",
                ),
                status_badges(hit["status"], hit["audience"]),
                align="center",
                wrap="wrap",
            ),
            rx.html(hit["snippet_html"], class_name="kb-snippet"),
            rx.cond(
                hit["category"] != "",
                rx.text(hit["category"], size="1", color_scheme="gray"),
            ),
            spacing="1",
        ),
        class_name="kb-hit",
    )


def _article_item(row: rx.Var[ArticleRow]) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.link(row["title"], href="/kb/" + row["slug"], weight="medium"),
            status_badges(row["status"], row["audience"]),
            rx.spacer(),
            rx.cond(
                row["category"] != "",
                rx.text(row["category"], size="1", color_scheme="gray"),
            ),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        class_name="kb-list-item",
    )


def _article_list(rows, label: str) -> rx.Component:
    return rx.el.ul(rx.foreach(rows, _article_item), aria_label=label, class_name="kb-list")


def _empty_results() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("search-x")),
        rx.callout.text(
            "No articles match “",
            KbState.query,
            "”",
            rx.cond(KbState.category_name != "", " in " + KbState.category_name, ""),
            ". Try other words",
            rx.cond(KbState.category != ALL, " or all categories", ""),
            ".",
        ),
        rx.cond(
            ~SessionState.is_staff,
            rx.callout.text(
                "Still need help? ", rx.link("Open a ticket", href="/tickets/new"), "."
            ),
        ),
        color_scheme="gray",
        width="100%",
    )


def _results() -> rx.Component:
    return rx.el.section(
        rx.heading("Search results", size="4", as_="h2", class_name="sr-only"),
        rx.cond(
            KbState.hits.length() > 0,
            rx.el.ol(rx.foreach(KbState.hits, _hit), class_name="kb-hits", aria_label="Results"),
            rx.cond(KbState.searching, rx.fragment(), _empty_results()),
        ),
        width="100%",
        aria_busy=rx.cond(KbState.searching, "true", "false"),
    )


def _category_button(cat: rx.Var[CategoryRow]) -> rx.Component:
    return rx.button(
        cat["name"],
        rx.badge(cat["count"], variant="surface", radius="full", high_contrast=True),
        variant=rx.cond(KbState.category == cat["id"], "solid", "soft"),
        color_scheme="gray",
        high_contrast=True,
        aria_pressed=rx.cond(KbState.category == cat["id"], "true", "false"),
        on_click=KbState.set_category(cat["id"]),
    )


def _overview_view() -> rx.Component:
    return rx.vstack(
        rx.el.section(
            rx.heading("Categories", size="4", as_="h2"),
            rx.flex(rx.foreach(KbState.categories, _category_button), wrap="wrap", spacing="2"),
            width="100%",
        ),
        rx.cond(
            KbState.category != ALL,
            rx.el.section(
                rx.heading(KbState.category_name, size="4", as_="h2"),
                rx.cond(
                    KbState.listed.length() > 0,
                    _article_list(KbState.listed, "Articles in " + KbState.category_name),
                    rx.text("No articles in this category yet.", color_scheme="gray"),
                ),
                width="100%",
            ),
            rx.grid(
                rx.el.section(
                    rx.heading("Most helpful", size="4", as_="h2"),
                    rx.cond(
                        KbState.helpful.length() > 0,
                        _article_list(KbState.helpful, "Most helpful articles"),
                        rx.text("No articles yet.", color_scheme="gray"),
                    ),
                ),
                rx.cond(
                    SessionState.is_staff,
                    rx.el.section(
                        rx.heading("Recently updated", size="4", as_="h2"),
                        _article_list(KbState.recent, "Recently updated articles"),
                    ),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="6",
                width="100%",
            ),
        ),
        spacing="5",
        width="100%",
    )


def search_bar() -> rx.Component:
    return rx.hstack(
        rx.box(
            rx.el.label(
                "Search the knowledge base",
                html_for="kb-search",
                style={"font-weight": "500", "font-size": "14px"},
            ),
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                rx.cond(
                    KbState.searching,
                    rx.input.slot(rx.spinner(size="1"), side="right"),
                ),
                id="kb-search",
                type="search",
                placeholder="e.g. printer offline, reset password",
                default_value=KbState.query,
                on_change=KbState.set_query.debounce(250),
                auto_complete="off",
                size="3",
                width="100%",
            ),
            flex="1",
        ),
        rx.box(
            rx.el.label(
                "Category",
                html_for="kb-category",
                style={"font-weight": "500", "font-size": "14px", "display": "block"},
            ),
            select_control(
                KbState.category_options,
                KbState.category,
                KbState.set_category,
                trigger_id="kb-category",
                size="3",
            ),
        ),
        align="end",
        spacing="3",
        width="100%",
        wrap="wrap",
    )


def kb_page() -> rx.Component:
    return page_frame(
        rx.hstack(
            rx.text(
                "Answers to common questions. Type a few words; results appear as you type.",
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.cond(
                SessionState.is_staff,
                rx.button(rx.icon("plus", size=16), "New article", on_click=rx.redirect("/kb/new")),
            ),
            width="100%",
            align="center",
        ),
        search_bar(),
        rx.cond(
            KbState.loading,
            rx.center(rx.spinner(size="3"), width="100%", aria_label="Loading"),
            rx.cond(KbState.has_query, _results(), _overview_view()),
        ),
        title="Knowledge base",
        roles=SIGNED_IN,
    )
