"""Dialogs shared by many pages: the ask-first dialog before an action that cannot be taken
back, and the dialog that holds one form."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t


def cancel_button(**props) -> rx.Component:
    return rx.button(t("Cancel"), variant="soft", color_scheme="gray", **props)


def confirm_dialog(
    title: str | rx.Var[str] | rx.Component,
    description: str | rx.Var[str],
    *,
    confirm: str | rx.Var[str],
    on_confirm,
    on_cancel,
    open: rx.Var[bool],
    **confirm_props,
) -> rx.Component:
    """An alert dialog (role "alertdialog") that asks before `on_confirm` runs.

    `confirm` labels the confirming button; `confirm_props` style it (e.g. color_scheme="red").
    Both buttons close the dialog; the state behind `open` decides whether it shows.
    """
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.hstack(
                rx.alert_dialog.cancel(cancel_button(on_click=on_cancel)),
                rx.alert_dialog.action(rx.button(confirm, **confirm_props, on_click=on_confirm)),
                justify="end",
                spacing="3",
                margin_top="1em",
            ),
        ),
        open=open,
    )


def form_dialog(
    title: str | rx.Var[str] | rx.Component,
    description: str | rx.Var[str],
    *fields: rx.Component,
    submit: str | rx.Var[str],
    on_submit,
    open: rx.Var[bool],
    on_open_change,
    trigger: rx.Component | None = None,
    **content_props,
) -> rx.Component:
    """A dialog holding one form: `fields`, then Cancel and the `submit` button.

    The form keeps what was typed when `on_submit` reports errors (no reset on submit).
    `trigger`, when given, opens the dialog; `content_props` style its panel (e.g. max_width).
    """
    opener = [rx.dialog.trigger(trigger)] if trigger is not None else []
    return rx.dialog.root(
        *opener,
        rx.dialog.content(
            rx.dialog.title(title),
            rx.dialog.description(description, size="2"),
            rx.form(
                rx.vstack(*fields, _form_buttons(submit), spacing="3"),
                on_submit=on_submit,
                reset_on_submit=False,
            ),
            **content_props,
        ),
        open=open,
        on_open_change=on_open_change,
    )


def _form_buttons(submit: str | rx.Var[str]) -> rx.Component:
    """Cancel (closes the dialog, submits nothing) and the form's submit button."""
    return rx.hstack(
        rx.dialog.close(cancel_button(type="button")),
        rx.button(submit, type="submit"),
        justify="end",
        width="100%",
    )
