"""The ticket list page: filters, bulk actions, the table and the pager."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.tickets_list.bulk_bar import bulk_bar
from ticketapp.pages.tickets_list.columns import column_chooser
from ticketapp.pages.tickets_list.filters import filters
from ticketapp.pages.tickets_list.pager import pager
from ticketapp.pages.tickets_list.state import TicketsListState
from ticketapp.pages.tickets_list.table import ticket_table
from ticketapp.state import STAFF

S = TicketsListState


def tickets_list_page() -> rx.Component:
    return page_frame(
        rx.hstack(
            rx.spacer(),
            column_chooser(),
            rx.button(  # FIELDS: the list with tags and custom fields
                rx.icon("download", size=16),
                t("Export CSV"),
                variant="soft",
                on_click=S.export_csv,
            ),
            rx.link(rx.button(rx.icon("plus", size=16), t("New ticket")), href="/tickets/new"),
            width="100%",
        ),
        filters(),
        rx.cond(
            S.error != "",
            rx.callout(
                S.error, icon="triangle-alert", color_scheme="red", role="alert", width="100%"
            ),
        ),
        bulk_bar(),
        ticket_table(),
        pager(),
        title=t("Tickets"),
        roles=STAFF,
        shortcuts="list",
    )
