"""Banners above the ticket: not found, an edit conflict, merged into / from."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.ticket_detail.parts import callout
from ticketapp.pages.ticket_detail.state import TicketDetailState
from ticketapp.state import SessionState

S = TicketDetailState


def not_found_view() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("search-x", size=40, color=rx.color("gray", 10)),
            rx.heading(t("Ticket not found"), size="6", as_="h2"),
            rx.text(t("That ticket does not exist, or you cannot see it.")),
            rx.link(t("Go to your home page"), href=SessionState.home_path),
            align="center",
        ),
        padding_y="4em",
        width="100%",
    )


def conflict_banner() -> rx.Component:
    return rx.cond(
        S.conflict_message != "",
        callout(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.callout.text(
                S.conflict_message,
                " ",
                t("The latest version is shown below."),
            ),
            rx.button(
                t("Dismiss"),
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=S.dismiss_conflict,
            ),
            color_scheme="orange",
            role="alert",
            width="100%",
        ),
    )


def merge_banners() -> rx.Component:
    return rx.fragment(
        rx.foreach(
            S.merged_into,
            lambda target: callout(
                rx.callout.icon(rx.icon("git-merge")),
                rx.callout.text(
                    t("This ticket was merged into another one; the conversation continues there:"),
                    " ",
                    rx.link(
                        f"#{target['number']} {target['title']}", href=target["href"], weight="bold"
                    ),
                ),
                color_scheme="violet",
                width="100%",
            ),
        ),
        rx.cond(
            S.merged_from.length() > 0,
            callout(
                rx.callout.icon(rx.icon("git-merge")),
                rx.callout.text(
                    t("Merged into this ticket: "),
                    rx.foreach(
                        S.merged_from,
                        lambda source: rx.link(
                            f"#{source['number']} {source['title']}",
                            href=source["href"],
                            margin_right="0.75em",
                        ),
                    ),
                ),
                color_scheme="violet",
                width="100%",
            ),
        ),
    )
