"""The notes staff keep about a requester: add one, read them newest first (author and time),
edit one's own (managers: any)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import labelled_textarea
from ticketapp.components.i18n import t
from ticketapp.pages.requester_profile.state import NoteItem, RequesterProfileState

S = RequesterProfileState


def _add_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            labelled_textarea(
                t("Add a note"),
                "note-body",
                S.note_error,
                hint=t("Only agents and managers see these notes."),
                name="body",
                value=S.note_draft,
                on_change=S.set_note_draft,
                rows="3",
            ),
            rx.button(
                rx.cond(S.saving, rx.spinner(size="1"), rx.icon("notebook-pen", size=16)),
                t("Add note"),
                type="submit",
                disabled=S.saving,
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        on_submit=S.add_note,
        reset_on_submit=False,
        width="100%",
    )


def _edit_form(n: rx.Var[NoteItem]) -> rx.Component:
    return rx.form(
        rx.vstack(
            labelled_textarea(
                t("Edit note"), "note-edit", S.edit_error, name="body", default_value=n["body"]
            ),
            rx.hstack(
                rx.button(t("Save note"), type="submit", size="2"),
                rx.button(
                    t("Cancel"),
                    type="button",
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.cancel_edit,
                ),
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=S.save_edit,
        reset_on_submit=False,
        width="100%",
    )


def _byline(n: rx.Var[NoteItem]) -> rx.Component:
    return rx.text(
        rx.cond(n["author"] != "", n["author"], t("A former colleague")),
        " · ",
        n["when"],
        rx.cond(n["edited"] != "", t(" (edited {when})", when=n["edited"]), ""),
        size="1",
        color_scheme="gray",
    )


def _note(n: rx.Var[NoteItem]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.cond(
                S.editing_id == n["id"],
                _edit_form(n),
                rx.vstack(
                    rx.text(n["body"], size="2", style={"white-space": "pre-wrap"}),
                    rx.hstack(
                        _byline(n),
                        rx.spacer(),
                        rx.cond(
                            n["can_edit"],
                            rx.button(
                                t("Edit"),
                                size="1",
                                variant="soft",
                                aria_label=t("Edit note from {when}", when=n["when"]),
                                on_click=S.start_edit(n["id"]),
                            ),
                        ),
                        width="100%",
                        align="center",
                    ),
                    spacing="2",
                    width="100%",
                ),
            ),
            size="1",
            width="100%",
        )
    )


def notes_panel() -> rx.Component:
    return rx.el.section(
        rx.heading(t("Notes about this person"), as_="h2", size="4", id="notes-heading"),
        _add_form(),
        rx.cond(
            S.notes.length() > 0,
            rx.el.ul(
                rx.foreach(S.notes, _note),
                aria_label=t("Notes"),
                style={
                    "list-style": "none",
                    "padding": 0,
                    "margin": 0,
                    "display": "flex",
                    "flex-direction": "column",
                    "gap": "0.5em",
                },
            ),
            rx.text(t("No notes yet."), size="2", color_scheme="gray"),
        ),
        aria_labelledby="notes-heading",
        style={"display": "flex", "flex-direction": "column", "gap": "0.75em", "width": "100%"},
    )
