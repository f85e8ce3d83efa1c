"""The webhooks page: the endpoints table and the recent deliveries of the chosen endpoint."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import admin_table, row_button
from ticketapp.components.i18n import t
from ticketapp.components.layout import page_frame
from ticketapp.pages.admin_webhooks.dialogs import (
    delete_endpoint_dialog,
    endpoint_dialog,
    rotate_dialog,
    secret_dialog,
)
from ticketapp.pages.admin_webhooks.state import AdminWebhooksState
from ticketapp.pages.admin_webhooks.view_model import DeliveryItem, EndpointItem
from ticketapp.state import MANAGERS

S = AdminWebhooksState
WRAP = {"overflow-wrap": "anywhere", "word-break": "break-word"}
PRE = {
    "white-space": "pre-wrap",
    "font-size": "12px",
    "margin": "0.3em 0 0",
    "background": "var(--gray-a3)",
    "padding": "0.4em",
    "border-radius": "4px",
    **WRAP,
}


def _endpoint_row(e: rx.Var[EndpointItem]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(e["url"], weight="medium", style=WRAP),
            rx.cond(
                e["description"] != "",
                rx.text(e["description"], size="1", color_scheme="gray"),
            ),
        ),
        rx.table.cell(e["events_label"]),
        rx.table.cell(
            rx.badge(e["state_label"], color_scheme=e["state_color"], high_contrast=True),
            rx.cond(e["problem"] != "", rx.text(e["problem"], size="1", style=WRAP)),
        ),
        rx.table.cell(
            rx.hstack(
                row_button(
                    t("Deliveries"), t("Deliveries to {url}", url=e["url"]), S.show_log(e["id"])
                ),
                row_button(
                    t("Send test event"),
                    t("Send a test event to {url}", url=e["url"]),
                    S.send_test(e["id"]),
                    disabled=S.busy | ~e["active"],
                ),
                row_button(
                    t("Secret"), t("Signing secret of {url}", url=e["url"]), S.show_secret(e["id"])
                ),
                row_button(t("Edit"), t("Edit {name}", name=e["url"]), S.edit_endpoint(e["id"])),
                row_button(
                    t("Delete"),
                    t("Delete {name}", name=e["url"]),
                    S.ask_delete(e["id"], e["url"]),
                    danger=True,
                ),
                wrap="wrap",
                spacing="1",
            )
        ),
    )


def _attempts(d: rx.Var[DeliveryItem]) -> rx.Component:
    return rx.cond(d["log"] == "", rx.text(d["attempts_label"]), _attempt_log(d))


def _attempt_log(d: rx.Var[DeliveryItem]) -> rx.Component:
    return rx.el.details(
        rx.el.summary(d["attempts_label"], style={"cursor": "pointer"}),
        rx.el.pre(d["log"], style=PRE),
        rx.cond(
            d["excerpt"] != "",
            rx.box(
                rx.text(t("Last response"), size="1", weight="medium", margin_top="0.3em"),
                rx.el.pre(d["excerpt"], style=PRE),
            ),
        ),
    )


def _delivery_row(d: rx.Var[DeliveryItem]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(d["event"]),
        rx.table.cell(d["ticket"]),
        rx.table.cell(
            rx.badge(d["status_label"], color_scheme=d["status_color"], high_contrast=True)
        ),
        rx.table.cell(rx.text(d["response"], style=WRAP)),
        rx.table.cell(d["when"]),
        rx.table.cell(d["duration"]),
        rx.table.cell(_attempts(d)),
        rx.table.cell(
            row_button(
                t("Resend"),
                t("Resend {event} {ticket}", event=d["event"], ticket=d["ticket"]),
                S.resend(d["id"]),
                disabled=S.busy,
            )
        ),
    )


def _log() -> rx.Component:
    headers = [
        t("Event"),
        t("Ticket"),
        t("Status"),
        t("Response"),
        t("Last attempt"),
        t("Duration"),
        t("Attempts"),
        t("Actions"),
    ]
    return rx.cond(
        S.log_id != 0,
        rx.vstack(
            rx.hstack(
                rx.heading(t("Recent deliveries"), size="4", as_="h2"),
                rx.spacer(),
                rx.cond(S.busy, rx.spinner(size="2")),
                rx.button(
                    rx.icon("refresh-cw", size=14),
                    t("Refresh"),
                    variant="soft",
                    size="1",
                    on_click=S.refresh_log,
                ),
                width="100%",
                align="center",
            ),
            rx.text(S.log_url, color_scheme="gray", size="2", style=WRAP),
            rx.cond(
                S.deliveries.length() > 0,
                rx.box(
                    admin_table(t("Recent deliveries"), headers, S.deliveries, _delivery_row),
                    width="100%",
                    overflow_x="auto",
                ),
                rx.text(
                    t("No deliveries yet. Send a test event, or wait for the next ticket event.")
                ),
            ),
            width="100%",
            spacing="2",
        ),
    )


def _intro() -> rx.Component:
    return rx.hstack(
        rx.text(
            t(
                "Ticket events are POSTed as signed JSON to these URLs. Failed deliveries are "
                "retried with growing delays; an endpoint that fails for a day is turned off "
                "and managers are told."
            ),
            color_scheme="gray",
        ),
        rx.spacer(),
        rx.button(rx.icon("plus", size=16), t("New endpoint"), on_click=S.new_endpoint),
        width="100%",
        align="center",
    )


def admin_webhooks_page() -> rx.Component:
    return page_frame(
        _intro(),
        rx.cond(
            S.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.cond(
                S.endpoints.length() > 0,
                rx.box(
                    admin_table(
                        t("Webhook endpoints"),
                        [t("URL"), t("Events"), t("Status"), t("Actions")],
                        S.endpoints,
                        _endpoint_row,
                    ),
                    width="100%",
                    overflow_x="auto",
                ),
                rx.text(
                    t("No webhook endpoints yet. Add one to send ticket events to another system.")
                ),
            ),
        ),
        _log(),
        endpoint_dialog(),
        secret_dialog(),
        rotate_dialog(),
        delete_endpoint_dialog(),
        title=t("Webhooks"),
        roles=MANAGERS,
    )
