"""Help-desk analytics for managers: every number is a SQL aggregate (GROUP BY over indexed
columns); Python only reshapes a handful of grouped rows. Correct on SQLite and PostgreSQL.

Definitions (also written on the page, see DEFINITIONS):
- scope: tickets not merged into another ticket (a merged duplicate counts once, as its
  target), filtered by team, category and channel when chosen;
- days are cut at midnight in the configured time zone (TICKETAPP_TIMEZONE, default UTC);
- backlog: tickets now New, Open, In progress or Waiting on requester;
- created: by the ticket's creation time;
- resolution: the LAST move to Resolved (Ticket.resolved_at) of a ticket that is still
  Resolved or Closed (a reopened ticket is not resolved); resolution time = that moment minus
  creation; a ticket resolved twice counts once, with its last resolution;
- first response: the first public reply by an agent or manager (Ticket.first_response_at,
  stamped by services.tickets.add_comment); tickets never answered have none and are left out
  of the median (and counted as unanswered);
- reopen rate: of the tickets moved to Resolved during the period, the share moved back from
  Resolved or Closed to an active status after that (by a requester's reply or by staff);
- overdue: backlog tickets whose due date has passed; overdue rate = overdue / backlog;
- satisfaction: ratings given during the period (1-5), averaged;
- KB deflections: "this solved my problem" clicks during the period (category filter: the
  article's category; a deflection has no team, so the team filter does not apply).

Modules: definitions (periods, buckets, the definitions shown on the page), filters (the URL
filters), sql (shared SQL building blocks), kpis (one function per KPI and chart), cards (the
KPI cards as shown), dashboard (the Dashboard, `dashboard` and `compute`), export (CSV, dict).
"""

from ticketapp.services.analytics.cards import (
    EXTRA_KPIS,
    format_duration,
    format_rate,
    kpi_cards,
)
from ticketapp.services.analytics.dashboard import (
    Dashboard,
    active_managers,
    compute,
    dashboard,
)
from ticketapp.services.analytics.definitions import (
    AGE_BUCKETS,
    DEFAULT_PERIOD,
    DEFINITIONS,
    MAX_CUSTOM_DAYS,
    PERIODS,
    RESOLUTION_BUCKETS,
)
from ticketapp.services.analytics.export import CHART_SECTIONS, as_dict, to_csv
from ticketapp.services.analytics.filters import (
    Filters,
    default_filters,
    filter_choices,
    local_today,
    parse_filters,
    zone,
)

__all__ = [
    "AGE_BUCKETS",
    "CHART_SECTIONS",
    "DEFAULT_PERIOD",
    "DEFINITIONS",
    "EXTRA_KPIS",
    "MAX_CUSTOM_DAYS",
    "PERIODS",
    "RESOLUTION_BUCKETS",
    "Dashboard",
    "Filters",
    "active_managers",
    "as_dict",
    "compute",
    "dashboard",
    "default_filters",
    "filter_choices",
    "format_duration",
    "format_rate",
    "kpi_cards",
    "local_today",
    "parse_filters",
    "to_csv",
    "zone",
]
