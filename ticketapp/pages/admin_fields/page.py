"""The /admin/fields page: every custom field with its ticket type, kind and flags; a dialog to
create or change one; archive and restore (values are never deleted)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import admin_table, row_button, select_field
from ticketapp.components.dialogs import form_dialog
from ticketapp.components.form_fields import LABEL_STYLE, labelled_textarea
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.models import FIELD_KIND_LABELS, TYPE_LABELS
from ticketapp.pages.admin_fields.state import AdminFieldsState, FieldRow
from ticketapp.state import MANAGERS

S = AdminFieldsState
TYPE_OPTIONS = [(k.value, label) for k, label in TYPE_LABELS.items()]
KIND_OPTIONS = [(k.value, label) for k, label in FIELD_KIND_LABELS.items()]


def _err(name: str) -> rx.Var[str]:
    return S.errors.get(name, "").to(str)


def _check(name: str, label: rx.Var[str], checked: rx.Var[bool]) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox", name=name, default_checked=checked, style={"margin-right": "0.4em"}
        ),
        label,
        style={"font-size": "14px", "display": "flex", "align-items": "center"},
    )


def _dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.edit_id == 0, t("New custom field"), t("Edit custom field")),
        t("Changing a field never loses the values tickets already have."),
        labelled_input(
            t("Name"), "field-label", _err("label"), name="label", default_value=S.f_label
        ),
        rx.hstack(
            select_field(
                t("Ticket type"),
                "field-type",
                TYPE_OPTIONS,
                S.f_type,
                S.set_f_type,
                _err("ticket_type"),
            ),
            select_field(
                t("Field type"), "field-kind", KIND_OPTIONS, S.f_kind, S.set_f_kind, _err("kind")
            ),
            width="100%",
        ),
        labelled_textarea(
            t("Options"),
            "field-options",
            _err("options"),
            hint=t("One per line; for single and multi select fields."),
            name="options",
            default_value=S.f_options,
            rows="4",
        ),
        rx.el.fieldset(
            rx.el.legend(t("Rules"), style=LABEL_STYLE),
            rx.vstack(
                _check("required", t("Required"), S.f_required),
                _check("public", t("Visible to requesters"), S.f_public),
                spacing="1",
            ),
            style={"border": "none", "padding": "0", "margin": "0"},
        ),
        submit=t("Save field"),
        on_submit=S.save,
        open=S.open,
        on_open_change=S.set_open,
        max_width="560px",
    )


def _row(f: rx.Var[FieldRow]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(f["name"]),
        rx.table.cell(f["type_label"]),
        rx.table.cell(f["kind_label"]),
        rx.table.cell(f["summary"]),
        rx.table.cell(
            rx.hstack(
                row_button(t("Edit"), t("Edit {name}", name=f["name"]), S.edit_field(f["id"])),
                rx.cond(
                    f["active"],
                    row_button(
                        t("Archive"),
                        t("Archive {name}", name=f["name"]),
                        S.set_active(f["id"], False),
                        color_scheme="gray",
                    ),
                    row_button(
                        t("Restore"),
                        t("Restore {name}", name=f["name"]),
                        S.set_active(f["id"], True),
                    ),
                ),
                spacing="2",
            )
        ),
    )


def admin_fields_page() -> rx.Component:
    return page_frame(
        rx.hstack(
            rx.text(
                t(
                    "Extra fields per ticket type, shown on the filing form and the ticket page. "
                    "Staff-only fields are never shown to requesters."
                ),
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.button(rx.icon("plus", size=16), t("New field"), on_click=S.new_field),
            width="100%",
        ),
        rx.cond(
            S.loading,
            rx.center(rx.spinner(), width="100%", aria_label=t("Loading")),
            rx.cond(
                S.fields.length() > 0,
                admin_table(
                    t("Custom fields"),
                    [t("Name"), t("Ticket type"), t("Field type"), t("Rules"), t("Actions")],
                    S.fields,
                    _row,
                ),
                rx.text(t("No custom fields yet. Add one to ask for what your team needs.")),
            ),
        ),
        _dialog(),
        title=t("Custom fields"),
        roles=MANAGERS,
    )
