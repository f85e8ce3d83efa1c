""" "Was this helpful?": Yes / No, and what the reader chose."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.kb_article.state import KbArticleState


def _vote_button(label: str, value: bool, key: str, icon: str) -> rx.Component:
    chosen = KbArticleState.my_vote == key
    return rx.button(
        rx.icon(icon, size=16),
        label,
        variant=rx.cond(chosen, "solid", "outline"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        disabled=KbArticleState.voting,
        on_click=KbArticleState.vote(value),
    )


def feedback() -> rx.Component:
    return rx.el.section(
        rx.card(
            rx.hstack(
                rx.heading(t("Was this helpful?"), size="3", as_="h2", id="kb-helpful"),
                rx.el.div(
                    rx.hstack(
                        _vote_button(t("Yes"), True, "yes", "thumbs-up"),
                        _vote_button(t("No"), False, "no", "thumbs-down"),
                    ),
                    role="group",
                    aria_labelledby="kb-helpful",
                ),
                rx.cond(
                    KbArticleState.my_vote != "",
                    rx.text(
                        rx.cond(
                            KbArticleState.my_vote == "yes",
                            t("You found this helpful."),
                            t("You said this did not help."),
                        ),
                        size="2",
                        color_scheme="gray",
                        aria_live="polite",
                    ),
                ),
                align="center",
                spacing="4",
                wrap="wrap",
            ),
        ),
        width="100%",
    )
