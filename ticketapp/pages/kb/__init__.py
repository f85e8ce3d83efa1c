"""/kb: search the knowledge base as you type, browse categories and the most helpful articles.

Every signed-in role. Requesters see published public articles only (services/kb.py filters);
agents and managers also see drafts and internal articles, with badges, and can write new ones.

Modules: state.py (KbState), view_model.py (search hits, articles and categories as rows; shared
with the article page), badges.py (Draft / Internal badges, shared too), page.py (kb_page) and its
parts search_bar.py, results.py (search results), overview.py (categories and article lists).
"""

from ticketapp.pages.kb.page import kb_page
from ticketapp.pages.kb.state import KbState

__all__ = ["KbState", "kb_page"]
