"""The search results: each hit with its highlighted title and snippet, or "no articles match"."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.safe_html import html_span
from ticketapp.pages.kb.badges import status_badges
from ticketapp.pages.kb.state import KbState
from ticketapp.pages.kb.view_model import ALL, HitRow
from ticketapp.state import SessionState


def _hit(hit: rx.Var[HitRow]) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.hstack(
                rx.link(
                    html_span(hit["title_html"]),
                    href="/kb/" + hit["slug"],
                    weight="bold",
                    size="4",
                ),
                status_badges(hit["status"], hit["audience"]),
                align="center",
                wrap="wrap",
            ),
            rx.html(hit["snippet_html"], class_name="kb-snippet"),
            rx.cond(
                hit["category"] != "",
                rx.text(hit["category"], size="1", color_scheme="gray"),
            ),
            spacing="1",
        ),
        class_name="kb-hit",
    )


def _empty_results() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("search-x")),
        rx.callout.text(
            rx.cond(
                KbState.category != ALL,
                t(
                    "No articles match “{query}” in {category}. Try other words or all categories.",
                    query=KbState.query,
                    category=KbState.category_name,
                ),
                t("No articles match “{query}”. Try other words.", query=KbState.query),
            ),
        ),
        rx.cond(
            ~SessionState.is_staff,
            rx.callout.text(
                t("Still need help?"), " ", rx.link(t("Open a ticket"), href="/tickets/new"), "."
            ),
        ),
        color_scheme="gray",
        width="100%",
    )


def results() -> rx.Component:
    return rx.el.section(
        rx.heading(t("Search results"), size="4", as_="h2", class_name="sr-only"),
        rx.cond(
            KbState.hits.length() > 0,
            rx.el.ol(rx.foreach(KbState.hits, _hit), class_name="kb-hits", aria_label=t("Results")),
            rx.cond(KbState.searching, rx.fragment(), _empty_results()),
        ),
        width="100%",
        aria_busy=rx.cond(KbState.searching, "true", "false"),
    )
