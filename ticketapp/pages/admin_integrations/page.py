"""The integrations page: the table, the form (name, severity -> priority, team, category, label
rules), the token shown once after creating, and the question before a revoke."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.admin import admin_table, row_button, select_field
from ticketapp.components.dialogs import confirm_dialog, form_dialog
from ticketapp.components.form_fields import LABEL_STYLE, labelled_textarea
from ticketapp.components.i18n import t
from ticketapp.components.layout import labelled_input, page_frame
from ticketapp.models import PRIORITY_LABELS
from ticketapp.pages.admin_integrations.state import AdminIntegrationsState, IntegrationItem
from ticketapp.state import MANAGERS

S = AdminIntegrationsState
PRIORITIES = list(PRIORITY_LABELS.items())
MONO = {"font-family": "var(--code-font-family, monospace)"}


def _row(i: rx.Var[IntegrationItem]) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(i["name"], weight="medium")),
        rx.table.cell(rx.code(i["prefix"])),
        rx.table.cell(i["mapping"]),
        rx.table.cell(i["team"]),
        rx.table.cell(i["category"]),
        rx.table.cell(
            rx.cond(
                i["rules"] != "",
                rx.text(i["rules"], size="1", style={"white-space": "pre-line", **MONO}),
                "—",
            )
        ),
        rx.table.cell(i["last_used"]),
        rx.table.cell(
            rx.badge(
                i["state_label"],
                color_scheme=rx.cond(i["active"], "green", "gray"),
                high_contrast=True,
            )
        ),
        rx.table.cell(
            rx.cond(
                i["active"],
                rx.hstack(
                    row_button(
                        t("Edit"), t("Edit {name}", name=i["name"]), S.edit_integration(i["id"])
                    ),
                    row_button(
                        t("Revoke"),
                        t("Revoke {name}", name=i["name"]),
                        S.ask_revoke(i["id"], i["name"]),
                        danger=True,
                    ),
                    spacing="1",
                ),
            )
        ),
    )


def _severity(severity: str, label: rx.Var[str], value: rx.Var[str]) -> rx.Component:
    return select_field(
        label,
        f"integration-{severity}",
        PRIORITIES,
        value,
        lambda v: S.set_choice(f"f_{severity}", v),
        S.errors.get(f"severity_{severity}", ""),
    )


def _form() -> rx.Component:
    return form_dialog(
        rx.cond(S.edit_id == 0, t("New integration"), t("Edit integration")),
        t(
            "A monitoring system posts alerts with this integration's token; each firing alert "
            "opens an incident."
        ),
        labelled_input(
            t("Name"),
            "integration-name",
            S.errors.get("name", ""),
            hint=t("For example: Prometheus production"),
            name="name",
            default_value=S.f_name,
        ),
        rx.el.fieldset(
            rx.el.legend(t("Priority for each alert severity"), style=LABEL_STYLE),
            rx.grid(
                _severity("critical", t("critical"), S.f_critical),
                _severity("warning", t("warning"), S.f_warning),
                _severity("info", t("info"), S.f_info),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="2",
                width="100%",
            ),
            style={"border": "none", "padding": "0", "margin": "0", "width": "100%"},
        ),
        select_field(
            t("Team"),
            "integration-team",
            S.team_options,
            S.f_team,
            lambda v: S.set_choice("f_team", v),
            S.errors.get("team_id", ""),
        ),
        select_field(
            t("Category"),
            "integration-category",
            S.category_options,
            S.f_category,
            lambda v: S.set_choice("f_category", v),
            S.errors.get("category_id", ""),
        ),
        labelled_textarea(
            t("Routing by label"),
            "integration-label-rules",
            S.errors.get("label_rules", ""),
            hint=t(
                "One rule per line: label=value -> team: Name, category: Name. The first "
                "matching rule that names a team chooses the team (the same for the category); "
                "otherwise the team and category above."
            ),
            name="label_rules",
            default_value=S.f_rules,
            key=S.form_key,
            placeholder="service=postgres -> team: Database, category: Infrastructure",
            rows="4",
            style=MONO,
        ),
        submit=t("Save integration"),
        on_submit=S.save,
        open=S.open,
        on_open_change=S.set_open,
        max_width="600px",
    )


def _token_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Token for {name}", name=S.secret_name)),
            rx.dialog.description(
                t(
                    "Copy it now: it is shown only once. Send it as Authorization: Bearer "
                    "<token> to /api/v1/alerts."
                ),
                size="2",
            ),
            rx.vstack(
                rx.el.label(t("Token"), html_for="integration-token", style=LABEL_STYLE),
                rx.input(
                    id="integration-token", value=S.secret, read_only=True, width="100%", style=MONO
                ),
                rx.hstack(
                    rx.button(
                        rx.icon("copy", size=14),
                        t("Copy"),
                        variant="soft",
                        on_click=[rx.set_clipboard(S.secret), rx.toast.info(t("Copied."))],
                    ),
                    rx.spacer(),
                    rx.dialog.close(
                        rx.button(t("Close"), variant="soft", color_scheme="gray", type="button")
                    ),
                    width="100%",
                ),
                spacing="2",
                margin_top="1em",
            ),
            max_width="640px",
        ),
        open=S.secret != "",
        on_open_change=S.close_secret,
    )


def _revoke_dialog() -> rx.Component:
    return confirm_dialog(
        t("Revoke integration?"),
        t(
            "{name} can post no more alerts; its open incidents stay as they are.",
            name=S.confirm_name,
        ),
        on_confirm=S.confirm_revoke,
        on_cancel=S.cancel_revoke,
        open=S.confirm_id != 0,
        confirm=t("Revoke"),
        color_scheme="red",
        high_contrast=True,
    )


def _intro() -> rx.Component:
    return rx.hstack(
        rx.text(
            t(
                "Monitoring systems (Prometheus Alertmanager, or anything that can POST JSON) "
                "open incidents through POST /api/v1/alerts. Each integration has its own token."
            ),
            color_scheme="gray",
        ),
        rx.spacer(),
        rx.button(rx.icon("plus", size=16), t("New integration"), on_click=S.new_integration),
        width="100%",
        align="center",
    )


def admin_integrations_page() -> rx.Component:
    headers = [
        t("Name"),
        t("Token"),
        t("Severity → priority"),
        t("Team"),
        t("Category"),
        t("Routing by label"),
        t("Last used"),
        t("Status"),
        t("Actions"),
    ]
    return page_frame(
        _intro(),
        rx.cond(
            S.loading,
            rx.center(rx.spinner(), width="100%"),
            rx.cond(
                S.items.length() > 0,
                rx.box(
                    admin_table(t("Monitoring integrations"), headers, S.items, _row),
                    width="100%",
                    overflow_x="auto",
                ),
                rx.text(t("No integrations yet. Create one to let monitoring open incidents.")),
            ),
        ),
        _form(),
        _token_dialog(),
        _revoke_dialog(),
        title=t("Integrations"),
        roles=MANAGERS,
    )
