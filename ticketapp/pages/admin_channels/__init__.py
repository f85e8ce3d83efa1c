"""/admin/channels: managers connect IMAP mailboxes (polled by the scheduler) and review the
mail quarantine (download the raw message, retry, discard).

Modules: state.py (AdminChannelsState), view_model.py (service views -> rows), page.py
(admin_channels_page: the mailboxes table, the quarantine, the dialogs).
"""

from ticketapp.pages.admin_channels.page import admin_channels_page
from ticketapp.pages.admin_channels.state import AdminChannelsState

__all__ = ["AdminChannelsState", "admin_channels_page"]
