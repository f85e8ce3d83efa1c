"""kb_article_page: the article, feedback, related articles and (editors) its history; or
"not found"."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.kb_article.article import article_body, article_header, article_tags
from ticketapp.pages.kb_article.feedback import feedback
from ticketapp.pages.kb_article.history import history
from ticketapp.pages.kb_article.related import related
from ticketapp.pages.kb_article.state import KbArticleState
from ticketapp.state import SIGNED_IN


def _not_found() -> rx.Component:
    return rx.vstack(
        rx.text(t("This article does not exist, was removed, or is not available to you.")),
        rx.link(t("Search the knowledge base"), href="/kb"),
        spacing="2",
    )


def kb_article_page() -> rx.Component:
    return page_frame(
        rx.cond(
            KbArticleState.loading,
            rx.center(rx.spinner(size="3"), width="100%", aria_label=t("Loading")),
            rx.cond(
                KbArticleState.found,
                rx.vstack(
                    article_header(),
                    article_body(),
                    article_tags(),
                    feedback(),
                    related(),
                    rx.cond(KbArticleState.can_edit, history()),
                    rx.link(t("← All articles"), href="/kb", size="2"),
                    spacing="5",
                    width="100%",
                ),
                _not_found(),
            ),
        ),
        title=KbArticleState.heading,
        roles=SIGNED_IN,
    )
