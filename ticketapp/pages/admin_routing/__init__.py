"""/admin/routing: managers edit triage rules, team auto-assignment, agent availability/skills.

Modules: state.py (AdminRoutingState), view_model.py (rules, teams and agents as rows; the rule
draft), page.py (admin_routing_page) and its parts rules.py (the rules table and delete
confirmation), rule_editor.py (the rule dialog), assignment.py (teams and agents tables).
"""

from ticketapp.pages.admin_routing.page import admin_routing_page
from ticketapp.pages.admin_routing.state import AdminRoutingState

__all__ = ["AdminRoutingState", "admin_routing_page"]
