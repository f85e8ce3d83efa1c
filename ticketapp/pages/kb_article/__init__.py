"""/kb/[slug]: one article, "Was this helpful?", related articles; for staff also edit, version
history and delete. A requester asking for an internal or draft article gets "Article not found"
(services/kb.py answers NotFound, so its existence is not revealed).

Modules: state.py (KbArticleState), view_model.py (the article, its versions; the slug in the
URL), page.py (kb_article_page) and its parts article.py (meta line, staff actions, body, tags),
feedback.py ("Was this helpful?"), related.py, history.py (versions table and dialog).
"""

from ticketapp.pages.kb_article.page import kb_article_page
from ticketapp.pages.kb_article.state import KbArticleState

__all__ = ["KbArticleState", "kb_article_page"]
