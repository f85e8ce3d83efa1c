"""The profile page: who they are, their organisation, their tickets, ratings and the notes."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.form_fields import table_caption
from ticketapp.components.i18n import t, t_var, tn
from ticketapp.components.layout import loading, page_frame
from ticketapp.components.ticket_parts import read_only_field, status_badge
from ticketapp.pages.requester_profile.notes import notes_panel
from ticketapp.pages.requester_profile.state import (
    NO_ORGANISATION,
    RatingItem,
    RequesterProfileState,
    TicketItem,
)
from ticketapp.state import STAFF, SessionState

S = RequesterProfileState
P = S.person


def _organisation_field() -> rx.Component:
    """Managers move the person between organisations; agents read it."""
    return rx.cond(
        SessionState.is_manager,
        rx.vstack(
            rx.el.label(
                t("Organisation"),
                html_for="person-organisation",
                style={"font-size": "12px", "font-weight": "500", "color": "var(--gray-11)"},
            ),
            rx.select.root(
                rx.select.trigger(id="person-organisation", width="100%"),
                rx.select.content(
                    rx.select.item(t("No organisation"), value=NO_ORGANISATION),
                    rx.foreach(
                        S.organisation_options,
                        lambda o: rx.select.item(o["label"], value=o["value"]),
                    ),
                ),
                value=P["organisation_id"],
                on_change=S.set_organisation,
                size="2",
            ),
            spacing="1",
            width="100%",
        ),
        read_only_field(t("Organisation"), P["organisation"], t("No organisation")),
    )


def _contact_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("Contact"), as_="h2", size="3"),
            rx.vstack(
                rx.text(t("Email"), size="1", weight="medium", color_scheme="gray"),
                rx.link(P["email"], href="mailto:" + P["email"], size="2"),
                spacing="0",
            ),
            read_only_field(t("Role"), t_var(P["role_label"])),
            read_only_field(t("Account"), rx.cond(P["active"], t("Active"), t("Deactivated"))),
            read_only_field(t("Member since"), P["since"]),
            read_only_field(t("Last sign-in"), P["last_seen"], t("Never")),
            _organisation_field(),
            rx.separator(size="4"),
            rx.text(
                tn(
                    "{n} ticket, {open} open",
                    "{n} tickets, {open} open",
                    P["ticket_count"],
                    open=P["open_count"],
                ),
                size="2",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _ticket_row(row: rx.Var[TicketItem]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link("#", row["number"].to(str), href="/tickets/" + row["number"].to(str))
        ),
        rx.table.cell(row["title"]),
        rx.table.cell(status_badge(row["status"], row["status_label"])),
        rx.table.cell(row["updated"]),
    )


def _tickets() -> rx.Component:
    return rx.el.section(
        rx.heading(t("Tickets"), as_="h2", size="4"),
        rx.cond(
            S.tickets.length() > 0,
            rx.table.root(
                table_caption(t("Tickets filed by this person")),
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in (t("Number"), t("Title"), t("Status"), t("Updated"))
                        ]
                    )
                ),
                rx.table.body(rx.foreach(S.tickets, _ticket_row)),
                width="100%",
                size="1",
            ),
            rx.text(t("No tickets yet."), size="2", color_scheme="gray"),
        ),
        style={"display": "flex", "flex-direction": "column", "gap": "0.5em", "width": "100%"},
    )


def _rating(r: rx.Var[RatingItem]) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.badge(
                t("{score} of 5", score=r["score"]),
                color_scheme=rx.cond(
                    r["score"] >= 4, "green", rx.cond(r["score"] >= 3, "amber", "red")
                ),
                high_contrast=True,
            ),
            rx.vstack(
                rx.link(
                    "#",
                    r["number"].to(str),
                    " ",
                    r["title"],
                    href="/tickets/" + r["number"].to(str),
                ),
                rx.cond(r["comment"] != "", rx.text(r["comment"], size="2")),
                rx.text(r["when"], size="1", color_scheme="gray"),
                spacing="1",
            ),
            align="start",
        )
    )


def _ratings() -> rx.Component:
    return rx.el.section(
        rx.heading(t("Satisfaction ratings"), as_="h2", size="4"),
        rx.cond(
            S.ratings.length() > 0,
            rx.el.ul(
                rx.foreach(S.ratings, _rating),
                style={
                    "list-style": "none",
                    "padding": 0,
                    "margin": 0,
                    "display": "grid",
                    "gap": "0.75em",
                },
            ),
            rx.text(t("No ratings yet."), size="2", color_scheme="gray"),
        ),
        style={"display": "flex", "flex-direction": "column", "gap": "0.5em", "width": "100%"},
    )


def _profile() -> rx.Component:
    return rx.grid(
        rx.box(_contact_card()),
        rx.vstack(
            _tickets(),
            _ratings(),
            notes_panel(),
            spacing="6",
            width="100%",
            grid_column=rx.breakpoints(initial="auto", md="span 2"),
        ),
        columns=rx.breakpoints(initial="1", md="3"),
        spacing="6",
        width="100%",
    )


def _missing() -> rx.Component:
    return rx.vstack(
        rx.text(t("This person does not exist.")),
        rx.link(t("Back to the ticket list"), href="/tickets"),
    )


def requester_profile_page() -> rx.Component:
    return page_frame(
        rx.cond(S.loading, loading(), rx.cond(S.missing, _missing(), _profile())),
        title=rx.cond(P["name"] != "", P["name"], t("Person")),
        roles=STAFF,
    )
