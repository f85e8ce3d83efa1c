"""The side panel: the ticket's fields (editable selects for staff), related tickets, merging."""

from __future__ import annotations

import reflex as rx

from ticketapp.components import sla_clock
from ticketapp.components.dialogs import confirm_dialog, form_dialog
from ticketapp.components.layout import field_error, labelled_input
from ticketapp.components.ticket_parts import field_label, field_select, read_only_field
from ticketapp.pages.ticket_detail.parts import field_error_of
from ticketapp.pages.ticket_detail.state import TicketDetailState
from ticketapp.state import SessionState

S = TicketDetailState


def _staff_fields() -> rx.Component:
    h = S.header
    sel = [
        ("Status", "field-status", "status", S.status_options),
        ("Priority", "field-priority", "priority", S.priority_options),
        ("Type", "field-type", "type", S.type_options),
        ("Category", "field-category", "category_id", S.category_options),
        ("Assignee", "field-assignee", "assignee_id", S.assignee_options),
        ("Team", "field-team", "team_id", S.team_options),
    ]
    return rx.vstack(
        *[
            rx.box(
                field_select(
                    label,
                    fid,
                    h[name].to(str),
                    options,
                    S.set_field(name),
                    disabled=S.saving,
                ),
                field_error(field_error_of(name), fid),
                width="100%",
            )
            for label, fid, name, options in sel
        ],
        rx.button(
            rx.icon("user-check", size=16),
            "Assign to me",
            variant="soft",
            on_click=S.assign_to_me,
            disabled=S.saving | (h["assignee_name"] == SessionState.user_name),
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def _requester_fields() -> rx.Component:
    h = S.header
    return rx.vstack(
        read_only_field("Status", h["status_label"]),
        read_only_field("Priority", h["priority_label"]),
        read_only_field("Type", h["type_label"]),
        read_only_field("Category", h["category_name"]),
        read_only_field("Assignee", h["assignee_name"], "Not assigned yet"),
        read_only_field("Team", h["team_name"]),
        spacing="3",
        width="100%",
    )


def side_panel() -> rx.Component:
    h = S.header
    return rx.card(
        rx.vstack(
            rx.heading("Details", size="3", as_="h2"),
            rx.cond(SessionState.is_staff, _staff_fields(), _requester_fields()),
            rx.separator(size="4"),
            read_only_field("Requester", h["requester_name"]),
            rx.cond(SessionState.is_staff, read_only_field("Email", h["requester_email"])),
            read_only_field("Created", h["created"]),
            read_only_field("Due", h["due"], "No due date"),
            rx.cond(SessionState.is_staff, read_only_field("Time logged", h["time_logged"])),
            rx.cond(SessionState.is_staff, sla_clock.clock_panel(S.sla_info, S.sla_log)),  # SLA
            rx.separator(size="4"),
            _links_panel(),
            rx.cond(SessionState.is_staff & ~h["is_closed"], _merge_controls()),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _link_list() -> rx.Component:
    return rx.cond(
        S.links.length() > 0,
        rx.vstack(
            rx.foreach(
                S.links,
                lambda t: rx.hstack(
                    rx.link(f"#{t['number']} {t['title']}", href=t["href"], size="2"),
                    rx.text(t["status_label"], size="1", color_scheme="gray"),
                    rx.spacer(),
                    rx.cond(
                        SessionState.is_staff,
                        rx.icon_button(
                            rx.icon("x", size=14),
                            size="1",
                            variant="ghost",
                            color_scheme="gray",
                            aria_label=f"Unlink #{t['number']}",
                            on_click=S.unlink_ticket(t["number"]),
                        ),
                    ),
                    width="100%",
                    align="center",
                ),
            ),
            spacing="1",
            width="100%",
        ),
        rx.text("None.", size="2", color_scheme="gray"),
    )


def _link_form() -> rx.Component:
    """Staff: link another ticket by its number."""
    return rx.cond(
        SessionState.is_staff,
        rx.form(
            rx.vstack(
                field_label("Link ticket number", "link-number"),
                rx.hstack(
                    rx.input(
                        id="link-number",
                        name="link_number",
                        placeholder="e.g. 1042",
                        inputmode="numeric",
                        aria_describedby="link-number-error",
                        size="2",
                    ),
                    rx.button("Link", type="submit", variant="soft", size="2"),
                    width="100%",
                ),
                field_error(S.link_error, "link-number"),
                spacing="1",
                width="100%",
            ),
            on_submit=S.link_ticket,
            reset_on_submit=False,
            width="100%",
        ),
    )


def _links_panel() -> rx.Component:
    return rx.vstack(
        rx.heading("Related tickets", size="3", as_="h2"),
        _link_list(),
        _link_form(),
        spacing="2",
        width="100%",
    )


def _merge_controls() -> rx.Component:
    h = S.header
    return rx.fragment(
        form_dialog(
            "Merge this ticket",
            f"#{h['number']} will be closed as a duplicate and linked to the ticket "
            "you choose. Its conversation stays readable.",
            labelled_input(
                "Merge into ticket number",
                "merge-target",
                S.merge_error,
                name="merge_target",
                placeholder="e.g. 1042",
                inputmode="numeric",
                required=True,
            ),
            submit="Continue",
            on_submit=S.ask_merge,
            open=S.merge_open,
            on_open_change=S.set_merge_open,
            trigger=rx.button(
                rx.icon("git-merge", size=16),
                "Merge into another ticket",
                variant="soft",
                color_scheme="violet",
                width="100%",
            ),
        ),
        confirm_dialog(
            "Merge tickets?",
            f"Merge #{h['number']} into {S.merge_target_label}? #{h['number']} will be closed "
            "and both tickets will link to each other. This cannot be undone.",
            confirm="Merge",
            on_confirm=S.confirm_merge,
            on_cancel=S.cancel_merge,
            open=S.merge_confirm_open,
            color_scheme="violet",
        ),
    )
