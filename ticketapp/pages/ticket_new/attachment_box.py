"""The attachments: a dropzone (files are parked as soon as chosen) and the chosen files."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error
from ticketapp.pages.ticket_new.constants import ACCEPT, MAX_FILES, UPLOAD_ID
from ticketapp.pages.ticket_new.parts import error_of
from ticketapp.pages.ticket_new.state import TicketNewState
from ticketapp.services import attachments

S = TicketNewState


def _dropzone() -> rx.Component:
    # The label wraps the dropzone, so it names the file input inside it; a click on it
    # opens the file picker natively (the dropzone's own click handler is off).
    return rx.el.label(
        rx.text(t("Attachments"), weight="medium", size="2"),
        rx.upload.root(
            rx.vstack(
                rx.icon("paperclip", size=20, aria_hidden="true"),
                rx.text(t("Drop files here, or choose files"), size="2"),
                align="center",
                spacing="1",
            ),
            id=UPLOAD_ID,
            multiple=True,
            max_files=MAX_FILES,
            max_size=attachments.MAX_BYTES,
            accept=ACCEPT,
            no_click=True,
            on_drop=S.add_files(rx.upload_files(upload_id=UPLOAD_ID)),
            on_drop_rejected=S.files_rejected,
            border="1px dashed var(--gray-a8)",
            border_radius="var(--radius-3)",
            padding="1em",
            width="100%",
            cursor="pointer",
        ),
        style={"display": "flex", "flex-direction": "column", "gap": "4px", "width": "100%"},
    )


def _chosen_files() -> rx.Component:
    """The chosen (already parked) files, each with a remove button."""
    return rx.cond(
        S.files.length() > 0,
        rx.el.ul(
            rx.foreach(
                S.files,
                lambda f: rx.el.li(
                    rx.hstack(
                        rx.icon("file", size=16, aria_hidden="true"),
                        rx.text(f["name"], size="2"),
                        rx.text(f["size"], size="1", color_scheme="gray"),
                        rx.icon_button(
                            rx.icon("x", size=14),
                            size="1",
                            variant="ghost",
                            color_scheme="red",
                            type="button",
                            aria_label=t("Remove {name}", name=f["name"]),
                            on_click=S.remove_file(f["token"]),
                        ),
                        align="center",
                    )
                ),
            ),
            aria_label=t("Chosen files"),
            style={"list-style": "none", "padding": 0, "margin": 0},
        ),
    )


def attachment_box() -> rx.Component:
    return rx.vstack(
        _dropzone(),
        rx.text(
            t("Up to 10 files, 10 MB each: images, PDF, text and logs, Office documents, ZIP."),
            id="attachments-hint",
            size="1",
            color_scheme="gray",
        ),
        _chosen_files(),
        field_error(error_of("attachments"), "attachments"),
        spacing="1",
        width="100%",
    )
