"""The ticket page's layout: banners, title row, tabs beside the side panel."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.components.stamp_watcher import stamp_watcher
from ticketapp.pages.ticket_detail.banners import conflict_banner, merge_banners, not_found_view
from ticketapp.pages.ticket_detail.conversation import conversation_tab
from ticketapp.pages.ticket_detail.history import history_tab
from ticketapp.pages.ticket_detail.side_panel import side_panel
from ticketapp.pages.ticket_detail.state import TicketDetailState
from ticketapp.pages.ticket_detail.time_log import time_tab
from ticketapp.pages.ticket_detail.title_row import title_row
from ticketapp.state import SIGNED_IN, SessionState

S = TicketDetailState


def _tabs() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(t("Conversation"), value="conversation"),
            rx.tabs.trigger(t("History"), value="history"),
            rx.cond(SessionState.is_staff, rx.tabs.trigger(t("Time"), value="time")),
        ),
        rx.tabs.content(conversation_tab(), value="conversation"),
        rx.tabs.content(history_tab(), value="history"),
        rx.cond(SessionState.is_staff, rx.tabs.content(time_tab(), value="time")),
        default_value="conversation",
        width="100%",
    )


def _ticket_view() -> rx.Component:
    return rx.vstack(
        conflict_banner(),
        merge_banners(),
        title_row(),
        rx.flex(
            rx.box(_tabs(), flex="1 1 0", min_width="0"),
            rx.box(side_panel(), width=["100%", "100%", "18em"], flex_shrink="0"),
            direction=rx.breakpoints(initial="column", md="row"),
            spacing="5",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def ticket_detail_page() -> rx.Component:
    return page_frame(
        stamp_watcher(S.feed_stamp, TicketDetailState.live_refresh(S.feed_stamp)),
        rx.cond(
            S.not_found,
            not_found_view(),
            rx.cond(
                S.loading,
                rx.center(rx.spinner(size="3"), aria_label=t("Loading ticket"), width="100%"),
                _ticket_view(),
            ),
        ),
        title=t("Ticket"),
        roles=SIGNED_IN,
        shortcuts="ticket",
    )
