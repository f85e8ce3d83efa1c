"""Previous / next page, and which tickets of how many are shown."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.tickets_list.state import TicketsListState

S = TicketsListState


def pager() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            rx.text(S.range_label, size="2", aria_live="polite"),
            rx.spacer(),
            rx.button(
                t("Previous"),
                size="1",
                variant="soft",
                disabled=S.page <= 1,
                on_click=S.go_page(S.page - 1),
            ),
            rx.text(t("Page {page} of {count}", page=S.page, count=S.page_count_label), size="2"),
            rx.button(
                t("Next"),
                size="1",
                variant="soft",
                disabled=S.page >= S.page_count,
                on_click=S.go_page(S.page + 1),
            ),
            align="center",
            width="100%",
        ),
        aria_label=t("Pages"),
        style={"width": "100%"},
    )
