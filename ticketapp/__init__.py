"""ticketapp: a help desk for small teams."""
