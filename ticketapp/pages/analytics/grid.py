"""auto_grid: the responsive grid the key numbers and the chart cards sit in."""

from __future__ import annotations

import reflex as rx


def auto_grid(*children: rx.Component, min_width: str) -> rx.Component:
    # A plain div: Radix's Box class sets `display: block`, which beats a css `display: grid`.
    return rx.el.div(
        *children,
        style={
            "display": "grid",
            "grid-template-columns": f"repeat(auto-fill, minmax(min({min_width}, 100%), 1fr))",
            "gap": "1em",
            "width": "100%",
        },
    )
