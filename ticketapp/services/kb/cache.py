"""Recent KB searches and suggestions, remembered until the knowledge base changes (issue 21).

Suggestions while a ticket is typed were 23% of the server's CPU under `make load` (bm25
ranking, typo correction), and most searches repeat: an LRU keyed by the parsed query (its
stems, not its spelling) and what the actor may see answers them without SQL, and the
vocabulary look-ups of typo correction are remembered per word.

Any committed change to an article (the vocabulary follows the articles) empties it
(services/memo); other workers hear of it through the live relay (`kind="kb"` changes,
ticketapp/state.py).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ticketapp.models import KbArticle
from ticketapp.services.memo import Memo, forget_on_commit

memo = Memo("kb", max_entries=5_000, max_age=300.0)
cached = memo.cached


def _articles_changed(session: Session) -> bool:
    return any(isinstance(o, KbArticle) for o in (*session.new, *session.dirty, *session.deleted))


forget_on_commit(memo, _articles_changed, (KbArticle,))
