"""The kanban board: one column per status, cards ordered by a fractional rank.

A move within a column rewrites the moved card's rank only; a move across columns is a status
change through the lifecycle (same rules and events as the ticket page). Staff only.

Modules: cards (columns, cards, live deltas), moves (ranks and moves), limits (WIP limits,
filter choices). Callers use the names re-exported here.
"""

from ticketapp.services.board.cards import (
    DEFAULT_LIMIT,
    FILTER_KEYS,
    MAX_LIMIT,
    BoardColumn,
    Card,
    board_columns,
    cards_by_ids,
    column_counts,
    column_totals,
    get_card,
    initials,
)
from ticketapp.services.board.limits import (
    MAX_WIP_LIMIT,
    Choice,
    filter_options,
    set_wip_limit,
    wip_exceeded,
    wip_limits,
)
from ticketapp.services.board.moves import (
    move_card,
    rank_for_drop,
    rebalance_column,
)

__all__ = [
    "BoardColumn",
    "Card",
    "Choice",
    "DEFAULT_LIMIT",
    "FILTER_KEYS",
    "MAX_LIMIT",
    "MAX_WIP_LIMIT",
    "board_columns",
    "cards_by_ids",
    "column_counts",
    "column_totals",
    "filter_options",
    "get_card",
    "initials",
    "move_card",
    "rank_for_drop",
    "rebalance_column",
    "set_wip_limit",
    "wip_exceeded",
    "wip_limits",
]
