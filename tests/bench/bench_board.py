"""Board benchmark on the shared data set (100,000 tickets, ~2,000 on the active columns).

Measured through the path a Reflex handler takes (`run_in_session`: a worker thread and one
transaction), each against the raw SQL of the same workload run directly on a connection:
- board open: services.board.board_columns with the page's defaults (50 cards per column,
  Closed collapsed) vs. the count per status + one `ORDER BY rank LIMIT 50` per column;
- move: services.board.move_card (alternating across columns and within a column) + commit vs.
  one UPDATE of status/rank/version + one event INSERT + commit;
- live delta: cards_by_ids + column_totals for one changed card (what each viewer runs) vs.
  the same two SELECTs;
- no-op: `SELECT 1` through run_in_session (the floor of any handler touching the database).
"""

from __future__ import annotations

import random

from sqlalchemy import text
from sqlmodel import Session, select

from tests.bench.harness import ameasure, measure, record, run
from ticketapp import db as dbmod
from ticketapp.models import Ticket, TicketStatus, User, utcnow
from ticketapp.services import board, ranking
from ticketapp.services.actor import Actor

RUNS = 60
ACTIVE = [TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING]
MOVABLE = ACTIVE[1:]  # any of these may move to any other (New is entry-only)

RAW_OPEN_COUNTS = "SELECT status, count(*) FROM ticket GROUP BY status"
RAW_OPEN_COLUMN = (
    "SELECT t.id, t.number, t.title, t.status, t.priority, t.type, t.assignee_id, u.name, "
    "tm.name, t.created_at, t.due_at, t.rank, t.version FROM ticket t "
    'LEFT JOIN "user" u ON u.id = t.assignee_id LEFT JOIN team tm ON tm.id = t.team_id '
    "WHERE t.status = :s ORDER BY t.rank, t.id LIMIT 50"
)
RAW_CARD = RAW_OPEN_COLUMN.replace("WHERE t.status = :s ORDER BY t.rank, t.id LIMIT 50", "")
RAW_CARD += "WHERE t.id = :id"


def _actor(engine) -> Actor:
    with Session(engine) as s:
        user = s.exec(select(User).where(User.email == "agent1@example.com")).one()
        return Actor.of(user)


def _columns(engine) -> dict[str, list[int]]:
    with Session(engine) as s:
        return {
            st: list(
                s.exec(select(Ticket.id).where(Ticket.status == st).order_by(Ticket.rank).limit(60))
            )
            for st in ACTIVE
        }


def test_board_bench(bench_db):
    engine, backend = bench_db.engine, bench_db.backend
    actor = _actor(engine)
    cards = _columns(engine)
    rng = random.Random(7)
    limits = {"closed": 0}

    def raw_open():
        with engine.connect().execution_options(readonly=True) as c:
            c.execute(text(RAW_OPEN_COUNTS)).all()
            for st in ("new", "open", "in_progress", "waiting", "resolved"):
                c.execute(text(RAW_OPEN_COLUMN), {"s": st}).all()

    def raw_delta():
        moving = rng.choice(cards[TicketStatus.OPEN])
        with engine.connect().execution_options(readonly=True) as c:
            c.execute(text(RAW_CARD), {"id": moving}).all()
            c.execute(text(RAW_OPEN_COUNTS)).all()

    def raw_move():
        # Move a card to the bottom of another active column (a valid rank: after the last).
        src = rng.choice(MOVABLE)
        dst = rng.choice([m for m in MOVABLE if m != src])
        moving = cards[src].pop(rng.randrange(len(cards[src])))
        with engine.begin() as c:
            last = c.execute(
                text("SELECT max(rank) FROM ticket WHERE status = :s"), {"s": dst.value}
            ).scalar()
            c.execute(
                text(
                    "UPDATE ticket SET status = :s, rank = :r, version = version + 1, "
                    "updated_at = :now WHERE id = :id"
                ),
                {
                    "s": dst.value,
                    "r": ranking.rank_between(last, None),
                    "now": utcnow(),
                    "id": moving,
                },
            )
            c.execute(
                text(
                    "INSERT INTO ticket_event (ticket_id, actor_id, created_at, kind, field, "
                    "old_value, new_value) VALUES (:id, :a, :now, 'status', 'status', :o, :n)"
                ),
                {"id": moving, "a": actor.id, "now": utcnow(), "o": src.value, "n": dst.value},
            )
        cards[dst].append(moving)

    async def service_workloads() -> dict[str, list[float]]:
        out = {}
        out["noop"] = await ameasure(
            lambda: dbmod.run_in_session(lambda s: s.exec(text("SELECT 1")).one(), readonly=True),
            RUNS,
        )
        out["open"] = await ameasure(
            lambda: dbmod.run_in_session(
                board.board_columns, actor, None, limits=limits, readonly=True
            ),
            RUNS,
        )
        moves = iter(range(10_000))

        async def move():
            i = next(moves)
            src = MOVABLE[i % 3]
            dst = MOVABLE[(i + 1) % 3] if i % 2 else src
            moving = rng.choice(cards[src])
            above = rng.choice([c for c in cards[dst] if c != moving])
            await dbmod.run_in_session(board.move_card, actor, moving, dst.value, above, None)
            cards[src].remove(moving)
            cards[dst].append(moving)

        out["move"] = await ameasure(move, RUNS)

        async def delta():
            ids = [rng.choice(cards[TicketStatus.OPEN])]
            await dbmod.run_in_session(
                lambda s: (board.cards_by_ids(s, actor, ids), board.column_totals(s, actor)),
                readonly=True,
            )

        out["delta"] = await ameasure(delta, RUNS)
        return out

    with bench_db.serving():
        out = run(service_workloads())
    base_open = measure(raw_open, RUNS)
    base_move = measure(raw_move, RUNS)
    base_delta = measure(raw_delta, RUNS)
    record("no-op SELECT 1 (run_in_session)", backend, out["noop"])
    record("board open (board_columns)", backend, out["open"], base_open, "raw SQL")
    record("board move (move_card + commit)", backend, out["move"], base_move, "raw SQL")
    record("board live delta (1 card + counts)", backend, out["delta"], base_delta, "raw SQL")
    # Every active card is still in exactly one column with a unique rank.
    with engine.connect() as c:
        dupes = c.execute(
            text(
                "SELECT count(*) FROM (SELECT status, rank FROM ticket "
                "WHERE status IN ('new','open','in_progress','waiting') "
                "GROUP BY status, rank HAVING count(*) > 1) d"
            )
        ).scalar()
    assert dupes == 0
