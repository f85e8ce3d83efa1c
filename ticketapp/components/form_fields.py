"""Form controls with a visible label, an error right below and the ARIA wiring between them."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error

LABEL_STYLE = {"font-weight": "500", "font-size": "14px"}


Text = str | rx.Var[str]  # a label or hint: plain, or translated (components/i18n.t)


def _label(text: Text) -> Text:
    return t(text) if isinstance(text, str) else text


def _has(hint: Text) -> bool:
    return not (isinstance(hint, str) and not hint)


def _described(field_id: str, hint: Text) -> str:
    return f"{field_id}-hint {field_id}-error" if _has(hint) else f"{field_id}-error"


def _hint(field_id: str, hint: Text) -> rx.Component:
    if not _has(hint):
        return rx.fragment()
    return rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray")


def labelled_textarea(
    label: Text, field_id: str, error: rx.Var[str], hint: Text = "", **props
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
    label: Text,
    field_id: str,
    options: list[tuple[str, str]] | rx.Var,
    value: rx.Var | str,
    on_change,
    error: rx.Var[str] | str = "",
    hint: Text = "",
    placeholder: Text | None = None,
    **root_props,
) -> rx.Component:
    """A Radix select with its label bound to the trigger (the element that takes focus)."""
    err = rx.Var.create(error)
    if isinstance(options, rx.Var):
        items = rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))
    else:
        # Static labels are msgids (e.g. models.TYPE_LABELS): shown in the tab's language.
        items = rx.fragment(*[rx.select.item(_label(lbl), value=val) for val, lbl in options])
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


VISUALLY_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": 0,
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white-space": "nowrap",
    "border": 0,
}


def table_caption(text: str) -> rx.Component:
    """A caption only screen readers see: the first child of rx.table.root names the table
    (an aria-label on rx.table.root lands on its wrapper div, not on the <table>)."""
    return rx.el.caption(text, style=VISUALLY_HIDDEN)


# Rendered markdown (articles, description preview). Inline so it needs no stylesheet edit;
# the class names also pick up the shared .markdown-body / .kb-prose rules where they exist.
PROSE_STYLE = {
    "line-height": "1.6",
    "overflow-wrap": "anywhere",
    "& h1, & h2, & h3, & h4": {
        "margin": "1em 0 0.4em",
        "line-height": "1.25",
        "font-weight": "700",
    },
    "& h1": {"font-size": "1.4em"},
    "& h2": {"font-size": "1.2em"},
    "& h3": {"font-size": "1.05em"},
    "& > :first-child": {"margin-top": 0},
    "& p, & ul, & ol, & pre, & blockquote, & table": {"margin": "0 0 0.8em"},
    "& ul, & ol": {"padding-left": "1.5em"},
    "& a": {"color": "var(--accent-11)", "text-decoration": "underline"},
    "& code": {
        "font-family": "var(--code-font-family, monospace)",
        "font-size": "0.9em",
        "background": "var(--gray-a3)",
        "padding": "0 0.25em",
        "border-radius": "4px",
    },
    "& pre": {"background": "var(--gray-a3)", "padding": "0.75em", "overflow-x": "auto"},
    "& blockquote": {"border-left": "3px solid var(--gray-a6)", "padding-left": "0.75em"},
}


def prose(html: rx.Var[str] | str, class_name: str = "markdown-body") -> rx.Component:
    """Show sanitized HTML (from services.markdown.render) with readable typography."""
    return rx.html(html, class_name=class_name, style=PROSE_STYLE)
