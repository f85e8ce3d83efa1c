"""The agent's tools: /settings/canned (canned responses) and /admin/macros (macros)."""

from ticketapp.pages.canned.canned_page import CannedPageState, canned_page
from ticketapp.pages.canned.macros_page import MacrosPageState, macros_page

__all__ = ["CannedPageState", "MacrosPageState", "canned_page", "macros_page"]
