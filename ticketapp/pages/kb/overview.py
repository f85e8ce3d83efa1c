"""Without a query: the category buttons, then one category's articles, or the most helpful and
(staff) the recently updated ones."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.pages.kb.badges import status_badges
from ticketapp.pages.kb.state import KbState
from ticketapp.pages.kb.view_model import ALL, ArticleRow, CategoryRow
from ticketapp.state import SessionState


def _article_item(row: rx.Var[ArticleRow]) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.link(row["title"], href="/kb/" + row["slug"], weight="medium"),
            status_badges(row["status"], row["audience"]),
            rx.spacer(),
            rx.cond(
                row["category"] != "",
                rx.text(row["category"], size="1", color_scheme="gray"),
            ),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        class_name="kb-list-item",
    )


def _article_list(rows, label: str) -> rx.Component:
    return rx.el.ul(rx.foreach(rows, _article_item), aria_label=label, class_name="kb-list")


def _category_button(cat: rx.Var[CategoryRow]) -> rx.Component:
    return rx.button(
        cat["name"],
        rx.badge(cat["count"], variant="surface", radius="full", high_contrast=True),
        variant=rx.cond(KbState.category == cat["id"], "solid", "soft"),
        color_scheme="gray",
        high_contrast=True,
        aria_pressed=rx.cond(KbState.category == cat["id"], "true", "false"),
        on_click=KbState.set_category(cat["id"]),
    )


def overview_view() -> rx.Component:
    return rx.vstack(
        rx.el.section(
            rx.heading(t("Categories"), size="4", as_="h2"),
            rx.flex(rx.foreach(KbState.categories, _category_button), wrap="wrap", spacing="2"),
            width="100%",
        ),
        rx.cond(
            KbState.category != ALL,
            rx.el.section(
                rx.heading(KbState.category_name, size="4", as_="h2"),
                rx.cond(
                    KbState.listed.length() > 0,
                    _article_list(
                        KbState.listed, t("Articles in {category}", category=KbState.category_name)
                    ),
                    rx.text(t("No articles in this category yet."), color_scheme="gray"),
                ),
                width="100%",
            ),
            rx.grid(
                rx.el.section(
                    rx.heading(t("Most helpful"), size="4", as_="h2"),
                    rx.cond(
                        KbState.helpful.length() > 0,
                        _article_list(KbState.helpful, t("Most helpful articles")),
                        rx.text(t("No articles yet."), color_scheme="gray"),
                    ),
                ),
                rx.cond(
                    SessionState.is_staff,
                    rx.el.section(
                        rx.heading(t("Recently updated"), size="4", as_="h2"),
                        _article_list(KbState.recent, t("Recently updated articles")),
                    ),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="6",
                width="100%",
            ),
        ),
        spacing="5",
        width="100%",
    )
