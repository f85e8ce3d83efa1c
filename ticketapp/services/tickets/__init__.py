"""Tickets: filing, the ticket page, field changes, conversation, merge and links, lists, and
read markers, one module each; shared helpers in common.py, read models in views.py.

Rules that hold for every function here:
- the acting user comes first after the session, and permission is checked here: a requester
  only ever reaches tickets they filed; anyone else's ticket reads as "does not exist" (the rule
  itself lives in services/visibility.py);
- ids may arrive as strings or garbage from a browser: they are coerced and checked;
- every change writes its TicketEvent in the same transaction; nothing here commits.

Versioning: `Ticket.version` (a SQLAlchemy version_id_col) moves when an agent-editable field,
the status or the board rank changes. Appending to the conversation, logging time and "seen"
markers update timestamps with a plain UPDATE and do not move it, so an agent editing fields is
not refused because someone added a note.

Callers use the names re-exported here (`tickets.create_ticket(...)`), not the modules.
"""

from ticketapp.services.audit import last_changed_by, record_event
from ticketapp.services.ids import MAX_DB_INT, NOT_FOUND, coerce_id
from ticketapp.services.tickets.common import (
    EDITABLE_FIELDS,
    FIRST_NUMBER,
    MAX_COMMENT,
    MAX_DESCRIPTION,
    MAX_DETAIL,
    MAX_PAGE_SIZE,
    MAX_TITLE,
    check_version,
    flush_ticket,
)
from ticketapp.services.tickets.conversation import add_comment, log_time, rate
from ticketapp.services.tickets.duplicates import Duplicate, similar_open_tickets
from ticketapp.services.tickets.fields import assign_to_me, bulk_update, update_fields
from ticketapp.services.tickets.filing import create_ticket
from ticketapp.services.tickets.listing import (
    SORT_KEYS,
    list_my_tickets,
    list_tickets,
    ticket_filters,
)
from ticketapp.services.tickets.merge import link_tickets, merge, unlink_tickets
from ticketapp.services.tickets.read_markers import mark_seen
from ticketapp.services.tickets.search import TicketQuery
from ticketapp.services.tickets.search import prepare as prepare_search
from ticketapp.services.tickets.status import (
    apply_status,
    auto_close_resolved,
    bottom_rank,
    lock_column,
)
from ticketapp.services.tickets.validation import (
    DETAIL_FIELDS,
    FormInvalid,
    clean_details,
    validate_ticket_form,
)
from ticketapp.services.tickets.view import get_ticket_view, view_of
from ticketapp.services.tickets.views import (
    AttachmentView,
    BulkOutcome,
    CommentView,
    EventView,
    LinkView,
    TicketRef,
    TicketRow,
    TicketView,
    TimeEntryView,
)
from ticketapp.services.visibility import (
    REQUESTER_EVENT_KINDS,
    can_see,
    get_ticket_for,
    ticket_for_number,
    ticket_id_for_number,
)

__all__ = [
    "DETAIL_FIELDS",
    "EDITABLE_FIELDS",
    "FIRST_NUMBER",
    "MAX_COMMENT",
    "MAX_DB_INT",
    "MAX_DESCRIPTION",
    "MAX_DETAIL",
    "MAX_PAGE_SIZE",
    "MAX_TITLE",
    "NOT_FOUND",
    "REQUESTER_EVENT_KINDS",
    "SORT_KEYS",
    "AttachmentView",
    "BulkOutcome",
    "CommentView",
    "Duplicate",
    "EventView",
    "FormInvalid",
    "LinkView",
    "TicketRef",
    "TicketRow",
    "TicketView",
    "TimeEntryView",
    "add_comment",
    "apply_status",
    "assign_to_me",
    "auto_close_resolved",
    "bottom_rank",
    "bulk_update",
    "can_see",
    "check_version",
    "clean_details",
    "coerce_id",
    "create_ticket",
    "flush_ticket",
    "get_ticket_for",
    "get_ticket_view",
    "view_of",
    "last_changed_by",
    "link_tickets",
    "list_my_tickets",
    "list_tickets",
    "lock_column",
    "log_time",
    "mark_seen",
    "merge",
    "rate",
    "record_event",
    "similar_open_tickets",
    "ticket_filters",
    "TicketQuery",
    "prepare_search",
    "ticket_for_number",
    "ticket_id_for_number",
    "unlink_tickets",
    "update_fields",
    "validate_ticket_form",
]
