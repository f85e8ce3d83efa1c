"""The article's settings: labelled selects for category, status, audience and language."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error, select_control
from ticketapp.pages.kb_editor.state import KbEditorState

STATUS_OPTIONS = [("draft", t("Draft (staff only)")), ("published", t("Published"))]
AUDIENCE_OPTIONS = [
    ("public", t("Public (requesters and staff)")),
    ("internal", t("Internal (staff only)")),
]
LANGUAGE_OPTIONS = [("en", t("English")), ("ru", "Русский")]


def _label(text: str, html_for: str) -> rx.Component:
    return rx.el.label(text, html_for=html_for, style={"font-weight": "500", "font-size": "14px"})


def _select_field(label: str, field: str, options, value, on_change) -> rx.Component:
    field_id = f"kb-{field}"
    return rx.vstack(
        _label(label, field_id),
        select_control(options, value, on_change, trigger_id=field_id),
        field_error(KbEditorState.errors.get(field, ""), field_id),
        spacing="1",
    )


def settings_grid() -> rx.Component:
    return rx.grid(
        _select_field(
            t("Category"),
            "category",
            KbEditorState.categories,
            KbEditorState.category,
            KbEditorState.set_category,
        ),
        _select_field(
            t("Status"), "status", STATUS_OPTIONS, KbEditorState.status, KbEditorState.set_status
        ),
        _select_field(
            t("Audience"),
            "audience",
            AUDIENCE_OPTIONS,
            KbEditorState.audience,
            KbEditorState.set_audience,
        ),
        _select_field(
            t("Language"),
            "language",
            LANGUAGE_OPTIONS,
            KbEditorState.language,
            KbEditorState.set_language,
        ),
        columns=rx.breakpoints(initial="1", sm="2", md="4"),
        spacing="4",
        width="100%",
    )
