"""/admin/webhooks: managers register endpoints that receive ticket events, see each endpoint's
recent deliveries with their attempts, and resend one.

Modules: state.py (AdminWebhooksState), view_model.py (service views -> rows), page.py
(admin_webhooks_page: the endpoints table, the delivery log), dialogs.py (the endpoint form,
the signing secret, the confirmations).
"""

from ticketapp.pages.admin_webhooks.page import admin_webhooks_page
from ticketapp.pages.admin_webhooks.state import AdminWebhooksState

__all__ = ["AdminWebhooksState", "admin_webhooks_page"]
