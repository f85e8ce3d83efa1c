"""The side panel: the ticket's fields (editable selects for staff), related tickets, merging."""

from __future__ import annotations

import reflex as rx

from ticketapp.components import sla_clock
from ticketapp.components.custom_fields import ticket_fields_panel
from ticketapp.components.dialogs import confirm_dialog, form_dialog
from ticketapp.components.i18n import t, t_var
from ticketapp.components.layout import field_error, labelled_input
from ticketapp.components.people import link_field
from ticketapp.components.tags import ticket_tags_panel
from ticketapp.components.ticket_parts import field_label, field_select, read_only_field
from ticketapp.pages.ticket_detail.parts import field_error_of
from ticketapp.pages.ticket_detail.state import TicketDetailState
from ticketapp.state import SessionState

S = TicketDetailState


def _staff_fields() -> rx.Component:
    h = S.header
    sel = [
        (t("Status"), "field-status", "status", S.status_options),
        (t("Priority"), "field-priority", "priority", S.priority_options),
        (t("Type"), "field-type", "type", S.type_options),
        (t("Category"), "field-category", "category_id", S.category_options),
        (t("Assignee"), "field-assignee", "assignee_id", S.assignee_options),
        (t("Team"), "field-team", "team_id", S.team_options),
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
            t("Assign to me"),
            variant="soft",
            on_click=S.assign_to_me,
            disabled=S.saving | (h["assignee_name"] == SessionState.user_name),
            width="100%",
            data_shortcut="assign-me",
        ),
        spacing="3",
        width="100%",
    )


def _requester_fields() -> rx.Component:
    h = S.header
    return rx.vstack(
        read_only_field(t("Status"), t_var(h["status_label"])),
        read_only_field(t("Priority"), t_var(h["priority_label"])),
        read_only_field(t("Type"), t_var(h["type_label"])),
        read_only_field(t("Category"), h["category_name"]),
        read_only_field(t("Assignee"), h["assignee_name"], t("Not assigned yet")),
        read_only_field(t("Team"), h["team_name"]),
        spacing="3",
        width="100%",
    )


def side_panel() -> rx.Component:
    h = S.header
    return rx.card(
        rx.vstack(
            rx.heading(t("Details"), size="3", as_="h2"),
            rx.cond(SessionState.is_staff, _staff_fields(), _requester_fields()),
            ticket_fields_panel(S.feed_stamp, SessionState.is_staff),  # FIELDS:
            rx.cond(SessionState.is_staff, ticket_tags_panel(S.feed_stamp)),  # TAGS:
            rx.separator(size="4"),
            rx.cond(  # ORGS: staff open the requester's profile
                h["requester_href"] != "",
                link_field(t("Requester"), h["requester_name"], h["requester_href"]),
                read_only_field(t("Requester"), h["requester_name"]),
            ),
            rx.cond(SessionState.is_staff, read_only_field(t("Email"), h["requester_email"])),
            read_only_field(t("Created"), h["created"]),
            read_only_field(t("Channel"), t_var(h["channel_label"])),
            read_only_field(t("Due"), h["due"], t("No due date")),
            rx.cond(SessionState.is_staff, read_only_field(t("Time logged"), h["time_logged"])),
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
                lambda linked: rx.hstack(
                    rx.link(
                        f"#{linked['number']} {linked['title']}", href=linked["href"], size="2"
                    ),
                    rx.text(t_var(linked["status_label"]), size="1", color_scheme="gray"),
                    rx.spacer(),
                    rx.cond(
                        SessionState.is_staff,
                        rx.icon_button(
                            rx.icon("x", size=14),
                            size="1",
                            variant="ghost",
                            color_scheme="gray",
                            aria_label=t("Unlink #{number}", number=linked["number"]),
                            on_click=S.unlink_ticket(linked["number"]),
                        ),
                    ),
                    width="100%",
                    align="center",
                ),
            ),
            spacing="1",
            width="100%",
        ),
        rx.text(t("None."), size="2", color_scheme="gray"),
    )


def _link_form() -> rx.Component:
    """Staff: link another ticket by its number."""
    return rx.cond(
        SessionState.is_staff,
        rx.form(
            rx.vstack(
                field_label(t("Link ticket number"), "link-number"),
                rx.hstack(
                    rx.input(
                        id="link-number",
                        name="link_number",
                        placeholder=t("e.g. 1042"),
                        inputmode="numeric",
                        aria_describedby="link-number-error",
                        size="2",
                    ),
                    rx.button(t("Link"), type="submit", variant="soft", size="2"),
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
        rx.heading(t("Related tickets"), size="3", as_="h2"),
        _link_list(),
        _link_form(),
        spacing="2",
        width="100%",
    )


def _merge_controls() -> rx.Component:
    h = S.header
    return rx.fragment(
        form_dialog(
            t("Merge this ticket"),
            t(
                "#{number} will be closed as a duplicate and linked to the ticket "
                "you choose. Its conversation stays readable.",
                number=h["number"],
            ),
            labelled_input(
                t("Merge into ticket number"),
                "merge-target",
                S.merge_error,
                name="merge_target",
                placeholder=t("e.g. 1042"),
                inputmode="numeric",
                required=True,
            ),
            submit=t("Continue"),
            on_submit=S.ask_merge,
            open=S.merge_open,
            on_open_change=S.set_merge_open,
            trigger=rx.button(
                rx.icon("git-merge", size=16),
                t("Merge into another ticket"),
                variant="soft",
                color_scheme="violet",
                width="100%",
            ),
        ),
        confirm_dialog(
            t("Merge tickets?"),
            t(
                "Merge #{number} into {target}? #{number} will be closed and both tickets "
                "will link to each other. This cannot be undone.",
                number=h["number"],
                target=S.merge_target_label,
            ),
            confirm=t("Merge"),
            on_confirm=S.confirm_merge,
            on_cancel=S.cancel_merge,
            open=S.merge_confirm_open,
            color_scheme="violet",
        ),
    )
