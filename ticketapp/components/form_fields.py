"""Form controls with a visible label, an error right below and the ARIA wiring between them."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.layout import field_error

LABEL_STYLE = {"font-weight": "500", "font-size": "14px"}


def _described(field_id: str, hint: str) -> str:
    return f"{field_id}-hint {field_id}-error" if hint else f"{field_id}-error"


def _hint(field_id: str, hint: str) -> rx.Component:
    if not hint:
        return rx.fragment()
    return rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray")


def labelled_textarea(
    label: str, field_id: str, error: rx.Var[str], hint: str = "", **props
) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.text_area(
            id=field_id,
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=_described(field_id, hint),
            width="100%",
            **props,
        ),
        _hint(field_id, hint),
        field_error(error, field_id),
        spacing="1",
        width="100%",
    )


def labelled_select(
    label: str,
    field_id: str,
    options: list[tuple[str, str]] | rx.Var,
    value: rx.Var | str,
    on_change,
    error: rx.Var[str] | str = "",
    hint: str = "",
    placeholder: str | None = None,
    **root_props,
) -> rx.Component:
    """A Radix select with its label bound to the trigger (the element that takes focus)."""
    err = rx.Var.create(error)
    if isinstance(options, rx.Var):
        items = rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))
    else:
        items = rx.fragment(*[rx.select.item(lbl, value=val) for val, lbl in options])
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.select.root(
            rx.select.trigger(
                id=field_id,
                placeholder=placeholder,
                aria_invalid=rx.cond(err != "", "true", "false"),
                aria_describedby=_described(field_id, hint),
                width="100%",
            ),
            rx.select.content(items),
            value=value,
            on_change=on_change,
            **root_props,
        ),
        _hint(field_id, hint),
        field_error(err, field_id),
        spacing="1",
        width="100%",
    )
