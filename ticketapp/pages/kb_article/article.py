"""The article itself: the meta line (badges, category, updated, author), the staff actions
(Edit, Delete with its confirmation), the body and the tags."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.kb.badges import status_badges
from ticketapp.pages.kb_article.state import KbArticleState


def _meta() -> rx.Component:
    a = KbArticleState.article
    return rx.flex(
        status_badges(a["status"], a["audience"]),
        rx.cond(a["category"] != "", rx.badge(a["category"], variant="surface")),
        rx.text(t("Updated {when}", when=a["updated"]), size="2", color_scheme="gray"),
        rx.cond(
            a["author"] != "",
            rx.text(t("by {author}", author=a["author"]), size="2", color_scheme="gray"),
        ),
        spacing="3",
        align="center",
        wrap="wrap",
    )


def article_tags() -> rx.Component:
    tags = KbArticleState.article["tags"]
    return rx.cond(
        tags.length() > 0,
        rx.hstack(
            rx.text(t("Tags:"), size="2", color_scheme="gray"),
            rx.el.ul(
                rx.foreach(
                    tags,
                    lambda t: rx.el.li(rx.badge(t, variant="soft", color_scheme="gray")),
                ),
                aria_label=t("Tags"),
                style={
                    "display": "flex",
                    "gap": "6px",
                    "list-style": "none",
                    "padding": 0,
                    "margin": 0,
                    "flex-wrap": "wrap",
                },
            ),
            align="center",
        ),
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                rx.icon("trash-2", size=16),
                t("Delete"),
                color_scheme="red",
                variant="soft",
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Delete this article?")),
            rx.alert_dialog.description(
                t(
                    "“{title}” will be removed with its version history and votes. "
                    "Links to it will show “Article not found”. This cannot be undone.",
                    title=KbArticleState.article["title"],
                ),
            ),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(t("Cancel"), variant="soft", color_scheme="gray")),
                rx.button(
                    t("Delete article"),
                    color_scheme="red",
                    loading=KbArticleState.deleting,
                    on_click=KbArticleState.delete,
                ),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
        open=KbArticleState.confirm_delete,
        on_open_change=KbArticleState.set_confirm_delete,
    )


def _staff_actions() -> rx.Component:
    return rx.cond(
        KbArticleState.can_edit,
        rx.hstack(
            rx.button(
                rx.icon("pencil", size=16),
                t("Edit"),
                on_click=rx.redirect("/kb/" + KbArticleState.article["slug"] + "/edit"),
            ),
            _delete_dialog(),
            spacing="3",
        ),
    )


def article_header() -> rx.Component:
    return rx.hstack(
        _meta(),
        rx.spacer(),
        _staff_actions(),
        width="100%",
        align="center",
        wrap="wrap",
    )


def article_body() -> rx.Component:
    return rx.el.article(
        rx.html(KbArticleState.article["html"], class_name="kb-prose"),
        aria_label=KbArticleState.article["title"],
        lang=KbArticleState.article["language"],
        width="100%",
    )
