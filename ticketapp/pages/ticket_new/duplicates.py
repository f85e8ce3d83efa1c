"""The "Possible duplicates" panel beside the form (staff only): similar open tickets, each a
link that opens it in a new tab (the draft stays)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.ticket_parts import status_badge
from ticketapp.pages.ticket_new.duplicate_finder import DuplicateItem
from ticketapp.pages.ticket_new.state import TicketNewState
from ticketapp.pages.ticket_new.suggestions import hint_list

S = TicketNewState


def _item(d: rx.Var[DuplicateItem]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.link(
                    "#",
                    d["number"].to(str),
                    " ",
                    d["title"],
                    href=d["href"],
                    is_external=True,
                    weight="medium",
                    aria_label=t(
                        "Open ticket #{number}: {title} (new tab)",
                        number=d["number"],
                        title=d["title"],
                    ),
                ),
                rx.hstack(
                    status_badge(d["status"], d["status_label"]),
                    rx.text(
                        rx.cond(
                            d["same_requester"],
                            t("Same requester"),
                            t("From {name}", name=d["requester"]),
                        ),
                        size="1",
                        color_scheme="gray",
                    ),
                    align="center",
                    wrap="wrap",
                ),
                spacing="1",
                align="start",
            ),
            size="1",
            width="100%",
        )
    )


def possible_duplicates() -> rx.Component:
    return rx.el.section(
        rx.heading(t("Possible duplicates"), as_="h2", size="4", id="duplicates-heading"),
        rx.cond(
            S.duplicates.length() > 0,
            hint_list(t("Open tickets that look similar:"), rx.foreach(S.duplicates, _item)),
            rx.text(
                t("Similar open tickets appear here as you type."),
                size="2",
                color_scheme="gray",
            ),
        ),
        aria_labelledby="duplicates-heading",
        style={"display": "flex", "flex-direction": "column", "gap": "0.5em", "width": "100%"},
    )
