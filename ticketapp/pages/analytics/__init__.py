"""/analytics: live help-desk numbers for managers (their home page).

Data flow: on_load reads the filters from the URL, checks the role, registers the tab as a
viewer of its filter set (key `Filters.key()`), computes the dashboard (services.analytics) and
writes it into the tab's own `AnalyticsState`. Everything is rebuilt from the URL and the
database in on_load (a reconnecting tab may get a fresh state).

Live: a listener on the change feed (ticketapp/live.py) coalesces a burst of changes, then
computes each filter set that has viewers ONCE and pushes the result into each of those
viewers' own AnalyticsState (`live.push`): viewers never query the database themselves.

Analytics tabs are NOT linked to a shared state: a linked client holds the shared token's lock
for the whole of every event it sends, so every manager viewing the same filters would
serialize on the others (see live.py). Instead on_load registers the client token in this
worker's `_viewers`; the listener runs in every worker for every change
(`live.subscribe_every_worker`) and pushes to the tabs connected to its own worker, each under
that client's own lock only. So each filter set is computed once per burst per worker that has
viewers of it (managers are few), and nothing survives only in Redis: after a Redis flush or
restart a tab still gets its numbers (`_receive`), and its next event recovers its session.

Modules: state.py (AnalyticsGate, AnalyticsState and the live refresh), viewers.py (this
worker's registry of open tabs), view_model.py (the dashboard's row types), page.py
(analytics_page) and its parts filters.py, help_panel.py, kpis.py, charts.py.
"""

from ticketapp.pages.analytics.page import analytics_page
from ticketapp.pages.analytics.state import AnalyticsGate, AnalyticsState

__all__ = ["AnalyticsGate", "AnalyticsState", "analytics_page"]
