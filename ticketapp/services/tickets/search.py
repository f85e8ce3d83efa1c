"""Ticket search: what the ticket list's search box and the board's filter box find.

One query over the index of search_index.py: the ticket number ("#1234" or "1234"), title,
description, replies, internal notes (staff only: services/visibility.py decides), attachment
names, the requester's name and e-mail, tags. The words are parsed, stemmed and quoted exactly
as the knowledge base's search does (services/kb/search.py: never query syntax; the last word
is a prefix while it is being typed); all words must match, else typos are corrected from the
vocabulary, else any word may match. Ranked by bm25 with column weights (SQLite) or ts_rank
over the stored tsvector (PostgreSQL), and the page's rows get a highlighted snippet.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    bindparam,
    column,
    func,
    literal_column,
    select,
    text,
    union_all,
)
from sqlmodel import Session, col

from ticketapp.models import Attachment, Comment, Ticket, User
from ticketapp.services import text as tx
from ticketapp.services import visibility
from ticketapp.services.actor import Actor
from ticketapp.services.kb.common import MAX_QUERY_CHARS, MAX_QUERY_TERMS
from ticketapp.services.kb.search import _corrected, _fts5_expr, _parse, _Query, _tsquery_expr
from ticketapp.services.kb.snippets import highlight
from ticketapp.services.tickets.search_index import PUBLIC_COLUMNS, is_vocabulary

VOCABULARY = "ticket_term"
# A search counts its matches up to here (the list shows "1,000+"; see listing.Total).
COUNT_CAP = 1_000
RANK_WINDOW = 2_000  # the newest matches of a query that are scored (see best_first)
SNIPPET_CONTEXT = 100  # characters before a match that a snippet may start from
# FTS5 bm25 weights per column, in the index's column order:
# title, body, replies, people, files, tags, notes.
_BM25 = "bm25(ticket_search, 10.0, 4.0, 2.0, 5.0, 3.0, 6.0, 1.5)"
_TS_WEIGHTS = "'{0.15, 0.3, 0.6, 1.0}'"  # D (notes), C (replies), B (body, people, ...), A (title)


@dataclass(frozen=True)
class TicketQuery:
    """A parsed search: words (stems), the number asked for, and what the actor may match."""

    words: _Query
    number: int | None
    with_notes: bool
    dialect: str
    mode: str = "and"

    def _match(self, scored: bool = True) -> tuple[str, dict[str, str]]:
        """The index query (id[, score higher-is-better]) as SQL with its parameters."""
        if self.dialect == "sqlite":
            expr = _fts5_expr(self.words, self.mode)
            if not self.with_notes:  # never match internal notes
                expr = "{" + " ".join(PUBLIC_COLUMNS) + "} : (" + expr + ")"
            score = f", -{_BM25} AS score" if scored else ""
            sql = f"SELECT rowid AS id{score} FROM ticket_search WHERE ticket_search MATCH :tq"
            return sql, {"tq": expr}
        doc = "doc" if self.with_notes else "public_doc"
        rank = f"ts_rank({_TS_WEIGHTS}, {doc}, to_tsquery('simple', :tq), 1)"
        score = f", {rank} AS score" if scored else ""
        sql = (
            f"SELECT ticket_id AS id{score} FROM ticket_search "
            f"WHERE {doc} @@ to_tsquery('simple', :tq)"
        )
        return sql, {"tq": _tsquery_expr(self.words, self.mode)}

    def ranked(self, top: int | None = None) -> Any:
        """A subquery (id, score) of the newest RANK_WINDOW matching tickets, ranked, or None
        when only a number was asked. With `top`: only the `top` best of them, each row with
        `matched`, how many rows the window holds (every match, up to RANK_WINDOW)."""
        if self.words.empty:
            return None
        sql, params = self._match()
        key = "rowid" if self.dialect == "sqlite" else "ticket_id"
        sql = f"SELECT * FROM ({sql} ORDER BY {key} DESC LIMIT {RANK_WINDOW}) w"
        columns = [column("id", Integer), column("score", Float)]
        if top is not None:
            sql = sql.replace("SELECT *", "SELECT *, count(*) OVER () AS matched", 1)
            sql += f" ORDER BY score DESC LIMIT {int(top)}"
            columns.append(column("matched", Integer))
        stmt = text(sql).bindparams(**params).columns(*columns)
        return stmt.subquery("search_match")

    def condition(self) -> Any:
        """A WHERE condition on Ticket (the board's filter; a list in another order)."""
        if self.words.empty:
            return Ticket.number == self.number
        sql, params = self._match(scored=False)
        ids: Any = text(sql).bindparams(**params).columns(column("id", Integer))
        if self.number is not None:  # one IN over both: an OR would defeat the indexes
            ids = select(ids.subquery("search_ids").c.id).union(
                select(Ticket.id).where(Ticket.number == self.number)
            )
        return col(Ticket.id).in_(select(ids.subquery("search_in").c.id))


def prepare(
    session: Session, actor: Actor, query: object, correct: bool = True
) -> TicketQuery | None:
    """Parse a search box's text (any string: never query syntax) for this actor; None when it
    holds nothing to search for. With `correct`, a query nothing matches is `fallback`-ed here
    (the list does that itself once it has counted)."""
    if not isinstance(query, str) or not query.strip():
        return None
    # (A trailing space stays: it says the last word is complete, not a prefix being typed.)
    query = query.lstrip()[:MAX_QUERY_CHARS]
    match = visibility.NUMBER_RE.match(query.rstrip())
    number = int(match.group(1)) if match else None
    words = _parse(query.lstrip("#"), MAX_QUERY_CHARS, MAX_QUERY_TERMS)
    if words.empty and number is None:
        return None
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # psycopg prepares a statement run 5 times on a connection, and PostgreSQL may then
        # keep one generic plan for every search: blind to how many rows a word matches, it
        # took 100-240 ms for common words (vs 20-30) once the benchmark's queries took turns.
        session.execute(text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"))
    tq = TicketQuery(words, number, visibility.sees_internal(actor), dialect)
    if not correct or number is not None or words.empty or _any_hit(session, actor, tq):
        return tq
    return fallback(session, actor, tq) or tq


def fallback(session: Session, actor: Actor, tq: TicketQuery) -> TicketQuery | None:
    """What to search when nothing matches every word of `tq`: its typos corrected from the
    vocabulary, else any of its words; None when there is nothing else to try."""
    if tq.number is not None or tq.words.empty or tq.mode == "or":
        return None
    fixed = _corrected_words(session, tq.words)
    if fixed is not None:
        candidate = replace(tq, words=fixed)
        if _any_hit(session, actor, candidate):
            return candidate
    if len(tq.words.terms) + bool(tq.words.prefix) > 1:
        return replace(tq, mode="or")
    return None


def _corrected_words(session: Session, words: _Query) -> _Query | None:
    """`words` with typos corrected from the vocabulary; words with digits stay as typed."""
    codes = [g for g in words.terms if not is_vocabulary(g[0])]
    code_prefix = words.prefix if words.prefix and not is_vocabulary(words.prefix[0]) else ()
    plain = _Query([g for g in words.terms if g not in codes], () if code_prefix else words.prefix)
    fixed = _corrected(session, plain, VOCABULARY) if not plain.empty else None
    if fixed is None:
        return None
    return _Query(fixed.terms + codes, fixed.prefix or code_prefix)


def _any_hit(session: Session, actor: Actor, tq: TicketQuery) -> bool:
    stmt = select(literal_column("1")).select_from(Ticket).where(tq.condition())
    scope = visibility.ticket_scope(actor)
    if scope is not None:
        stmt = stmt.where(scope)
    return session.execute(stmt.limit(1)).first() is not None


def count(session: Session, tq: TicketQuery, conds: list, limit: int | None = None) -> int:
    """How many tickets match `tq` and the list's other conditions `conds` (counted no further
    than `limit` when given: every match of a common word costs more to count than the page)."""
    if not conds and tq.number is None and not tq.words.empty:  # the index alone
        sql, params = tq._match(scored=False)
        cap = "" if limit is None else f" LIMIT {int(limit)}"
        stmt = text(f"SELECT count(*) FROM ({sql}{cap}) m").bindparams(**params)
        return int(session.execute(stmt).scalar_one())
    if limit is None:
        stmt = select(func.count()).select_from(Ticket).where(*conds, tq.condition())
        return int(session.execute(stmt).scalar_one())
    ids = select(Ticket.id).where(*conds, tq.condition()).limit(int(limit)).subquery("capped")
    return int(session.execute(select(func.count()).select_from(ids)).scalar_one())


def best_first(tq: TicketQuery, conds: list, top: int) -> tuple[Any, bool] | None:
    """How a page in relevance order gets its scores: (ranked subquery, whether it holds every
    row of the page), or None when there are no words to score (a number alone).

    bm25 / ts_rank score every row they are asked about, and a common word matches tens of
    thousands of tickets (90 ms on SQLite at 100,000 tickets), so only the newest RANK_WINDOW
    matches are scored (5-15 ms): the page joins the best `top` of them when nothing else
    filters the list; otherwise they are outer-joined, and older matches follow by activity."""
    if tq.words.empty:
        return None
    if not conds and tq.number is None and top <= RANK_WINDOW:
        return tq.ranked(top=top), True
    return tq.ranked(), False


def number_first(tq: TicketQuery) -> list:
    return [] if tq.number is None else [(Ticket.number == tq.number).desc()]


# --------------------------------------------------------------------------- snippets


def snippets(session: Session, actor: Actor, tq: TicketQuery, ids: list[int]) -> dict[int, str]:
    """For each ticket of a result page: where it matched, as HTML (escaped, <mark>ed), taken
    from the description, a reply, a note (staff), a file name or the requester (first hit)."""
    if not ids or tq.words.empty:
        return {}
    stems, prefixes = tq.words.highlight()
    maybe = _cheap_filter(stems, prefixes)
    parts = _snippet_parts(visibility.sees_internal(actor))
    out: dict[int, str] = {}
    for tid, part, _ord, _src in session.execute(parts, {"ids": ids}):
        if tid in out:
            continue
        found = maybe.search(tx.fold(part or ""))
        if found is None:
            continue  # no word there starts like a match: skip the costly highlighting
        html_ = _around(part, found.start(), stems, prefixes)
        if "<mark>" in html_:
            out[tid] = html_
    return out


@lru_cache(maxsize=2)
def _snippet_parts(staff: bool) -> Any:
    """Every source's texts for the tickets in the parameter `ids`, in one statement (each costs
    more to build and send than to answer), sources in their order; built once per audience."""
    ids = bindparam("ids", expanding=True)
    return union_all(
        *(
            source(ids, staff).add_columns(literal_column(str(n), Integer).label("src"))
            for n, source in enumerate(_SOURCES)
        )
    ).order_by(literal_column("src"), literal_column("ord"))


# Each source: (ticket id, text, its order within the source), only for the tickets in `ids`.


def _descriptions(ids: Any, _staff: bool) -> Any:
    stmt = select(Ticket.id, Ticket.description, literal_column("0", Integer).label("ord"))
    return stmt.where(col(Ticket.id).in_(ids))


def _comments(ids: Any, staff: bool) -> Any:
    stmt = select(Comment.ticket_id, Comment.body, col(Comment.id).label("ord"))
    return visibility.only_visible_comments(stmt.where(col(Comment.ticket_id).in_(ids)), staff)


def _files(ids: Any, staff: bool) -> Any:
    stmt = (
        select(Attachment.ticket_id, Attachment.filename, col(Attachment.id).label("ord"))
        .outerjoin(Comment, col(Comment.id) == Attachment.comment_id)
        .where(col(Attachment.ticket_id).in_(ids))
    )
    return visibility.only_visible_attachments(stmt, staff)


def _people(ids: Any, _staff: bool) -> Any:
    who = User.name + " <" + User.email + ">"  # (string concatenation: || on both dialects)
    stmt = select(Ticket.id, who, literal_column("0", Integer).label("ord"))
    stmt = stmt.join(User, col(User.id) == Ticket.requester_id)
    return stmt.where(col(Ticket.id).in_(ids))


# Where a snippet comes from, in this order (a ticket's first hit wins).
_SOURCES = (_descriptions, _comments, _files, _people)


def _around(part: str, at: int, stems: set[str], prefixes: tuple[str, ...]) -> str:
    """The highlighted snippet of `part` near character `at` (only that stretch is looked at)."""
    start = 0 if at < SNIPPET_CONTEXT else part.find(" ", at - SNIPPET_CONTEXT) + 1
    end = part.rfind(" ", 0, at + 3 * SNIPPET_CONTEXT)
    end = len(part) if end <= at or at + 3 * SNIPPET_CONTEXT >= len(part) else end
    html_ = highlight(part[start:end], stems, prefixes)
    lead = "…" if start > 0 and not html_.startswith("…") else ""
    tail = "…" if end < len(part) and not html_.endswith("…") else ""
    return lead + html_ + tail


def _cheap_filter(stems: set[str], prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """A word starting with the first letters of a stem or prefix (a stem need not be a prefix
    of its word: "happi" for "happy"; so only the first three letters are asked for)."""
    starts = sorted({w[:3] for w in (*stems, *prefixes) if w})
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, starts)) + ")") if starts else _NEVER


_NEVER = re.compile(r"(?!)")


def title_html(tq: TicketQuery, title: str) -> str:
    stems, prefixes = tq.words.highlight()
    if not _cheap_filter(stems, prefixes).search(tx.fold(title)):
        return html.escape(title)
    return highlight(title, stems, prefixes, max_words=None)
