"""Role homes. Later work fills these pages; for now each says what it will hold."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.layout import page_frame
from ticketapp.state import MANAGERS


def _placeholder(text: str) -> rx.Component:
    return rx.callout(text, icon="info", width="100%")


def index_page() -> rx.Component:
    return rx.center(rx.spinner(size="3"), aria_label="Loading", height="100vh")


def analytics_page() -> rx.Component:
    return page_frame(
        _placeholder("Live help-desk analytics will appear here."),
        title="Analytics",
        roles=MANAGERS,
    )
