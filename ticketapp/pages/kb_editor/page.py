"""The two editor pages: /kb/new and /kb/[slug]/edit (the same form; on_load tells them apart)."""

from __future__ import annotations

import reflex as rx

from ticketapp.components.layout import page_frame
from ticketapp.pages.kb_editor.form import editor
from ticketapp.pages.kb_editor.state import KbEditorState
from ticketapp.state import STAFF


def kb_new_page() -> rx.Component:
    return page_frame(editor(), title=KbEditorState.heading, roles=STAFF)


def kb_edit_page() -> rx.Component:
    return page_frame(editor(), title=KbEditorState.heading, roles=STAFF)
