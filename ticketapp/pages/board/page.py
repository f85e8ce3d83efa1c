"""board_page: the filters, the kanban board (components/kanban.py), the side panel, dialogs."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.i18n import t
from ticketapp.components.kanban import kanban_board
from ticketapp.components.layout import page_frame
from ticketapp.pages.board.dialogs import limit_dialog, over_limit_dialog
from ticketapp.pages.board.filters import filters_bar
from ticketapp.pages.board.side_panel import side_panel
from ticketapp.pages.board.state import BoardState
from ticketapp.pages.board.view_model import STATUSES, cards_var
from ticketapp.state import STAFF, SessionState


def board_page() -> rx.Component:
    cards = rx.Var.create({s: getattr(BoardState, cards_var(s)) for s in STATUSES})
    return page_frame(
        filters_bar(),
        rx.cond(
            BoardState.loading,
            rx.center(
                rx.spinner(size="3"), aria_label=t("Loading the board"), width="100%", padding="3em"
            ),
            kanban_board(
                columns=BoardState.columns,
                cards_by_status=cards,
                lanes=BoardState.lanes,
                revision=BoardState.revision,
                feed_seq=BoardState.feed_seq,
                can_set_limits=BoardState.is_manager,
                locale=SessionState.locale,
                on_move=BoardState.move,
                on_open=BoardState.open_card,
                on_show_more=BoardState.show_more,
                on_toggle=BoardState.toggle_column,
                on_set_limit=BoardState.open_limit,
                on_feed=BoardState.on_feed,
            ),
        ),
        side_panel(),
        limit_dialog(),
        over_limit_dialog(),
        title=t("Board"),
        roles=STAFF,
        wide=True,
    )
