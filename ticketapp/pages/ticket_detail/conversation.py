"""The conversation tab: the description, every reply and note, the rating, the reply box."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.components.ticket_parts import (
    attachment_list,
    comment_entry,
    field_label,
    markdown_html,
)
from ticketapp.pages.ticket_detail.parts import callout
from ticketapp.pages.ticket_detail.reply_box import reply_box
from ticketapp.pages.ticket_detail.state import TicketDetailState
from ticketapp.state import SessionState

S = TicketDetailState


def _description() -> rx.Component:
    h = S.header
    return rx.box(
        rx.hstack(
            rx.avatar(fallback=h["requester_name"].to(str)[0:1], size="2", radius="full"),
            rx.text(h["requester_name"], weight="bold", size="2"),
            rx.text(t("Requester"), size="1", color_scheme="gray"),
            rx.spacer(),
            rx.text(h["created"], size="1", color_scheme="gray"),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.box(markdown_html(h["description_html"]), padding_top="0.5em"),
        rx.cond(
            S.details.length() > 0,
            rx.el.dl(
                rx.foreach(
                    S.details,
                    lambda d: rx.fragment(
                        rx.el.dt(d["label"], style={"font-weight": "600", "font-size": "13px"}),
                        rx.el.dd(d["value"], style={"margin": "0 0 0.5em 0", "font-size": "14px"}),
                    ),
                ),
                style={"margin-top": "0.75em"},
            ),
        ),
        attachment_list(S.ticket_files),
        padding="0.9em 1em",
        border_radius="8px",
        width="100%",
        background=rx.color("gray", 2),
        border=f"1px solid {rx.color('gray', 5)}",
        role="article",
        aria_label=t("Ticket description"),
    )


def _rating_box() -> rx.Component:
    h = S.header
    thanks = callout(
        rx.callout.icon(rx.icon("heart")),
        rx.callout.text(
            t(
                "Thanks for your feedback! You rated this resolution {score} out of 5.",
                score=h["rating_score"],
            ),
        ),
        color_scheme="green",
        width="100%",
        role="status",
    )
    ask = rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("How did we do?"), size="4", as_="h2"),
                rx.text(
                    t("Rate how we resolved this ticket: 1 (poor) to 5 (excellent)."), size="2"
                ),
                rx.radio_group(
                    ["1", "2", "3", "4", "5"],
                    value=S.rating_score,
                    on_change=S.set_rating_score,
                    direction="row",
                    aria_label=t("Rating from 1 to 5"),
                ),
                rx.vstack(
                    field_label("Comment (optional)", "rating-comment"),
                    rx.text_area(
                        id="rating-comment",
                        name="rating_comment",
                        rows="2",
                        width="100%",
                        max_length=2000,
                    ),
                    spacing="1",
                    width="100%",
                ),
                field_error(S.rating_error, "rating"),
                rx.button(t("Send rating"), type="submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.rate,
            reset_on_submit=False,
        ),
        width="100%",
        id="rate",  # NOTIFY: the "resolved" e-mail links here (/tickets/N#rate)
    )
    return rx.cond(
        ~SessionState.is_staff,
        rx.cond(h["rating_score"] > 0, thanks, rx.cond(h["can_rate"], ask)),
    )


def conversation_tab() -> rx.Component:
    return rx.vstack(
        _description(),
        rx.foreach(S.conversation, comment_entry),
        _rating_box(),
        reply_box(),
        spacing="3",
        width="100%",
        padding_top="1em",
    )
