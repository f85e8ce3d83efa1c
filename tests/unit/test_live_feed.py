"""The live feeds' building blocks (ticketapp/live.py): the per-worker tab registry, the
coalescer and the stamp bump. The pushes themselves run in the browser suites (tests/e2e)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from ticketapp import live


def _tab(path: str, stamp: int = 3):
    return SimpleNamespace(router=SimpleNamespace(url=SimpleNamespace(path=path)), feed_stamp=stamp)


def test_tabs_follow_one_key_each_and_stay_bounded():
    tabs = live.Tabs(object, limit=3)
    tabs.register("t1", 7)
    tabs.register("t2", 8)
    tabs.register("t1", 9)  # the same tab, now on another ticket
    assert tabs.followed() == {8, 9}
    tabs.register("t3", 1)
    tabs.register("t4", 2)  # over the limit: the oldest registration goes
    assert len(tabs) == 3
    assert tabs.followed() == {9, 1, 2}


async def test_push_reaches_only_the_keys_given_and_forgets_gone_tabs(monkeypatch):
    tabs = live.Tabs(object)
    for token, key in (("a", 1), ("b", 1), ("c", 2), ("d", 3)):
        tabs.register(token, key)
    calls = []

    async def fake_push_each(applies, cls, local_only=False):
        calls.append((dict(applies), cls, local_only))
        tabs.register("b", 1)  # "b" reloads its page meanwhile: a newer registration
        return {"a", "b"}  # both gone or left, as the push saw them

    monkeypatch.setattr(live, "push_each", fake_push_each)

    def one(state):
        return True

    def two(state):
        return True

    await tabs.push({1: one, 2: two})
    applies, cls, local_only = calls[0]
    assert applies == {"a": one, "b": one, "c": two} and cls is object and local_only
    assert tabs.followed() == {1, 2, 3}  # "a" forgotten; "b" re-registered, so kept
    assert set(tabs._tabs) == {"b", "c", "d"}
    await tabs.push({42: one})  # nobody follows 42: no push at all
    assert len(calls) == 1


@pytest.fixture
def pushed(monkeypatch) -> list[dict]:
    """What the feeds push (each push's token -> update), instead of pushing."""
    out: list[dict] = []

    async def fake_push_each(applies, cls, local_only=False):
        out.append(dict(applies))
        return set()

    monkeypatch.setattr(live, "push_each", fake_push_each)
    return out


async def test_a_feed_follows_its_kinds_and_pushes_a_burst_once(pushed):
    asked = []

    def update(state):
        return True

    async def updates(changes, followed):
        asked.append(([c.ticket_ids for c in changes], followed))
        return dict.fromkeys(live.ticket_ids(changes) & followed, update)

    feed = live.Feed(object, ("ticket",), updates, delay=0.01)
    try:
        feed.register("tab-a", 1)
        feed.register("tab-b", 2)
        for change in (live.Change("ticket", (1,)), live.Change("kb"), live.Change("ticket", (3,))):
            await feed._on_change(change)  # as every worker's relay delivers them
        await feed._coalescer.idle()
        assert asked == [([(1,), (3,)], {1, 2})]  # one run; the "kb" change not followed
        assert pushed == [{"tab-a": update}]  # only the tab following ticket 1
    finally:
        live._worker_listeners.remove(feed._on_change)


async def test_a_feed_with_skip_origin_leaves_out_the_tab_that_made_the_whole_burst(pushed):
    async def updates(changes, followed):
        return dict.fromkeys(live.ticket_ids(changes) & followed, lambda state: True)

    feed = live.Feed(object, ("ticket",), updates, delay=0.01, skip_origin=True)
    try:
        feed.register("maker", 1)
        feed.register("viewer", 1)
        await feed._on_change(live.Change("ticket", (1,), origin="maker"))
        await feed._coalescer.idle()
        await feed._on_change(live.Change("ticket", (1,), origin="maker"))
        await feed._on_change(live.Change("ticket", (1,), origin="viewer"))
        await feed._coalescer.idle()
        await feed._on_change(live.Change("ticket", (1,)))  # the scheduler: no tab
        await feed._coalescer.idle()
        # The maker's own burst skips it; a burst with someone else's change reaches both.
        assert [set(p) for p in pushed] == [{"viewer"}, {"maker", "viewer"}, {"maker", "viewer"}]
    finally:
        live._worker_listeners.remove(feed._on_change)


def test_bump_moves_the_stamp_or_says_the_tab_left():
    on_page = _tab("/portal")
    assert live.bump(on_page, True) and on_page.feed_stamp == 4
    elsewhere = _tab("/kb")
    assert not live.bump(elsewhere, False) and elsewhere.feed_stamp == 3
    # A fresh state (Redis lost it): a new stamp so that its page asks to be rebuilt.
    fresh = _tab("", stamp=0)
    assert live.bump(fresh, False) and fresh.feed_stamp > 0
    board = SimpleNamespace(router=SimpleNamespace(url=SimpleNamespace(path="/board")), seq=1)
    assert live.bump(board, True, stamp="seq") and board.seq == 2


def test_ticket_ids_of_a_burst():
    changes = [live.Change("ticket", (3, 1)), live.Change("kb"), live.Change("comment", (3,))]
    assert live.ticket_ids(changes) == {1, 3}


async def test_a_burst_of_changes_is_one_run():
    """The feeds' coalescer: 50 changes at once -> one run; changes arriving while it runs ->
    exactly one more run with them (never one per change, never a lost change)."""
    started = asyncio.Event()
    release = asyncio.Event()
    seen: list[list[live.Change]] = []

    async def work(changes):
        seen.append(changes)
        started.set()
        await release.wait()

    c = live.Coalescer(work, delay=0.01)
    for i in range(50):
        c.poke(live.Change("ticket", (i,)))
    await started.wait()
    assert c.runs == 1
    started.clear()
    for i in range(10):
        c.poke(live.Change("ticket", (100 + i,)))  # while the first run is still computing
    release.set()
    await c.idle()
    assert c.runs == 2
    assert [[ch.ticket_ids[0] for ch in run] for run in seen] == [
        list(range(50)),
        list(range(100, 110)),
    ]
