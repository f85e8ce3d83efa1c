"""Small view helpers shared by the parts of the ticket page."""

from __future__ import annotations

import reflex as rx

from ticketapp.pages.ticket_detail.state import TicketDetailState

S = TicketDetailState


def callout(*children: rx.Component, **props) -> rx.Component:
    """A callout with AA-contrast text (the soft default misses it in light mode)."""
    return rx.callout.root(*children, high_contrast=True, **props)


def field_error_of(name: str) -> rx.Var[str]:
    """The edit error of field `name` ("" if none)."""
    return S.field_errors.get(name, "")
