"""status_badges: the Draft / Internal badges next to an article's title (staff only)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t


def status_badges(status: rx.Var[str], audience: rx.Var[str]) -> rx.Component:
    """Draft / Internal badges (staff only: requesters get empty strings)."""
    return rx.fragment(
        rx.cond(
            status == "draft",
            rx.badge(t("Draft"), color_scheme="orange", variant="soft", high_contrast=True),
        ),
        rx.cond(
            audience == "internal",
            rx.badge(t("Internal"), color_scheme="purple", variant="soft", high_contrast=True),
        ),
    )
