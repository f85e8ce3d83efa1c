"""The editor form: a prefill notice, the conflict notice, title, body, settings, tags, and
Cancel / Save; or "not found" when editing a missing article."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input
from ticketapp.pages.kb_editor.body_field import body_field
from ticketapp.pages.kb_editor.fields import settings_grid
from ticketapp.pages.kb_editor.state import KbEditorState
from ticketapp.services import kb


def _conflict() -> rx.Component:
    return rx.cond(
        KbEditorState.conflict != "",
        rx.vstack(
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle-alert")),
                rx.callout.text(KbEditorState.conflict, weight="medium"),
                rx.callout.text(
                    t(
                        "Your text is still here. Open the current article in a new tab to "
                        "compare, then save yours over it (the other version is kept in the "
                        "history)."
                    )
                ),
                color_scheme="orange",
                high_contrast=True,
                role="alert",
                width="100%",
            ),
            rx.hstack(
                rx.link(
                    t("Open the current article in a new tab"),
                    href="/kb/" + KbEditorState.slug,
                    is_external=True,
                ),
                rx.button(t("Save mine anyway"), size="2", on_click=KbEditorState.overwrite),
                spacing="4",
                align="center",
            ),
            spacing="2",
            width="100%",
        ),
    )


def _buttons() -> rx.Component:
    return rx.hstack(
        rx.button(
            t("Cancel"),
            variant="soft",
            color_scheme="gray",
            type="button",
            on_click=rx.redirect(
                rx.cond(KbEditorState.mode == "edit", "/kb/" + KbEditorState.slug, "/kb")
            ),
        ),
        rx.button(
            rx.cond(KbEditorState.mode == "edit", t("Save changes"), t("Create article")),
            loading=KbEditorState.saving,
            on_click=KbEditorState.save,
        ),
        justify="end",
        spacing="3",
        width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.cond(
            KbEditorState.notice != "",
            rx.callout(KbEditorState.notice, icon="info", width="100%"),
        ),
        _conflict(),
        labelled_input(
            t("Title"),
            "kb-title",
            KbEditorState.errors.get("title", ""),
            value=KbEditorState.title,
            on_change=KbEditorState.set_title,
            max_length=kb.MAX_TITLE,
            aria_required="true",
        ),
        body_field(),
        settings_grid(),
        labelled_input(
            t("Tags"),
            "kb-tags",
            KbEditorState.errors.get("tags", ""),
            hint=t(
                "Comma-separated, e.g. printer, offline. Tags weigh more than the body in search."
            ),
            value=KbEditorState.tags,
            on_change=KbEditorState.set_tags,
        ),
        _buttons(),
        spacing="4",
        width="100%",
    )


def editor() -> rx.Component:
    return rx.cond(
        KbEditorState.loading,
        rx.center(rx.spinner(size="3"), width="100%", aria_label=t("Loading")),
        rx.cond(
            KbEditorState.not_found,
            rx.vstack(
                rx.text(t("This article does not exist or was removed.")),
                rx.link(t("Back to the knowledge base"), href="/kb"),
            ),
            _form(),
        ),
    )
