"""/admin/sla: managers define SLA policies (per priority, optionally per category/team) and
business calendars (time zone, working days and hours, holidays).

Modules: state.py (AdminSlaState), view_model.py (service policies and calendars -> rows),
page.py (admin_sla_page: both tables, the delete confirmation), policy_dialog.py,
calendar_dialog.py.
"""

from ticketapp.pages.admin_sla.page import admin_sla_page
from ticketapp.pages.admin_sla.state import AdminSlaState

__all__ = ["AdminSlaState", "admin_sla_page"]
