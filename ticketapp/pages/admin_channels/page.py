"""The channels page: the IMAP mailboxes (form in a dialog) and the mail quarantine."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import admin_table, delete_dialog, row_button
from ticketapp.components.dialogs import confirm_dialog, form_dialog
from ticketapp.components.form_fields import labelled_select
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.pages.admin_channels.state import AdminChannelsState
from ticketapp.pages.admin_channels.view_model import SECURITY_LABELS, HeldItem, MailboxItem
from ticketapp.state import MANAGERS

S = AdminChannelsState
WRAP = {"overflow-wrap": "anywhere", "word-break": "break-word"}


def _err(field: str) -> rx.Var[str]:
    return S.errors.get(field, "")


def _mailbox_row(m: rx.Var[MailboxItem]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(m["name"], weight="medium")),
        rx.table.cell(rx.text(m["server_label"], style=WRAP)),
        rx.table.cell(m["team_label"]),
        rx.table.cell(
            rx.badge(m["state_label"], color_scheme=m["state_color"], high_contrast=True),
            rx.cond(m["problem"] != "", rx.text(m["problem"], size="1", style=WRAP)),
        ),
        rx.table.cell(
            rx.hstack(
                row_button(t("Edit"), t("Edit {name}", name=m["name"]), S.edit_mailbox(m["id"])),
                row_button(
                    t("Delete"),
                    t("Delete {name}", name=m["name"]),
                    S.ask_delete(m["id"], m["name"]),
                    danger=True,
                ),
                spacing="1",
            )
        ),
    )


def _held_row(q: rx.Var[HeldItem]) -> rx.Component:
    what = t("message {id}", id=q["id"])
    return rx.table.row(
        rx.table.row_header_cell(q["when"]),
        rx.table.cell(q["mailbox"]),
        rx.table.cell(rx.text(q["reason"], style=WRAP)),
        rx.table.cell(q["size"]),
        rx.table.cell(
            rx.hstack(
                row_button(t("Download"), t("Download {name}", name=what), S.download(q["id"])),
                row_button(t("Retry"), t("Retry {name}", name=what), S.retry(q["id"])),
                row_button(
                    t("Discard"),
                    t("Discard {name}", name=what),
                    S.ask_discard(q["id"]),
                    danger=True,
                ),
                spacing="1",
                wrap="wrap",
            )
        ),
    )


def _mailboxes() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(t("Mailboxes"), size="4", as_="h2"),
            rx.spacer(),
            rx.button(rx.icon("plus", size=16), t("Add mailbox"), on_click=S.new_mailbox),
            width="100%",
            align="center",
        ),
        rx.text(
            t(
                "New mail in these IMAP folders becomes tickets, and replies thread into their "
                "tickets. Read messages are flagged as seen, never deleted."
            ),
            color_scheme="gray",
        ),
        rx.cond(
            S.mailboxes.length() > 0,
            rx.box(
                admin_table(
                    t("Mailboxes"),
                    [t("Name"), t("Server"), t("Team"), t("Status"), t("Actions")],
                    S.mailboxes,
                    _mailbox_row,
                ),
                width="100%",
                overflow_x="auto",
            ),
            rx.text(t("No mailboxes yet. Add one, or pipe mail to ingest-mail (see README).")),
        ),
        width="100%",
        spacing="2",
    )


def _quarantine() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Quarantine"), size="4", as_="h2"),
        rx.text(
            t("Messages that could not be read. Download one to look at it, retry or discard it."),
            color_scheme="gray",
        ),
        rx.cond(
            S.held.length() > 0,
            rx.box(
                admin_table(
                    t("Quarantined messages"),
                    [t("Received"), t("Mailbox"), t("Reason"), t("Size"), t("Actions")],
                    S.held,
                    _held_row,
                ),
                width="100%",
                overflow_x="auto",
            ),
            rx.text(t("The quarantine is empty.")),
        ),
        width="100%",
        spacing="2",
    )


def _check(label: rx.Var[str]) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            name="is_active",
            default_checked=S.f_active,
            style={"margin-right": "0.4em"},
        ),
        label,
        style={"font-size": "14px", "display": "flex", "align-items": "center"},
    )


def _field(label, field: str, hint=None, **props) -> rx.Component:
    extra = {"hint": hint} if hint is not None else {}
    return labelled_input(label, f"mailbox-{field}", _err(field), name=field, **extra, **props)


def mailbox_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.edit_id == 0, t("Add mailbox"), t("Edit mailbox")),
        t("The IMAP account the help desk reads its mail from."),
        _field(t("Name"), "name", default_value=S.form.get("name", "")),
        rx.grid(
            _field(
                t("IMAP server"),
                "host",
                placeholder="imap.example.com",
                default_value=S.form.get("host", ""),
            ),
            _field(t("Port"), "port", inputmode="numeric", default_value=S.form.get("port", "")),
            columns="3fr 1fr",
            spacing="2",
            width="100%",
        ),
        labelled_select(
            t("Security"),
            "mailbox-security",
            list(SECURITY_LABELS.items()),
            S.f_security,
            S.set_security,
            error=_err("security"),
        ),
        _field(t("User name"), "username", default_value=S.form.get("username", "")),
        _field(
            t("Password"),
            "password",
            hint=rx.cond(S.edit_id == 0, "", t("Leave empty to keep the saved password.")),
            type="password",
            auto_complete="new-password",
        ),
        _field(t("Folder"), "folder", default_value=S.form.get("folder", "")),
        labelled_select(
            t("Team for new tickets"),
            "mailbox-team",
            S.team_options,
            S.f_team,
            S.set_team,
            error=_err("team_id"),
        ),
        _check(t("Active: check this mailbox for new mail")),
        submit=t("Save mailbox"),
        on_submit=S.save,
        open=S.open,
        on_open_change=S.set_open,
        max_width="560px",
    )


def admin_channels_page() -> rx.Component:
    return page_frame(
        rx.cond(
            S.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.vstack(_mailboxes(), _quarantine(), spacing="6", width="100%"),
        ),
        mailbox_dialog(),
        delete_dialog(
            t("Delete mailbox?"),
            t("{name} will no longer be checked for mail.", name=S.confirm_name),
            on_confirm=S.confirm_delete,
            on_cancel=S.cancel_delete,
            open=S.confirm_id != 0,
            high_contrast=True,
        ),
        confirm_dialog(
            t("Discard this message?"),
            t("The raw message is deleted; it cannot be retried afterwards."),
            confirm=t("Discard"),
            on_confirm=S.confirm_discard,
            on_cancel=S.cancel_discard,
            open=S.discard_id != 0,
        ),
        title=t("Channels"),
        roles=MANAGERS,
    )
