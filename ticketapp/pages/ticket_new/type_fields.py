"""The extra fields of some ticket types (incident, problem, change request)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import labelled_textarea
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input
from ticketapp.models import TicketType
from ticketapp.pages.ticket_new.parts import error_of
from ticketapp.pages.ticket_new.state import TicketNewState

S = TicketNewState


def _detail_text(name: str, label: str, multiline: bool = False, **props) -> rx.Component:
    field_id = f"detail-{name.replace('_', '-')}"
    value = S.details.get(name, "")
    on_change = lambda v: S.set_detail(name, v)  # noqa: E731
    if multiline:
        return labelled_textarea(
            label, field_id, error_of(name), value=value, on_change=on_change, rows="3", **props
        )
    return labelled_input(
        label, field_id, error_of(name), value=value, on_change=on_change, **props
    )


def type_fields() -> rx.Component:
    incident = rx.vstack(
        _detail_text("affected_service", t("Affected service"), placeholder=t("e.g. VPN, e-mail")),
        _detail_text("started_at", t("When it started"), type="datetime-local"),
        width="100%",
    )
    problem = rx.vstack(
        _detail_text("steps", t("Steps to reproduce"), multiline=True),
        _detail_text("expected", t("Expected result"), multiline=True),
        _detail_text("actual", t("Actual result"), multiline=True),
        width="100%",
    )
    change = rx.vstack(
        _detail_text("desired_date", t("Desired date"), type="date"),
        _detail_text("justification", t("Justification"), multiline=True),
        width="100%",
    )
    return rx.match(
        S.ticket_type,
        (TicketType.INCIDENT.value, incident),
        (TicketType.PROBLEM.value, problem),
        (TicketType.CHANGE_REQUEST.value, change),
        rx.fragment(),
    )
