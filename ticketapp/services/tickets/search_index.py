"""The ticket search index, kept current in the transaction of every write that changes
searchable text (alembic/versions/0014_ticket_search.py makes it and back-fills it).

One document per ticket, stemmed in Python (services/text.py, as the knowledge base does):
title, description, public replies, requester name and e-mail, attachment file names, tags
(staff-only, as the notes: services/tags.py), and internal notes (with the files attached to
them) in a column of their own that only staff queries read.

SQLite: the FTS5 table ``ticket_search`` (rowid = ticket id). PostgreSQL: the table
``ticket_search`` with ``doc`` (every column, weighted, GIN-indexed: staff search) and
``public_doc`` (without notes: a requester's search, which only covers their own tickets).
Both: ``ticket_term``, the vocabulary the typo correction picks from.

No service has to remember it: a session listener notes which tickets a flush touched (a new
or edited ticket title/description, an edited comment, an attachment, a requester's new name)
and re-indexes them just before the commit; a new reply or note is appended to its ticket's
row instead (cheap whatever the length of the conversation).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, event, inspect, text
from sqlalchemy.orm import Session as OrmSession

from ticketapp.models import Attachment, Comment, Ticket, TicketTag, User
from ticketapp.services import text as tx

COLUMNS = ("title", "body", "replies", "people", "files", "tags", "notes")
# A requester matches neither internal notes nor tags (both staff-only).
PUBLIC_COLUMNS = COLUMNS[:-2]
# PostgreSQL weights per column (ts_rank's {D, C, B, A}); SQLite's bm25 weights in search.py.
PG_WEIGHTS = {"title": "A", "body": "B", "people": "B", "files": "B", "tags": "B"}
PG_WEIGHTS |= {"replies": "C", "notes": "D"}
MAX_FIELD_CHARS = 50_000  # per column: a huge conversation costs the same as a long one
MAX_REQUESTER_TICKETS = 2_000  # a renamed requester's tickets re-indexed in the same commit
_PENDING = "ticket_search_pending"


def _stemmed(parts: Iterable[str]) -> str:
    out: list[str] = []
    size = 0
    for part in parts:
        if not part or size > MAX_FIELD_CHARS:
            continue
        out.append(tx.stemmed_text(part[:MAX_FIELD_CHARS]))
        size += len(part)
    return " ".join(o for o in out if o)


def _docs(session: Any, ids: list[int], bare: set[int] = frozenset()) -> dict[int, dict[str, str]]:
    """The stemmed document of each ticket in `ids` that exists (`bare` ones: title,
    description and requester only)."""
    tickets = session.execute(
        text(
            'SELECT t.id, t.title, t.description, u.name, u.email FROM ticket t JOIN "user" u '
            "ON u.id = t.requester_id WHERE t.id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": ids},
    ).all()
    texts: dict[int, dict[str, list[str]]] = {
        r[0]: {"title": [r[1]], "body": [r[2] or ""], "people": [r[3] or "", r[4] or ""]}
        for r in tickets
    }
    with_parts = [i for i in ids if i not in bare]
    if with_parts:
        _add_parts(session, with_parts, texts)
    return {tid: {c: _stemmed(parts.get(c, [])) for c in COLUMNS} for tid, parts in texts.items()}


def _add_parts(session: Any, ids: list[int], texts: dict[int, dict[str, list[str]]]) -> None:
    """Replies and notes, file names and tags of these tickets, into `texts`."""
    expand = {"ids": ids}
    comments = session.execute(
        text(
            "SELECT ticket_id, body, is_internal FROM comment WHERE ticket_id IN :ids ORDER BY id"
        ).bindparams(bindparam("ids", expanding=True)),
        expand,
    )
    for ticket_id, body, internal in comments:
        texts[ticket_id].setdefault("notes" if internal else "replies", []).append(body or "")
    files = session.execute(
        text(
            "SELECT a.ticket_id, a.filename, c.is_internal FROM attachment a "
            "LEFT JOIN comment c ON c.id = a.comment_id WHERE a.ticket_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        expand,
    )
    for ticket_id, name, internal in files:
        # Words of a file name: "vpn-log_2026.txt" -> vpn, log, 2026, txt.
        texts[ticket_id].setdefault("notes" if internal else "files", []).append(name or "")
    tags = session.execute(
        text(
            "SELECT tt.ticket_id, g.name FROM ticket_tag tt JOIN tag g ON g.id = tt.tag_id "
            "WHERE tt.ticket_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        expand,
    )
    for ticket_id, name in tags:
        # "vpn-outage" is found by "vpn", "outage" and "vpn-outage".
        texts[ticket_id].setdefault("tags", []).append(name or "")


def reindex(session: Any, ticket_ids: Iterable[int], bare: set[int] = frozenset()) -> None:
    """Rewrite the index rows of these tickets (and add their words to the vocabulary).
    `session` is a Session or a Connection (the migration back-fill); `bare`: tickets known
    to have no replies, files or tags yet (just filed)."""
    ids = sorted({int(i) for i in ticket_ids})
    if not ids:
        return
    docs = _docs(session, ids, bare)
    bind = session.get_bind() if isinstance(session, OrmSession) else session
    if bind.dialect.name == "sqlite":
        _write_sqlite(session, ids, docs)
    else:
        _write_postgres(session, ids, docs)
    _add_terms(session, docs.values())


def _write_sqlite(session: Any, ids: list[int], docs: dict[int, dict[str, str]]) -> None:
    session.execute(
        text("DELETE FROM ticket_search WHERE rowid IN :ids").bindparams(
            bindparam("ids", expanding=True)
        ),
        {"ids": ids},
    )
    if docs:
        names = ", ".join(COLUMNS)
        values = ", ".join(f":{c}" for c in COLUMNS)
        session.execute(
            text(f"INSERT INTO ticket_search(rowid, {names}) VALUES (:id, {values})"),
            [{"id": tid, **doc} for tid, doc in docs.items()],
        )


def _vector(columns: Iterable[str]) -> str:
    return " || ".join(
        f"setweight(to_tsvector('simple', :{c}), '{PG_WEIGHTS[c]}')" for c in columns
    )


_PG_UPSERT = (
    f"INSERT INTO ticket_search(ticket_id, doc, public_doc) VALUES (:id, {_vector(COLUMNS)}, "
    f"{_vector(PUBLIC_COLUMNS)}) ON CONFLICT (ticket_id) DO UPDATE "
    "SET doc = excluded.doc, public_doc = excluded.public_doc"
)


def _write_postgres(session: Any, ids: list[int], docs: dict[int, dict[str, str]]) -> None:
    if docs:
        session.execute(text(_PG_UPSERT), [{"id": tid, **doc} for tid, doc in docs.items()])
    # (A deleted ticket takes its row with it: ON DELETE CASCADE.)


def is_vocabulary(term: str) -> bool:
    """Words a typo is corrected to: not codes, host names or numbers (anything with a digit:
    there are too many of them, and a mistyped one is another valid one)."""
    return len(term) <= tx.MAX_TOKEN_LEN and not any(c.isdigit() for c in term)


def _add_terms(session: Any, docs: Iterable[dict[str, str]]) -> None:
    terms = sorted({t for doc in docs for v in doc.values() for t in v.split() if is_vocabulary(t)})
    if not terms:
        return
    known = {
        r[0]
        for r in session.execute(
            text("SELECT term FROM ticket_term WHERE term IN :terms").bindparams(
                bindparam("terms", expanding=True)
            ),
            {"terms": terms},
        )
    }
    new = [t for t in terms if t not in known]
    if new:  # sorted, so concurrent writers lock vocabulary rows in one order
        session.execute(
            text(
                "INSERT INTO ticket_term(term, length, doc_count) VALUES (:t, :n, 1) "
                "ON CONFLICT (term) DO NOTHING"
            ),
            [{"t": t, "n": len(t)} for t in new],
        )


# --------------------------------------------------------------------------- the session hook


def _changed(obj: Any, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


_WATCHED = ((Ticket, ("title", "description", "requester_id")),)
_WATCHED += ((Comment, ("body", "is_internal")), (Attachment, ("filename",)))
_WATCHED += ((TicketTag, ()),)  # a tag added or removed (renames re-index in services/tags.py)


@dataclass
class _Pending:
    """What a transaction's flushes changed: tickets to re-index whole, requesters whose
    tickets to re-index, and new comments to append (ticket id, body, internal)."""

    tickets: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)
    comments: list[tuple[int, str, bool]] = field(default_factory=list)
    # Tickets inserted by these flushes, and tickets whose replies, files or tags changed: a
    # new ticket with none of those has no rows of them to read.
    new: set[int] = field(default_factory=set)
    with_parts: set[int] = field(default_factory=set)

    def bare(self) -> set[int]:
        return self.new - self.with_parts


def _note(session: OrmSession, pending: _Pending) -> None:
    for obj in [*session.new, *session.dirty, *session.deleted]:
        if isinstance(obj, Ticket) and obj in session.new:
            pending.new.add(obj.id)
        elif isinstance(obj, Comment | Attachment | TicketTag):
            pending.with_parts.add(obj.ticket_id)
        if isinstance(obj, Comment) and obj in session.new:
            pending.comments.append((obj.ticket_id, obj.body or "", bool(obj.is_internal)))
            continue
        for model, fields in _WATCHED:
            if isinstance(obj, model) and (
                obj in session.new or obj in session.deleted or _changed(obj, *fields)
            ):
                pending.tickets.add(obj.id if model is Ticket else obj.ticket_id)
        if isinstance(obj, User) and obj in session.dirty and _changed(obj, "name", "email"):
            pending.people.add(obj.id)


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _context: Any) -> None:
    _note(session, session.info.setdefault(_PENDING, _Pending()))


@event.listens_for(OrmSession, "before_commit")
def _before_commit(session: OrmSession) -> None:
    session.flush()
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None:
        return
    tickets = pending.tickets
    if pending.people:
        rows = session.execute(
            text("SELECT id FROM ticket WHERE requester_id IN :ids LIMIT :n").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": sorted(pending.people), "n": MAX_REQUESTER_TICKETS},
        )
        tickets |= {r[0] for r in rows}
    reindex(session, tickets, bare=pending.bare())
    append_comments(session, [c for c in pending.comments if c[0] not in tickets])


@event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


# --------------------------------------------------------------------------- appending


def append_comments(session: Any, comments: list[tuple[int, str, bool]]) -> None:
    """Add new replies and notes to their tickets' index rows without re-reading the rest of
    the conversation (a reply costs the same on a long ticket as on a short one)."""
    added: dict[tuple[int, str], list[str]] = {}
    for ticket_id, body, internal in comments:
        stems = _stemmed([body])
        if stems:
            added.setdefault((ticket_id, "notes" if internal else "replies"), []).append(stems)
    if not added:
        return
    sqlite = session.get_bind().dialect.name == "sqlite"
    for (ticket_id, column_), parts in sorted(added.items()):
        params = {"id": ticket_id, "new": " ".join(parts)}
        if sqlite:
            sql = f"UPDATE ticket_search SET {column_} = {column_} || ' ' || :new WHERE rowid = :id"
        else:
            vector = f"setweight(to_tsvector('simple', :new), '{PG_WEIGHTS[column_]}')"
            public = f", public_doc = public_doc || {vector}" if column_ == "replies" else ""
            sql = f"UPDATE ticket_search SET doc = doc || {vector}{public} WHERE ticket_id = :id"
        if session.execute(text(sql), params).rowcount == 0:
            reindex(session, [ticket_id])  # not indexed yet (filed before the index existed)
    _add_terms(session, [{"new": " ".join(p for parts in added.values() for p in parts)}])


def backfill(conn: Any, batch: int = 500) -> int:
    """Index every ticket (the migration; a data set built with raw SQL). Returns the count."""
    ids = [r[0] for r in conn.execute(text("SELECT id FROM ticket ORDER BY id"))]
    for i in range(0, len(ids), batch):
        reindex(conn, ids[i : i + batch])
    return len(ids)
