"""Snippets: markdown to plain text, and the best window of words with matches marked."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from ticketapp.services import text as tx
from ticketapp.services.kb.common import SNIPPET_WORDS

# --------------------------------------------------------------------------- snippets

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"(^|\n)\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)|[*_`~|]+")


def plain(markdown: str) -> str:
    """Markdown -> roughly plain text for excerpts (links keep their text)."""
    plain = _MD_LINK.sub(r"\1", markdown[:20_000])
    plain = _MD_MARKUP.sub(" ", plain)
    return " ".join(plain.split())


def highlight(
    text_in: str,
    stems: set[str],
    prefixes: tuple[str, ...] = (),
    max_words: int | None = SNIPPET_WORDS,
) -> str:
    """HTML-escaped `text_in` (or its best window of `max_words` words) with matching words
    wrapped in <mark>."""
    asked = frozenset(stems)
    spans: list[tuple[int, int, bool, str]] = [  # start, end, matched, stem
        (*m.span(), *_verdict(m.group(), asked, prefixes)) for m in tx.WORD_RE.finditer(text_in)
    ]
    if not spans:
        return html.escape(text_in[: (max_words or 10_000) * 12])

    lo, hi = 0, len(spans)
    if max_words is not None and len(spans) > max_words:
        best_start, best_score = 0, -1
        hit_idx = [i for i, s in enumerate(spans) if s[2]]
        for i in hit_idx:
            start = max(0, i - 4)
            window = spans[start : start + max_words]
            score = len({s[3] for s in window if s[2]})
            if score > best_score:
                best_start, best_score = start, score
        lo, hi = best_start, min(len(spans), best_start + max_words)

    start_char = spans[lo][0] if lo > 0 else 0
    end_char = spans[hi - 1][1] if hi < len(spans) else len(text_in)
    out: list[str] = ["…" if lo > 0 else ""]
    pos = start_char
    for s_start, s_end, hit, _ in spans[lo:hi]:
        if not hit:
            continue
        out.append(html.escape(text_in[pos:s_start]))
        out.append("<mark>" + html.escape(text_in[s_start:s_end]) + "</mark>")
        pos = s_end
    out.append(html.escape(text_in[pos:end_char]))
    if hi < len(spans):
        out.append("…")
    return "".join(out)


@lru_cache(maxsize=65536)
def _verdict(raw: str, stems: frozenset[str], prefixes: tuple[str, ...]) -> tuple[bool, str]:
    """Whether a word (as written) matches a query's stems or prefixes, and its first stem: the
    same in every snippet of a page of results (and of the next search for the same words)."""
    word, terms, indexable = _analysed(raw.lower()[: tx.MAX_TOKEN_LEN])
    hit = (indexable and not stems.isdisjoint(terms)) or any(
        word.startswith(p) or t.startswith(p) for p in prefixes for t in terms
    )
    return hit, terms[0]


@lru_cache(maxsize=65536)
def _analysed(raw: str) -> tuple[str, tuple[str, ...], bool]:
    """A lowercased word's folded form, its stems in every Latin language (whatever the query's
    languages were) and whether it is indexable: the same for every snippet, so kept."""
    return tx.fold(raw), tx.alternatives(raw, tx.LATIN_LANGUAGES), tx.is_indexable(raw)
