"""The Markdown body: its label and hint, the KB link picker, and the Write / Preview tabs."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.kb_link_picker import kb_link_picker
from ticketapp.components.layout import field_error
from ticketapp.pages.kb_editor.state import KbEditorState


def _header() -> rx.Component:
    return rx.hstack(
        rx.el.span(
            t("Body"), id="kb-body-label", style={"font-weight": "500", "font-size": "14px"}
        ),
        rx.text(
            "Markdown: **bold**, *italic*, # headings, - lists, [link](url)",
            size="1",
            color_scheme="gray",
            id="kb-body-hint",
        ),
        rx.spacer(),
        kb_link_picker(KbEditorState.insert_link, label=t("Link an article")),
        align="center",
        spacing="3",
        width="100%",
    )


def _write_tab(error: rx.Var[str]) -> rx.Component:
    return rx.tabs.content(
        rx.text_area(
            id="kb-body",
            value=KbEditorState.body,
            on_change=KbEditorState.set_body,
            aria_labelledby="kb-body-label",
            aria_describedby="kb-body-hint kb-body-error",
            aria_invalid=rx.cond(error != "", "true", "false"),
            rows="18",
            resize="vertical",
            width="100%",
            class_name="kb-body-input",
        ),
        value="write",
        padding_top="0.75em",
    )


def _preview_tab() -> rx.Component:
    return rx.tabs.content(
        rx.card(
            rx.cond(
                KbEditorState.body.strip() != "",
                rx.html(KbEditorState.preview_html, class_name="kb-prose"),
                rx.text(t("Nothing to preview yet."), color_scheme="gray"),
            ),
            min_height="12em",
            width="100%",
        ),
        value="preview",
        padding_top="0.75em",
    )


def body_field() -> rx.Component:
    error = KbEditorState.errors.get("body", "")
    return rx.vstack(
        _header(),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t("Write"), value="write"),
                rx.tabs.trigger(t("Preview"), value="preview"),
            ),
            _write_tab(error),
            _preview_tab(),
            value=KbEditorState.tab,
            on_change=KbEditorState.set_tab,
            width="100%",
        ),
        field_error(error, "kb-body"),
        spacing="1",
        width="100%",
    )
