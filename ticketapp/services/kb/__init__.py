"""Knowledge base: articles, version history, helpfulness, deflection and ranked search.

One interface over two index implementations (both created by Alembic revision 0002):
- SQLite: FTS5 table ``kb_search(title, tags, body)``, rowid = article id, ranked by
  ``bm25(kb_search, 10, 4, 1)`` (title > tags > body);
- PostgreSQL: stored ``kb_article.search_vector`` tsvector (weights A/B/C) with a GIN index,
  ranked by ``ts_rank`` with weights {D 0.1, C 0.2, B 0.5, A 1.0}.
Both store text stemmed in Python (services/text.py: English + Russian Snowball), so queries
are stemmed the same way. ``kb_term`` is the vocabulary (stem -> article count) used to correct
typos when nothing matches exactly.

User queries are never passed through as query syntax: they are split into words, each word
is stemmed (letters and digits only) and quoted; input length and term count are capped.
Every write updates the index in the same transaction as the article. Services flush, never
commit.

Modules: views (read models), common (caps, who sees which article, input cleaning), index
(index writes), editing, reads, search, snippets, feedback. Callers use the names re-exported
here.
"""

from ticketapp.services.kb.common import (
    LANGUAGES,
    MAX_BODY,
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    MAX_SUGGEST_CHARS,
    MAX_SUGGEST_TERMS,
    MAX_TAGS,
    MAX_TITLE,
    SNIPPET_WORDS,
)
from ticketapp.services.kb.editing import (
    create_article,
    delete_article,
    update_article,
)
from ticketapp.services.kb.feedback import (
    record_deflection,
    record_feedback,
)
from ticketapp.services.kb.index import article_doc, doc_terms
from ticketapp.services.kb.reads import (
    get_article,
    get_article_by_id,
    list_articles,
    list_categories,
    list_versions,
    most_helpful,
)
from ticketapp.services.kb.search import (
    _BM25,
    _TS_WEIGHTS,
    _fts5_expr,
    _parse,
    _tsquery_expr,
    related_articles,
    search,
    suggest_for_ticket,
)
from ticketapp.services.kb.snippets import (
    highlight,
)
from ticketapp.services.kb.views import (
    ArticleSummary,
    ArticleView,
    CategoryCount,
    FeedbackResult,
    SearchHit,
    VersionInfo,
)

# The old private names tests/bench reaches for (kb._parse, kb._doc, ...).
_doc = article_doc
_doc_terms = doc_terms

__all__ = [
    "ArticleSummary",
    "ArticleView",
    "CategoryCount",
    "FeedbackResult",
    "LANGUAGES",
    "MAX_BODY",
    "MAX_LIMIT",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "MAX_SUGGEST_CHARS",
    "MAX_SUGGEST_TERMS",
    "MAX_TAGS",
    "MAX_TITLE",
    "SNIPPET_WORDS",
    "SearchHit",
    "VersionInfo",
    "create_article",
    "delete_article",
    "get_article",
    "get_article_by_id",
    "highlight",
    "list_articles",
    "list_categories",
    "list_versions",
    "most_helpful",
    "record_deflection",
    "record_feedback",
    "related_articles",
    "search",
    "suggest_for_ticket",
    "update_article",
    "_BM25",
    "_TS_WEIGHTS",
    "_fts5_expr",
    "_parse",
    "_tsquery_expr",
]
