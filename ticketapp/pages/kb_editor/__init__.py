"""/kb/new and /kb/[slug]/edit: write an article (agents and managers).

Markdown body with Write / Preview, category, tags, status, audience, language. Errors show next
to their field. If someone else saved the article after it was opened, the save is refused with
a Conflict message and everything typed stays on screen; the user can then overwrite (their
version stays in the history) or open the current article in a new tab.

`/kb/new?from_ticket=<number>` prefills title and body from a resolved ticket: its description
and public replies, never internal notes (services/kb_extras.draft_from_ticket).

Modules: state.py (KbEditorState), view_model.py (an article, or a ticket's draft, as form
values), page.py (kb_new_page, kb_edit_page) and its parts form.py (the form, the conflict notice),
body_field.py (Markdown body with Write / Preview), fields.py (labelled selects and their options).
"""

from ticketapp.pages.kb_editor.page import kb_edit_page, kb_new_page
from ticketapp.pages.kb_editor.state import KbEditorState

__all__ = ["KbEditorState", "kb_edit_page", "kb_new_page"]
