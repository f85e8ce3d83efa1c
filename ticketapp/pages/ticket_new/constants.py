"""Names, limits and choices shared by the filing form's state and its view parts."""

from __future__ import annotations

from ticketapp.models import TYPE_LABELS, Priority, TicketType
from ticketapp.services import tickets

UPLOAD_ID = "ticket-attachments"
MAX_FILES = 10
DRAFT_KEY = "ticketapp-new-ticket"
TYPE_OPTIONS = [(t.value, TYPE_LABELS[t]) for t in TicketType]
IMPACT_OPTIONS = [(p.value, p.value.capitalize()) for p in Priority]
NO_CATEGORY = "none"
DETAIL_NAMES = {name for fields in tickets.DETAIL_FIELDS.values() for name in fields}
TEXT_FIELDS = ("title", "description")
ACCEPT = {
    "image/*": [".png", ".jpg", ".jpeg", ".gif", ".webp"],
    "application/pdf": [".pdf"],
    "text/plain": [".txt", ".log"],
    "text/csv": [".csv"],
    "text/markdown": [".md"],
    "application/zip": [".zip"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
    "application/vnd.oasis.opendocument.text": [".odt"],
    "application/vnd.oasis.opendocument.spreadsheet": [".ods"],
}
