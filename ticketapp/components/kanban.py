"""The kanban board component: a local JSX component on dnd-kit, wrapped for Reflex.

Events from the browser (all arguments are untrusted strings; the page's handlers validate):
- on_move(card_id, to_status, before_id, after_id, version): a drop or a "Move to" choice;
  before_id is the card directly above the dropped card, after_id the one below ("" for none);
- on_open(number): a card was clicked (or Enter pressed on it);
- on_show_more(status), on_toggle(status), on_set_limit(status): column buttons;
- on_feed(seq): the live feed moved on; the board asks the server for what changed.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import passthrough_event_spec

from ticketapp.i18n import N_

_ASSET = rx.asset("kanban_board.jsx", shared=True)

# The text kanban_board.jsx shows, marked here for the catalogs (the extractor reads Python).
JSX_MESSAGES = (
    N_("Move #{number}"),
    N_("Move to…"),
    N_("Move #{number} to"),
    N_("Tags and details…"),
    N_("Age"),
    N_("Assignee {name}"),
    N_("Unassigned"),
    N_("Overdue {due}"),
    N_("Due {due}"),
    N_("Expand {column}"),
    N_("Collapse {column}"),
    N_("{total} cards, limit {limit}"),
    N_("{total} cards"),
    N_("WIP limit for {column}"),
    N_("Limit"),
    N_("card"),
    N_("no column"),
    N_("{column}, position {position} of {count}"),
    N_("Picked up {card}. Use the arrow keys to move it, Space to drop, Escape to cancel."),
    N_("{card} is over {place}."),
    N_("{card} was dropped in {place}."),
    N_("{card} was dropped."),
    N_("Moving {card} was cancelled. It is back where it was."),
    N_(
        "To pick up a card, press Space. While dragging, use the arrow keys to move it between "
        "columns and within a column. Press Space again to drop it, or Escape to cancel. "
        "Press Enter to open the ticket."
    ),
    N_("No cards"),
)


class KanbanBoard(rx.NoSSRComponent):
    library = _ASSET.importable_path
    tag = "KanbanBoard"
    lib_dependencies: list[str] = [
        "@dnd-kit/core@6.3.1",
        "@dnd-kit/sortable@10.0.0",
        "@dnd-kit/utilities@3.2.2",
    ]

    columns: rx.Var[list[dict[str, Any]]]
    cards_by_status: rx.Var[dict[str, Any]]
    lanes: rx.Var[list[dict[str, str]]]
    revision: rx.Var[int]
    feed_seq: rx.Var[int]
    can_set_limits: rx.Var[bool]
    locale: rx.Var[str]  # the tab's language: the JSX translates its own text with i18n.js

    on_move: rx.EventHandler[passthrough_event_spec(str, str, str, str, str)]
    on_open: rx.EventHandler[passthrough_event_spec(str)]
    on_show_more: rx.EventHandler[passthrough_event_spec(str)]
    on_toggle: rx.EventHandler[passthrough_event_spec(str)]
    on_set_limit: rx.EventHandler[passthrough_event_spec(str)]
    on_feed: rx.EventHandler[passthrough_event_spec(int)]


kanban_board = KanbanBoard.create
