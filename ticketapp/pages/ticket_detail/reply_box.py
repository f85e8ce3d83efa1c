"""The reply box: a reply or (staff) an internal note, markdown preview, attached files."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.ticket_parts import labelled_upload, markdown_html
from ticketapp.pages.ticket_detail.canned_picker import canned_picker
from ticketapp.pages.ticket_detail.constants import (
    MAX_REPLY_FILES,
    MAX_UPLOAD_BYTES,
    NOTE,
    REPLY,
    REPLY_UPLOAD_ID,
)
from ticketapp.pages.ticket_detail.parts import callout
from ticketapp.pages.ticket_detail.state import TicketDetailState
from ticketapp.state import SessionState

S = TicketDetailState


def _mode_choice(mode: str) -> rx.Component:
    """One radio of the reply/note switch: the value stays the English mode, the label reads
    in the tab's language."""
    shortcut = "note" if mode == NOTE else "reply"  # the n and r keys (components/shortcuts)
    return rx.text(
        rx.flex(rx.radio_group.item(value=mode, data_shortcut=shortcut), t(mode), spacing="2"),
        size="2",
        as_="label",
    )


def _upload_box() -> rx.Component:
    files = rx.selected_files(REPLY_UPLOAD_ID)
    return rx.vstack(
        labelled_upload(
            rx.hstack(
                rx.button(
                    rx.icon("paperclip", size=16),
                    t("Attach files"),
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    size="2",
                ),
                rx.text(t("or drop files here (up to 10 MB each)"), size="1", color_scheme="gray"),
                align="center",
            ),
            id=REPLY_UPLOAD_ID,
            input_label=t("Attach files to the reply"),
            multiple=True,
            max_size=MAX_UPLOAD_BYTES,
            max_files=MAX_REPLY_FILES,
            on_drop_rejected=S.files_rejected,
            no_keyboard=True,
            border=f"1px dashed {rx.color('gray', 7)}",
            border_radius="6px",
            padding="0.5em",
            width="100%",
        ),
        rx.cond(
            files.length() > 0,
            rx.hstack(
                rx.foreach(
                    files,
                    lambda name: rx.badge(
                        rx.icon("file", size=12), name, variant="soft", color_scheme="gray"
                    ),
                ),
                rx.button(
                    t("Remove files"),
                    type="button",
                    size="1",
                    variant="ghost",
                    color_scheme="gray",
                    on_click=rx.clear_selected_files(REPLY_UPLOAD_ID),
                ),
                wrap="wrap",
                align="center",
                aria_label=t("Files to attach"),
            ),
        ),
        spacing="2",
        width="100%",
    )


def _closed_notice() -> rx.Component:
    """What a requester sees instead of the box once the ticket is closed."""
    return callout(
        rx.callout.icon(rx.icon("lock")),
        rx.callout.text(
            t(
                "This ticket is closed. File a new ticket if you need more help, and mention "
                "#{number}.",
                number=S.header["number"],
            ),
        ),
        width="100%",
    )


def _mode_row(is_note: rx.Var[bool]) -> rx.Component:
    """The heading, and (staff) the choice between a reply and an internal note."""
    return rx.hstack(
        rx.heading(rx.cond(is_note, t("Internal note"), t("Reply")), size="3", as_="h2"),
        rx.spacer(),
        rx.cond(
            SessionState.is_staff,
            rx.radio_group.root(
                rx.flex(*[_mode_choice(mode) for mode in (REPLY, NOTE)], spacing="2"),
                value=S.reply_mode,
                on_change=S.set_reply_mode,
                aria_label=t("Reply or internal note"),
            ),
        ),
        width="100%",
        align="center",
    )


def _hint(is_note: rx.Var[bool]) -> rx.Component:
    return rx.cond(
        is_note,
        rx.text(
            t("Only agents and managers see internal notes."),
            size="1",
            weight="medium",
            color=rx.color("amber", 12),
            id="reply-body-hint",
        ),
        rx.text(
            rx.cond(
                SessionState.is_staff,
                t("Markdown is supported. Type / at the start for a canned response."),
                t("Markdown is supported."),
            ),
            size="1",
            color_scheme="gray",
            id="reply-body-hint",
        ),
    )


def _preview() -> rx.Component:
    return rx.cond(
        S.previewing,
        rx.box(
            rx.cond(
                S.preview_html != "",
                markdown_html(S.preview_html),
                rx.text(t("Nothing to preview."), color_scheme="gray", size="2"),
            ),
            min_height="6em",
            padding="0.75em",
            width="100%",
            border=f"1px solid {rx.color('gray', 6)}",
            border_radius="6px",
            aria_label=t("Preview"),
            role="region",
        ),
    )


def _text_area(is_note: rx.Var[bool]) -> rx.Component:
    # Uncontrolled (the browser keeps what was typed; hidden, not removed, while
    # previewing); the text is sent with the form on submit.
    return rx.text_area(
        id="reply-body",
        name="reply_body",
        data_shortcut="reply-body",
        on_change=S.set_reply_body.debounce(300),
        aria_label=rx.cond(is_note, t("Internal note text"), t("Your reply")),
        aria_describedby="reply-body-hint reply-error",
        placeholder=rx.cond(
            is_note, t("Write a note for your colleagues…"), t("Write your reply…")
        ),
        rows="5",
        width="100%",
        resize="vertical",
        display=rx.cond(S.previewing, "none", "block"),
    )


def _reply_error() -> rx.Component:
    return rx.cond(
        S.reply_error != "",
        rx.text(
            S.reply_error,
            id="reply-error",
            role="alert",
            size="2",
            color=rx.color("red", 11),
        ),
    )


def _buttons(is_note: rx.Var[bool]) -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.cond(S.previewing, t("Edit"), t("Preview")),
            type="button",
            variant="soft",
            color_scheme="gray",
            on_click=S.toggle_preview,
            aria_pressed=S.previewing,
        ),
        rx.cond(SessionState.is_staff, canned_picker()),
        rx.spacer(),
        rx.button(
            rx.cond(is_note, t("Add internal note"), t("Send reply")),
            type="submit",
            loading=S.sending,
            color_scheme=rx.cond(is_note, "amber", "indigo"),
        ),
        width="100%",
    )


def _reply_form(is_note: rx.Var[bool]) -> rx.Component:
    return rx.form(
        rx.vstack(
            _mode_row(is_note),
            _hint(is_note),
            _preview(),
            _text_area(is_note),
            _upload_box(),
            _reply_error(),
            _buttons(is_note),
            spacing="2",
            width="100%",
        ),
        on_submit=lambda form: S.send_reply(
            rx.upload_files(upload_id=REPLY_UPLOAD_ID), form.to(dict)["reply_body"]
        ),
        reset_on_submit=False,
        padding="1em",
        border_radius="8px",
        width="100%",
        background=rx.cond(is_note, rx.color("amber", 2), "transparent"),
        border=rx.cond(
            is_note,
            f"1px dashed {rx.color('amber', 8)}",
            f"1px solid {rx.color('gray', 6)}",
        ),
    )


def reply_box() -> rx.Component:
    """The reply form; a closed ticket shows requesters a notice instead."""
    return rx.cond(
        S.header["is_closed"] & ~SessionState.is_staff,
        _closed_notice(),
        _reply_form(S.reply_mode == NOTE),
    )
