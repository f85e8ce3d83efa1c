"""The filing page: the form, the suggested articles beside it, the article dialog."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.ticket_new.article_dialog import article_dialog
from ticketapp.pages.ticket_new.duplicates import possible_duplicates
from ticketapp.pages.ticket_new.form import form
from ticketapp.pages.ticket_new.state import TicketNewState
from ticketapp.pages.ticket_new.suggestions import suggestions
from ticketapp.state import SIGNED_IN, SessionState

S = TicketNewState


def ticket_new_page() -> rx.Component:
    return page_frame(
        rx.grid(
            rx.box(form(), grid_column=rx.breakpoints(initial="auto", md="span 2")),
            rx.vstack(  # ORGS: staff see possible duplicates above the articles
                rx.cond(SessionState.is_staff, possible_duplicates()),
                suggestions(),
                spacing="5",
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="6",
            width="100%",
        ),
        article_dialog(),
        title=t("New ticket"),
        roles=SIGNED_IN,
    )
