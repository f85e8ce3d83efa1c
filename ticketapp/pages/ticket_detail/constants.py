"""Names and limits shared by the ticket page's state and its view parts."""

from __future__ import annotations

REPLY_UPLOAD_ID = "reply-files"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_REPLY_FILES = 10
NONE = "none"  # select value for "no assignee / team / category" (Radix forbids "")
REPLY, NOTE = "Reply", "Internal note"
FIELD_LABELS = {
    "title": "Title",
    "status": "Status",
    "priority": "Priority",
    "type": "Type",
    "category_id": "Category",
    "assignee_id": "Assignee",
    "team_id": "Team",
}


EDITABLE_SELECTS = ("status", "priority", "type", "category_id", "assignee_id", "team_id")
