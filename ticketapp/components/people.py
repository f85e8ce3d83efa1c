"""Links to a person's profile (/people/<id>, staff only), where a name is shown."""

from __future__ import annotations

import reflex as rx


def link_field(label: str | rx.Var[str], name: rx.Var[str], href: rx.Var[str]) -> rx.Component:
    """Like ticket_parts.read_only_field, the value a link (e.g. the requester's profile)."""
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color_scheme="gray"),
        rx.link(name, href=href, size="2"),
        spacing="0",
        width="100%",
    )
