"""Pieces of the manager's admin pages: labelled selects in their forms, tables of items with
Edit/Delete per row, and the dialog that asks before a delete."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.dialogs import confirm_dialog
from ticketapp.components.form_fields import LABEL_STYLE, table_caption
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error, select_control
from ticketapp.i18n import N_

# The accessible names of a row's Edit and Delete buttons, by what the row holds.
ROW_ACTION_LABELS = {
    "": (N_("Edit {name}"), N_("Delete {name}")),
    "calendar": (N_("Edit calendar {name}"), N_("Delete calendar {name}")),
}


def select_field(
    label: str | rx.Var[str],
    field_id: str,
    options: list[tuple[str, str]] | rx.Var,
    value: rx.Var[str],
    on_change,
    error: rx.Var[str] | None = None,
) -> rx.Component:
    """A select_control under a visible label bound to its trigger, with `error` below when
    given. (Unlike form_fields.labelled_select, the trigger carries no aria-invalid.)"""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        select_control(options, value, on_change, trigger_id=field_id),
        field_error(error, field_id) if error is not None else rx.fragment(),
        spacing="1",
        width="100%",
    )


def row_button(
    text: str | rx.Var[str], aria_label: rx.Var[str], on_click, *, danger: bool = False, **props
) -> rx.Component:
    """A small button in a table row; `aria_label` names the row it acts on."""
    if danger:
        props = {"color_scheme": "red", **props}
    return rx.button(
        text, size="1", variant="soft", **props, aria_label=aria_label, on_click=on_click
    )


def row_actions(
    name: rx.Var[str],
    on_edit,
    on_delete,
    *,
    what: str = "",
    leading: tuple[rx.Component, ...] = (),
    **hstack_props,
) -> rx.Component:
    """Edit and Delete for one row, read out as "Edit <what> <name>" and "Delete <what> <name>"
    (`what`: a key of ROW_ACTION_LABELS).

    `leading` buttons come first (e.g. reordering); Delete should only ask (delete_dialog).
    """
    edit_label, delete_label = ROW_ACTION_LABELS[what]
    return rx.hstack(
        *leading,
        row_button(t("Edit"), t(edit_label, name=name), on_edit),
        row_button(t("Delete"), t(delete_label, name=name), on_delete, danger=True),
        **hstack_props,
    )


def item_row(item: rx.Var[dict], columns: list[str], actions: rx.Component) -> rx.Component:
    """A table row: the item's name as the row header, the item's `columns`, then `actions`."""
    return rx.table.row(
        rx.table.row_header_cell(item["name"]),
        *[rx.table.cell(item[column]) for column in columns],
        rx.table.cell(actions),
    )


def delete_dialog(
    title: str | rx.Component,
    description: str | rx.Var[str],
    *,
    on_confirm,
    on_cancel,
    open: rx.Var[bool],
    **delete_props,
) -> rx.Component:
    """Asks before a delete; the red "Delete" button runs `on_confirm`."""
    return confirm_dialog(
        title,
        description,
        confirm=t("Delete"),
        on_confirm=on_confirm,
        on_cancel=on_cancel,
        open=open,
        color_scheme="red",
        **delete_props,
    )


def admin_table(
    label: str | rx.Var[str], headers: list[str | rx.Var[str]], rows: rx.Var[list], render
) -> rx.Component:
    """A full-width table named `label`, one row per item of `rows` drawn by `render`."""
    return rx.table.root(
        table_caption(label),
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, render)),
        width="100%",
        aria_label=label,
    )
