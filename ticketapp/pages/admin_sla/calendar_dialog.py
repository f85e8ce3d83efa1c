"""The calendar dialog: name, time zone, working days, working hours and holidays."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.dialogs import form_dialog
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error, labelled_input
from ticketapp.pages.admin_sla.state import AdminSlaState
from ticketapp.pages.admin_sla.view_model import DAY_NAMES

S = AdminSlaState  # short: the dialog reads many of its vars


def _cerr(field: str) -> rx.Var[str]:
    return S.cal_errors.get(field, "")


def _day_box(i: int) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox",
            name=f"day_{i}",
            default_checked=AdminSlaState.c_days.contains(i),
            style={"margin-right": "0.3em"},
        ),
        t(DAY_NAMES[i]),
        style={"font-size": "14px", "display": "inline-flex", "align-items": "center"},
    )


def _working_days() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t("Working days"), style={"font-weight": "500", "font-size": "14px"}),
        rx.hstack(*[_day_box(i) for i in range(7)], spacing="3", wrap="wrap"),
        field_error(_cerr("working_days"), "calendar-days"),
        style={"border": "none", "padding": "0", "margin": "0"},
    )


def _hours_row() -> rx.Component:
    return rx.hstack(
        labelled_input(
            t("Start hour"),
            "calendar-start",
            _cerr("start_hour"),
            name="start_hour",
            type="number",
            min=0,
            max=23,
            default_value=S.c_start,
        ),
        labelled_input(
            t("End hour"),
            "calendar-end",
            _cerr("end_hour"),
            name="end_hour",
            type="number",
            min=1,
            max=24,
            default_value=S.c_end,
        ),
        width="100%",
    )


def _holidays_field() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            t("Holidays"),
            html_for="calendar-holidays",
            style={"font-weight": "500", "font-size": "14px"},
        ),
        rx.text_area(
            id="calendar-holidays",
            name="holidays",
            default_value=S.c_holidays,
            placeholder="2026-12-25",
            aria_describedby="calendar-holidays-hint calendar-holidays-error",
            width="100%",
        ),
        rx.text(
            t("One date per line (YYYY-MM-DD)."),
            id="calendar-holidays-hint",
            size="1",
            color_scheme="gray",
        ),
        field_error(_cerr("holidays"), "calendar-holidays"),
        spacing="1",
        width="100%",
    )


def calendar_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.edit_calendar_id == 0, t("New calendar"), t("Edit calendar")),
        t(
            "Business hours count only on working days, between the start and end hour "
            "in this time zone, and never on holidays."
        ),
        labelled_input(
            t("Name"), "calendar-name", _cerr("name"), name="name", default_value=S.c_name
        ),
        labelled_input(
            t("Time zone"),
            "calendar-zone",
            _cerr("time_zone"),
            hint=t("An IANA name, e.g. Europe/Berlin, America/New_York or UTC."),
            name="time_zone",
            default_value=S.c_zone,
        ),
        _working_days(),
        _hours_row(),
        _holidays_field(),
        submit=t("Save calendar"),
        on_submit=S.save_calendar,
        open=S.calendar_open,
        on_open_change=S.set_calendar_open,
        max_width="560px",
    )
