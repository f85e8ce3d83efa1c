"""Recent KB searches and suggestions, remembered until the knowledge base changes (issue 21).

Suggestions while a ticket is typed were 23% of the server's CPU under `make load` (bm25
ranking, typo correction), and most searches repeat: an LRU keyed by the parsed query (its
stems, not its spelling) and what the actor may see answers them without SQL, and the
vocabulary look-ups of typo correction are remembered per word.

The categories with their article counts and the most helpful articles (the KB home page) are
remembered the same way. Any committed change to an article (the vocabulary and the helpful
votes follow the articles) or a category empties it
(services/memo); other workers hear of it through the live relay (`kind="kb"` changes,
ticketapp/state.py).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ticketapp.models import Category, KbArticle
from ticketapp.services.memo import Memo, forget_on_commit

memo = Memo("kb", max_entries=5_000, max_age=300.0)
cached_for = memo.cached_for


def _articles_changed(session: Session) -> bool:
    changed = (*session.new, *session.dirty, *session.deleted)
    return any(isinstance(o, (KbArticle, Category)) for o in changed)


forget_on_commit(memo, _articles_changed, (KbArticle, Category))
