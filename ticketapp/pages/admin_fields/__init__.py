"""/admin/fields: managers define custom fields per ticket type (services/custom_fields.py).

Modules: state.py (AdminFieldsState), page.py (admin_fields_page: the table and the dialog).
"""

from ticketapp.pages.admin_fields.page import admin_fields_page
from ticketapp.pages.admin_fields.state import AdminFieldsState

__all__ = ["AdminFieldsState", "admin_fields_page"]
