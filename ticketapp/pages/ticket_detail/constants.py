"""Names and limits shared by the ticket page's state and its view parts."""

from __future__ import annotations

from ticketapp.i18n import N_

REPLY_UPLOAD_ID = "reply-files"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_REPLY_FILES = 10
NONE = "none"  # select value for "no assignee / team / category" (Radix forbids "")
REPLY, NOTE = N_("Reply"), N_("Internal note")
FIELD_LABELS = {
    "title": N_("Title"),
    "status": N_("Status"),
    "priority": N_("Priority"),
    "type": N_("Type"),
    "category_id": N_("Category"),
    "assignee_id": N_("Assignee"),
    "team_id": N_("Team"),
}


EDITABLE_SELECTS = ("status", "priority", "type", "category_id", "assignee_id", "team_id")
