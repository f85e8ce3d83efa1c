"""The analytics page's "Canned responses used" card: the most inserted canned responses of
the dashboard's period (by agents into replies, and by macros), loaded with the dashboard."""

from __future__ import annotations

from typing import ClassVar, TypedDict

import reflex as rx

from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t
from ticketapp.db import run_in_session
from ticketapp.services import analytics, canned
from ticketapp.services.errors import ValidationError
from ticketapp.state import MANAGERS, SessionState


class UsageRow(TypedDict):
    title: str
    uses: int


class CannedUsageState(SessionState):
    allowed_roles: ClassVar[frozenset[str]] = MANAGERS

    usage_rows: list[UsageRow] = []
    usage_range: str = ""  # "2026-11-09 – 2026-12-08": the dashboard's period
    usage_loaded: bool = False

    @rx.event
    async def load_usage(self):
        """The period of the page's URL, as the dashboard reads it (pages/analytics)."""
        actor = await self.current_actor()
        if actor is None or not actor.is_manager:
            return
        query = {k: str(v)[:40] for k, v in self.router.url.query_parameters.items()}
        today = analytics.local_today(analytics.zone())
        try:
            f = analytics.parse_filters(query, today)
        except ValidationError:
            f = analytics.default_filters(today)
        since, until = f.utc_range(analytics.zone())
        rows = await run_in_session(canned.usage, actor, since, until, readonly=True)
        self.usage_rows = [UsageRow(title=title, uses=n) for title, n in rows]
        self.usage_range = f"{f.start.isoformat()} – {f.end.isoformat()}"
        self.usage_loaded = True


S = CannedUsageState


def _table() -> rx.Component:
    return rx.table.root(
        table_caption(t("Canned responses used")),
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(t("Canned response")),
                rx.table.column_header_cell(t("Times used")),
            )
        ),
        rx.table.body(
            rx.foreach(
                S.usage_rows,
                lambda r: rx.table.row(
                    rx.table.row_header_cell(r["title"]), rx.table.cell(r["uses"])
                ),
            )
        ),
        size="1",
        width="100%",
    )


def canned_usage_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Canned responses used"), size="3", as_="h2", id="chart-canned"),
            rx.text(S.usage_range, size="1", color_scheme="gray"),
            rx.cond(
                ~S.usage_loaded,
                rx.spinner(),
                rx.cond(
                    S.usage_rows.length() > 0,
                    _table(),
                    rx.text(t("No canned responses used yet."), size="2", color_scheme="gray"),
                ),
            ),
            spacing="2",
            width="100%",
        ),
        role="region",
        aria_labelledby="chart-canned",
        width="100%",
    )
