"""/admin/integrations: managers create monitoring integrations (their token shown once), set
each one's severity -> priority map, team and category, and revoke them.

Modules: state.py (AdminIntegrationsState and the rows it holds), page.py (the table and the
dialogs)."""

from ticketapp.pages.admin_integrations.page import admin_integrations_page
from ticketapp.pages.admin_integrations.state import AdminIntegrationsState

__all__ = ["AdminIntegrationsState", "admin_integrations_page"]
