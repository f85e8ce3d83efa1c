"""Keyboard shortcuts and the help dialog: the local JSX component (keyboard.jsx) wrapped for
Reflex. It also draws the command palette, whose server side is components/command_palette.py.

Key handling stays in the browser (moving through the list's rows, focusing the reply box must
not wait for the server, and the keydown must be checked and stopped synchronously: the target
is a field, a modifier is held); Reflex's window_event_listener sends every key to the server.
Page elements a shortcut acts on carry `data-shortcut`, so the pages only add attributes:
"reply" and "note" (the ticket page's Reply / Internal note choice: r, n), "reply-body" (the
reply text: r and n focus it, Ctrl/Cmd-Enter sends it), "assign-me" (the Assign to me button:
a); e opens the select whose id is "field-status".

Events from the browser (untrusted strings; the handlers validate):
- on_query(text): the palette's search box changed (debounced);
- on_choose(item_id): a palette item was chosen ("ticket:12", "page:/kb", "search:words", or
  "<kind>:<id>" of a registered provider, e.g. a macro).
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import passthrough_event_spec

from ticketapp.i18n import N_

_ASSET = rx.asset("keyboard.jsx", shared=True)

# The text keyboard.jsx shows, marked here for the catalogs (the extractor reads Python).
JSX_MESSAGES = (
    N_("Open the command palette"),
    N_("Show keyboard shortcuts"),
    N_("Next ticket"),
    N_("Previous ticket"),
    N_("Open the highlighted ticket"),
    N_("Write a public reply"),
    N_("Write an internal note"),
    N_("Assign the ticket to me"),
    N_("Change the status"),
    N_("Send the reply or note"),
    N_("Everywhere"),
    N_("Ticket list"),
    N_("Ticket page"),
    N_("Keyboard shortcuts"),
    N_("Shortcuts do not work while you type in a field."),
    N_("Close"),
    N_("Go to"),
    N_("Open ticket #{number}"),
    N_("Search"),
    N_("Search tickets for “{query}”"),
    N_("Pages"),
    N_("Command palette"),
    N_("Type a ticket number, words to search for, or a page. Arrow keys choose, Enter goes."),
    N_("Search or jump to"),
    N_("Ticket number, search words or page…"),
    N_("Results"),
    N_("Searching…"),
    N_("Nothing found."),
)


class KeyboardLayer(rx.NoSSRComponent):
    library = _ASSET.importable_path
    tag = "KeyboardLayer"

    scope: rx.Var[str]  # "list", "ticket" or "": which page shortcuts apply
    role: rx.Var[str]
    is_staff: rx.Var[bool]
    pages: rx.Var[list[dict[str, Any]]]  # {path, label (msgid), roles}
    results: rx.Var[list[dict[str, str]]]  # {id, label, detail, group (msgid)}
    results_for: rx.Var[str]  # the query `results` answer
    locale: rx.Var[str]

    on_query: rx.EventHandler[passthrough_event_spec(str)]
    on_choose: rx.EventHandler[passthrough_event_spec(str)]


keyboard_layer = KeyboardLayer.create
