"""/admin/organisations: managers create organisations, set their e-mail domains (a new
requester with a matching address joins by themselves), rename and delete them.

Modules: state.py (AdminOrganisationsState), page.py (the table, the dialog, the delete
confirmation).
"""

from ticketapp.pages.admin_organisations.page import admin_organisations_page
from ticketapp.pages.admin_organisations.state import AdminOrganisationsState

__all__ = ["AdminOrganisationsState", "admin_organisations_page"]
