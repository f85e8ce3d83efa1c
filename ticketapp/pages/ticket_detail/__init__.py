"""/tickets/[number]: one ticket, for its requester and for agents and managers.

- state.py: TicketDetailState (vars, loading, the live feed), with its handlers in the mixins
  edit_events.py, reply_events.py and link_events.py;
- view_model.py: the service's read model turned into TypedDicts (`load_ticket`);
- one module per visible part: banners, title_row, conversation (+ reply_box), history,
  time_log, side_panel; page.py lays them out.
"""

from ticketapp.pages.ticket_detail.page import ticket_detail_page
from ticketapp.pages.ticket_detail.state import TicketDetailState

__all__ = ["TicketDetailState", "ticket_detail_page"]
