"""The organisations table, the create/edit dialog and the delete confirmation."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import admin_table, delete_dialog, row_actions
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.form_fields import labelled_textarea
from ticketapp.components.i18n import t, tn
from ticketapp.components.layout import labelled_input, loading, page_frame
from ticketapp.pages.admin_organisations.state import AdminOrganisationsState, OrgRow
from ticketapp.state import MANAGERS

S = AdminOrganisationsState


def _error(field: str) -> rx.Var[str]:
    return S.form_errors.get(field, "")


def _dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.editing_id == 0, t("New organisation"), t("Edit organisation")),
        t("Requesters who sign up with an address at one of its domains join it."),
        labelled_input(
            t("Name"),
            "org-name",
            _error("name"),
            name="name",
            default_value=S.form_name,
            key=S.editing_id.to(str) + "-name",
            required=True,
            max_length=120,
        ),
        labelled_textarea(
            t("E-mail domains"),
            "org-domains",
            _error("domains"),
            hint=t("Separate them with commas or new lines, like example.com, example.org."),
            name="domains",
            default_value=S.form_domains,
            key=S.editing_id.to(str) + "-domains",
            rows="3",
        ),
        submit=rx.cond(S.saving, t("Saving…"), t("Save organisation")),
        on_submit=S.save,
        open=S.dialog_open,
        on_open_change=S.set_dialog_open,
        max_width="32em",
    )


def _row(org: rx.Var[OrgRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(org["name"]),
        rx.table.cell(rx.cond(org["domains"] != "", org["domains"], "—")),
        rx.table.cell(org["members"]),
        rx.table.cell(
            rx.link(
                tn("{n} ticket", "{n} tickets", org["tickets"]),
                href=org["tickets_href"],
                aria_label=t("Tickets of {name}", name=org["name"]),
            )
        ),
        rx.table.cell(
            row_actions(
                org["name"],
                S.open_edit(org["id"]),
                S.ask_delete(org["id"], org["name"]),
                spacing="2",
            )
        ),
    )


def _table() -> rx.Component:
    return rx.cond(
        S.orgs.length() > 0,
        admin_table(
            t("Organisations"),
            [t("Name"), t("E-mail domains"), t("Members"), t("Tickets"), t("Actions")],
            S.orgs,
            _row,
        ),
        rx.text(
            t("No organisations yet. Create one to group requesters by company."),
            color_scheme="gray",
        ),
    )


def admin_organisations_page() -> rx.Component:
    return page_frame(
        rx.hstack(
            rx.text(
                t("A new requester joins the organisation of their e-mail domain."),
                size="2",
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.link(t("Users"), href="/admin/users", white_space="nowrap"),
            rx.button(rx.icon("building-2", size=16), t("New organisation"), on_click=S.open_new),
            width="100%",
            align="center",
        ),
        rx.cond(S.loading, loading(), _table()),
        _dialog(),
        delete_dialog(
            t("Delete organisation?"),
            t(
                "{name} will be deleted. Its members and their tickets stay, without an "
                "organisation.",
                name=S.confirm_name,
            ),
            on_confirm=S.delete,
            on_cancel=S.cancel_delete,
            open=S.confirm_id != 0,
        ),
        title=t("Organisations"),
        roles=MANAGERS,
    )
