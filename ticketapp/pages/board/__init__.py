"""/board: the kanban board for agents and managers (their home page).

Data flow: on_load reads the filters from the URL and loads every column from the database
(so a reconnect with a fresh state rebuilds everything). A drop calls `move`, which goes through
services.board.move_card, patches the two affected columns and publishes a Change. The change
feed pushes the changed ticket ids into every open board's own BoardState (`_feed_changed`,
bumping `feed_seq`); each browser then asks its BoardState to reload just those cards under its
own filters (`on_feed`). Cards live in one var per column, so a delta carries only the columns
that changed.

Boards are NOT linked to a shared state: a linked client holds the shared token's lock for the
whole of every event it sends (database work included), which serialized every board event of
every client (found by `make load`). Instead on_load registers the client token in this
worker's `_feed`, and the feed listener (run in every worker for every change, see
ticketapp/live.py) pushes to the boards connected to its own worker, each under that client's
own lock only (`live.push`). With several workers no board state crosses workers: each worker
serves its own boards (a registry shared by all workers made each of 4 workers push to every
board, 4x the work, relayed through Redis: board moves p95 25-54 s at 200 clients).

Modules: state.py (BoardState and the live feed), view_model.py (service cards -> CardView),
page.py (board_page) and its parts filters.py, side_panel.py, dialogs.py.
"""

from ticketapp.pages.board.page import board_page
from ticketapp.pages.board.state import BoardState

__all__ = ["BoardState", "board_page"]
