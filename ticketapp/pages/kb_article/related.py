"""Related articles (services/kb.related_articles), when there are any."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.kb.badges import status_badges
from ticketapp.pages.kb_article.state import KbArticleState


def related() -> rx.Component:
    return rx.cond(
        KbArticleState.related.length() > 0,
        rx.el.section(
            rx.heading(t("Related articles"), size="4", as_="h2"),
            rx.el.ul(
                rx.foreach(
                    KbArticleState.related,
                    lambda r: rx.el.li(
                        rx.hstack(
                            rx.link(r["title"], href="/kb/" + r["slug"]),
                            status_badges(r["status"], r["audience"]),
                            align="center",
                        ),
                        class_name="kb-list-item",
                    ),
                ),
                class_name="kb-list",
                aria_label=t("Related articles"),
            ),
            width="100%",
        ),
    )
