"""/tickets/new: file a ticket (requesters for themselves, staff on behalf of someone).

- state.py: TicketNewState (fields, the tab's draft, requester picker, submit), with its
  handlers for attachments and deflection in the mixins attachment_events.py and
  deflection_events.py; parking.py keeps the chosen files on the server until the submit;
- view_model.py: the TypedDicts of the state's vars;
- one module per visible part: form (requester_picker, description, type_fields,
  attachment_box), suggestions, article_dialog; page.py lays them out.
"""

from ticketapp.pages.ticket_new.page import ticket_new_page
from ticketapp.pages.ticket_new.state import TicketNewState

__all__ = ["TicketNewState", "ticket_new_page"]
