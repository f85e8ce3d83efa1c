"""KbState: the query and category filter (from the URL), the hits or the overview lists."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from ticketapp.db import run_in_session
from ticketapp.i18n import _
from ticketapp.pages.kb.view_model import (
    ALL,
    ArticleRow,
    CategoryRow,
    HitRow,
    overview,
    parse_category,
    search_rows,
)
from ticketapp.state import SIGNED_IN, SessionState

MAX_QUERY = 200


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
        return [[ALL, _("All categories")]] + [
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
                self.categories = (await run_in_session(overview, actor, None, readonly=True))[
                    "categories"
                ]
        else:
            self.hits = []
            data = await run_in_session(overview, actor, category_id, readonly=True)
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
