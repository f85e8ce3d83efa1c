"""The webhooks page's dialogs: the endpoint form, the signing secret (with rotation), and the
confirmations before a rotation or a delete."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import delete_dialog
from ticketapp.components.dialogs import confirm_dialog, form_dialog
from ticketapp.components.form_fields import LABEL_STYLE
from ticketapp.components.i18n import t
from ticketapp.components.layout import field_error, labelled_input
from ticketapp.pages.admin_webhooks.state import EVENT_FIELD, AdminWebhooksState
from ticketapp.services.webhooks import EVENTS

S = AdminWebhooksState


def _err(field: str) -> rx.Var[str]:
    return S.errors.get(field, "")


def _check(name: str, label: rx.Var[str], checked: rx.Var[bool]) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="checkbox", name=name, default_checked=checked, style={"margin-right": "0.4em"}
        ),
        label,
        style={"font-size": "14px", "display": "flex", "align-items": "center"},
    )


def _events() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t("Events to send"), style=LABEL_STYLE),
        rx.grid(
            *[
                _check(EVENT_FIELD + name, t(label), S.f_events.contains(name))
                for name, label in EVENTS.items()
            ],
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="1",
            width="100%",
        ),
        field_error(_err("events"), "webhook-events"),
        aria_describedby="webhook-events-error",
        style={"border": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def endpoint_dialog() -> rx.Component:
    return form_dialog(
        rx.cond(S.edit_id == 0, t("New webhook endpoint"), t("Edit webhook endpoint")),
        t("Ticket events are sent to this URL as signed JSON POST requests."),
        labelled_input(
            t("URL"),
            "webhook-url",
            _err("url"),
            hint=t("http:// or https://; redirects are not followed."),
            name="url",
            type="url",
            placeholder="https://example.com/hooks/ticketapp",
            default_value=S.f_url,
        ),
        labelled_input(
            t("Description (optional)"),
            "webhook-description",
            _err("description"),
            name="description",
            default_value=S.f_description,
        ),
        _events(),
        _check("is_active", t("Active: send events to this URL"), S.f_active),
        submit=t("Save endpoint"),
        on_submit=S.save,
        open=S.open,
        on_open_change=S.set_open,
        max_width="600px",
    )


def secret_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Signing secret")),
            rx.dialog.description(
                t(
                    "Requests to {url} carry X-Ticketapp-Signature: an HMAC-SHA256 made with "
                    "this secret. Keep it on the receiver only.",
                    url=S.secret_url,
                ),
                size="2",
            ),
            rx.vstack(
                rx.el.label(t("Secret"), html_for="webhook-secret", style=LABEL_STYLE),
                rx.input(
                    id="webhook-secret",
                    value=S.secret,
                    read_only=True,
                    width="100%",
                    style={"font-family": "var(--code-font-family, monospace)"},
                ),
                rx.hstack(
                    rx.button(
                        rx.icon("copy", size=14),
                        t("Copy"),
                        variant="soft",
                        on_click=[rx.set_clipboard(S.secret), rx.toast.info(t("Copied."))],
                    ),
                    rx.button(
                        rx.icon("refresh-cw", size=14),
                        t("Rotate secret"),
                        variant="soft",
                        on_click=S.ask_rotate,
                    ),
                    rx.spacer(),
                    rx.dialog.close(
                        rx.button(t("Close"), variant="soft", color_scheme="gray", type="button")
                    ),
                    width="100%",
                    wrap="wrap",
                ),
                spacing="2",
                margin_top="1em",
            ),
            max_width="640px",
        ),
        open=S.secret_id != 0,
        on_open_change=S.close_secret,
    )


def rotate_dialog() -> rx.Component:
    return confirm_dialog(
        t("Rotate the secret?"),
        t(
            "Requests are signed with a new secret from now on; the receiver rejects them "
            "until it has the new one."
        ),
        confirm=t("Rotate"),
        on_confirm=S.rotate,
        on_cancel=S.cancel_rotate,
        open=S.confirm_rotate,
    )


def delete_endpoint_dialog() -> rx.Component:
    return delete_dialog(
        t("Delete endpoint?"),
        t(
            "{url} will receive no more events, and its delivery log is deleted too.",
            url=S.confirm_url,
        ),
        on_confirm=S.confirm_delete,
        on_cancel=S.cancel_delete,
        open=S.confirm_id != 0,
        high_contrast=True,
    )
