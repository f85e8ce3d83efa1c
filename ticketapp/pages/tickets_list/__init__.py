"""/tickets: the agents' ticket list: filters, sort, SQL pagination, saved views, bulk actions.

- state.py: TicketsListState (the URL is the truth for filters, sort and page);
- view_model.py: service rows and choices turned into TypedDicts; constants.py: sorts, saved
  views, filter choices;
- one module per visible part: filters, bulk_bar, table, pager; page.py lays them out.
"""

from ticketapp.pages.tickets_list.page import tickets_list_page
from ticketapp.pages.tickets_list.state import TicketsListState

__all__ = ["TicketsListState", "tickets_list_page"]
