"""The filing page: the form, the suggested articles beside it, the article dialog."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.ticket_new.article_dialog import article_dialog
from ticketapp.pages.ticket_new.form import form
from ticketapp.pages.ticket_new.state import TicketNewState
from ticketapp.pages.ticket_new.suggestions import suggestions
from ticketapp.state import SIGNED_IN

S = TicketNewState


def ticket_new_page() -> rx.Component:
    return page_frame(
        rx.grid(
            rx.box(form(), grid_column=rx.breakpoints(initial="auto", md="span 2")),
            rx.box(suggestions()),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="6",
            width="100%",
        ),
        article_dialog(),
        title=t("New ticket"),
        roles=SIGNED_IN,
    )
