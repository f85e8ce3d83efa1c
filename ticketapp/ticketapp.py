"""The Reflex app: theme, middleware and page registrations only."""

from __future__ import annotations

import reflex as rx

from ticketapp import api, downloads, http_headers, live, outside_changes, running_app
from ticketapp.channels import smtp_listener
from ticketapp.db import run_in_session
from ticketapp.pages import (
    admin_audit,
    admin_channels,
    admin_escalation,
    admin_fields,
    admin_integrations,
    admin_organisations,
    admin_routing,
    admin_sla,
    admin_tags,
    admin_users,
    admin_webhooks,
    analytics,
    board,
    canned,
    home,
    kb,
    kb_article,
    kb_editor,
    login,
    password_reset,
    portal,
    requester_profile,
    settings,
    settings_notifications,
    settings_security,
    settings_tokens,
    ticket_detail,
    ticket_new,
    tickets_list,
)
from ticketapp.services import attachments, scheduler
from ticketapp.state import RecordClientIp, RoleGuard, SessionState, UseLocale

# api_transformer: our Starlette app (attachment downloads) with Reflex mounted under it, then
# the REST API in front of both (/api/v1, docs at /api/docs), then the security headers around
# everything (pages, static files, downloads, the API).
app = running_app.register(
    rx.App(
        stylesheets=["/styles.css", "/keyboard.css"],
        api_transformer=[downloads.create_api(), api.route_api, http_headers.SecurityHeaders],
    )
)
app.add_middleware(UseLocale())  # first: RoleGuard's refusals are in the tab's language
app.add_middleware(RecordClientIp())  # the client's address, for the security log
app.add_middleware(RoleGuard())
# SLA breaches + escalation rules every TICKETAPP_SCHEDULER_INTERVAL s (one worker at a time).
app.register_lifespan_task(
    scheduler.scheduler_loop, on_tickets_changed=live.tickets_changed, on_notified=live.notified
)
# With Redis: other workers' changes reach this worker's live boards.
app.register_lifespan_task(live.relay_loop)
# Changes made by other processes (the ingest-mail pipe command) reach every worker's views.
app.register_lifespan_task(outside_changes.poll_loop)
# MAIL: the optional SMTP listener (TICKETAPP_SMTP_LISTEN=host:port).
app.register_lifespan_task(smtp_listener.serve, on_tickets_changed=live.tickets_changed)


async def _sweep_orphaned_files() -> None:
    """At startup: remove attachment files a killed worker left without their row."""
    try:
        await run_in_session(attachments.sweep_orphans, readonly=True)
    except Exception as exc:  # never keep the app from starting
        print(f"ticketapp: attachment sweep skipped: {exc}")


app.register_lifespan_task(_sweep_orphaned_files)

_signed_in = [SessionState.check_session]

app.add_page(home.index_page, route="/", title="ticketapp", on_load=SessionState.go_home)
app.add_page(
    login.login_page, route="/login", title="Sign in · ticketapp", on_load=login.LoginState.on_load
)
app.add_page(login.signup_page, route="/signup", title="Create account · ticketapp")
app.add_page(
    password_reset.forgot_page,
    route="/forgot",
    title="Forgot password · ticketapp",
    on_load=password_reset.ForgotState.on_load,
)
app.add_page(
    password_reset.reset_page,
    route="/reset",
    title="New password · ticketapp",
    on_load=password_reset.ResetState.on_load,
)
app.add_page(
    portal.portal_page,
    route="/portal",
    title="My tickets · ticketapp",
    on_load=[*_signed_in, portal.PortalState.on_load],
)
app.add_page(
    ticket_new.ticket_new_page,
    route="/tickets/new",
    title="New ticket · ticketapp",
    on_load=[*_signed_in, ticket_new.TicketNewState.on_load],
)
app.add_page(
    tickets_list.tickets_list_page,
    route="/tickets",
    title="Tickets · ticketapp",
    on_load=[*_signed_in, tickets_list.TicketsListState.on_load],
)
app.add_page(
    board.board_page,
    route="/board",
    title="Board · ticketapp",
    on_load=[*_signed_in, board.BoardState.on_load],
)
app.add_page(
    analytics.analytics_page,
    route="/analytics",
    title="Analytics · ticketapp",
    on_load=[*_signed_in, analytics.AnalyticsGate.check_role, analytics.AnalyticsState.on_load],
)
app.add_page(
    admin_audit.admin_audit_page,
    route="/admin/audit",
    title="Audit log · ticketapp",
    on_load=[*_signed_in, admin_audit.AdminAuditState.on_load],
)
app.add_page(
    admin_users.admin_users_page,
    route="/admin/users",
    title="Users · ticketapp",
    on_load=[*_signed_in, admin_users.AdminUsersState.on_load],
)
app.add_page(  # ROUTING:
    admin_routing.admin_routing_page,
    route="/admin/routing",
    title="Routing · ticketapp",
    on_load=[*_signed_in, admin_routing.AdminRoutingState.on_load],
)
app.add_page(
    settings.settings_page,
    route="/settings",
    title="Settings · ticketapp",
    on_load=[*_signed_in, settings.SettingsState.on_load],
)
app.add_page(  # NOTIFY:
    settings_notifications.settings_notifications_page,
    route="/settings/notifications",
    title="Notification settings · ticketapp",
    on_load=[*_signed_in, settings_notifications.NotificationSettingsState.on_load],
)
app.add_page(
    settings_security.settings_security_page,
    route="/settings/security",
    title="Security · ticketapp",
    on_load=[*_signed_in, settings_security.SecurityState.on_load],
)
app.add_page(
    settings_tokens.settings_tokens_page,
    route="/settings/tokens",
    title="API tokens · ticketapp",
    on_load=[*_signed_in, settings_tokens.ApiTokensState.on_load],
)
app.add_page(
    canned.canned_page,
    route="/settings/canned",
    title="Canned responses · ticketapp",
    on_load=[*_signed_in, canned.CannedPageState.on_load],
)
app.add_page(
    canned.macros_page,
    route="/admin/macros",
    title="Macros · ticketapp",
    on_load=[*_signed_in, canned.MacrosPageState.on_load],
)
app.add_page(
    admin_sla.admin_sla_page,
    route="/admin/sla",
    title="SLA policies · ticketapp",
    on_load=[*_signed_in, admin_sla.AdminSlaState.on_load],
)
app.add_page(
    admin_escalation.admin_escalation_page,
    route="/admin/escalation",
    title="Escalation rules · ticketapp",
    on_load=[*_signed_in, admin_escalation.AdminEscalationState.on_load],
)
app.add_page(  # FIELDS:
    admin_fields.admin_fields_page,
    route="/admin/fields",
    title="Custom fields · ticketapp",
    on_load=[*_signed_in, admin_fields.AdminFieldsState.on_load],
)
app.add_page(  # TAGS:
    admin_tags.admin_tags_page,
    route="/admin/tags",
    title="Tags · ticketapp",
    on_load=[*_signed_in, admin_tags.AdminTagsState.on_load],
)
app.add_page(  # WEBHOOKS:
    admin_webhooks.admin_webhooks_page,
    route="/admin/webhooks",
    title="Webhooks · ticketapp",
    on_load=[*_signed_in, admin_webhooks.AdminWebhooksState.on_load],
)
app.add_page(  # MAIL:
    admin_channels.admin_channels_page,
    route="/admin/channels",
    title="Channels · ticketapp",
    on_load=[*_signed_in, admin_channels.AdminChannelsState.on_load],
)
app.add_page(
    admin_integrations.admin_integrations_page,
    route="/admin/integrations",
    title="Integrations · ticketapp",
    on_load=[*_signed_in, admin_integrations.AdminIntegrationsState.on_load],
)
app.add_page(
    ticket_detail.ticket_detail_page,
    route="/tickets/[number]",
    title="Ticket · ticketapp",
    on_load=[*_signed_in, ticket_detail.TicketDetailState.on_load],
)
app.add_page(
    kb.kb_page,
    route="/kb",
    title="Knowledge base · ticketapp",
    on_load=[*_signed_in, kb.KbState.on_load],
)
app.add_page(
    kb_editor.kb_new_page,
    route="/kb/new",
    title="New article · ticketapp",
    on_load=[*_signed_in, kb_editor.KbEditorState.on_load],
)
app.add_page(
    kb_article.kb_article_page,
    route="/kb/[slug]",
    title="Knowledge base · ticketapp",
    on_load=[*_signed_in, kb_article.KbArticleState.on_load],
)
app.add_page(
    kb_editor.kb_edit_page,
    route="/kb/[slug]/edit",
    title="Edit article · ticketapp",
    on_load=[*_signed_in, kb_editor.KbEditorState.on_load],
)
app.add_page(  # ORGS: requester context
    requester_profile.requester_profile_page,
    route="/people/[person_id]",
    title="Person · ticketapp",
    on_load=[*_signed_in, requester_profile.RequesterProfileState.on_load],
)
app.add_page(
    admin_organisations.admin_organisations_page,
    route="/admin/organisations",
    title="Organisations · ticketapp",
    on_load=[*_signed_in, admin_organisations.AdminOrganisationsState.on_load],
)
