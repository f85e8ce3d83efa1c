"""Staff: on behalf of whom the ticket is filed (search by name or email)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input
from ticketapp.pages.ticket_new.parts import error_of
from ticketapp.pages.ticket_new.state import TicketNewState

S = TicketNewState


def requester_picker() -> rx.Component:
    return rx.cond(
        S.is_staff,
        rx.vstack(
            rx.cond(
                S.requester_id != 0,
                rx.hstack(
                    rx.text(t("Requester: "), weight="medium", size="2"),
                    rx.badge(S.requester_label, size="2", high_contrast=True),
                    rx.button(
                        t("Change"),
                        size="1",
                        variant="soft",
                        type="button",
                        on_click=S.clear_requester,
                        aria_label=t("Change requester"),
                    ),
                    align="center",
                ),
                rx.vstack(
                    labelled_input(
                        t("Requester"),
                        "requester-search",
                        error_of("requester_id"),
                        hint=t("Search by name or email. Leave empty to file for yourself."),
                        value=S.requester_query,
                        on_change=S.search_requester,
                        debounce_timeout=250,
                        auto_complete="off",
                    ),
                    rx.cond(
                        S.requester_results.length() > 0,
                        rx.el.ul(
                            rx.foreach(
                                S.requester_results,
                                lambda p: rx.el.li(
                                    rx.button(
                                        p["label"],
                                        type="button",
                                        variant="ghost",
                                        size="2",
                                        on_click=S.choose_requester(p["id"]),
                                    )
                                ),
                            ),
                            aria_label=t("Matching people"),
                            style={"list-style": "none", "padding": 0, "margin": 0},
                        ),
                        rx.cond(
                            S.requester_query != "",
                            rx.text(t("Nobody matches."), size="2", color_scheme="gray"),
                        ),
                    ),
                    width="100%",
                    spacing="1",
                ),
            ),
            width="100%",
        ),
    )
