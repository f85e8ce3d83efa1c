"""Small view helpers shared by the parts of the filing form."""

from __future__ import annotations

import reflex as rx

from ticketapp.pages.ticket_new.state import TicketNewState

S = TicketNewState


def error_of(name: str) -> rx.Var[str]:
    """The validation error of field `name` ("" if none)."""
    return S.errors.get(name, "")
