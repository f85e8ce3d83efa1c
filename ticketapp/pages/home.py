"""Role homes. Later work fills these pages; for now each says what it will hold."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t


def _placeholder(text: str) -> rx.Component:
    return rx.callout(text, icon="info", width="100%")


def index_page() -> rx.Component:
    return rx.center(rx.spinner(size="3"), aria_label=t("Loading"), height="100vh")
