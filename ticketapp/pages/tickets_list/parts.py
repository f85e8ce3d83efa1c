"""Small view helpers shared by the parts of the ticket list."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t

LABEL = {"font-weight": "500", "font-size": "13px"}


def select_items(options) -> rx.Component:
    """The items of a select: from a list var of Option, or from (value, label) pairs."""
    if isinstance(options, rx.Var):
        return rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))
    return rx.fragment(*[rx.select.item(t(lbl), value=val) for val, lbl in options])
