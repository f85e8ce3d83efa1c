"""The change broadcast between workers (ticketapp/live.py), through the real Redis."""

from __future__ import annotations

import asyncio
import json

import pytest
import redis.asyncio as aioredis

from tests.servers import redis_db
from ticketapp import live


@pytest.fixture
def redis_url(redis_server_url) -> str:
    return redis_db(redis_server_url, 9)


@pytest.fixture
def relay(monkeypatch, redis_url):
    monkeypatch.setattr(live, "_redis_url", lambda: redis_url)
    monkeypatch.setattr(live, "_redis_client", None)
    monkeypatch.setattr(live, "_sync_redis_client", None)
    got: list[live.Change] = []

    async def listener(change: live.Change) -> None:
        got.append(change)

    live.subscribe_every_worker(listener)
    yield got
    live._worker_listeners.remove(listener)


async def _until(predicate, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)


async def test_other_workers_changes_reach_every_worker_listener_once(relay, redis_url):
    task = asyncio.create_task(live.relay_loop())
    other = aioredis.Redis.from_url(redis_url)
    try:
        for _ in range(250):  # until the relay has subscribed
            if (await other.pubsub_numsub(live.CHANNEL))[0][1]:
                break
            await asyncio.sleep(0.02)
        message = {"worker": "another-worker", "kind": "board", "ids": [7, 9], "actor": 3}
        await other.publish(live.CHANNEL, json.dumps(message))
        await other.publish(live.CHANNEL, b"not json")  # ignored, the relay goes on
        await _until(lambda: bool(relay))
        assert relay == [live.Change("board", (7, 9), 3)]

        # This worker's own publish: delivered locally at once, and not a second time when
        # its own broadcast comes back over Redis.
        live.publish(live.Change("ticket", (5,), None))
        await _until(lambda: len(relay) >= 2)
        # Redis keeps a channel's order: once a later broadcast from another worker is in, the
        # echo of this worker's own broadcast has been seen (and must have been dropped).
        await asyncio.gather(*list(live._tasks))  # our own broadcast has reached Redis
        marker = {"worker": "another-worker", "kind": "kb", "ids": [], "actor": None}
        await other.publish(live.CHANNEL, json.dumps(marker))
        await _until(lambda: len(relay) >= 3)
        assert relay[1:] == [live.Change("ticket", (5,), None), live.Change("kb", (), None)]
    finally:
        task.cancel()
        await other.aclose()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_a_sign_out_on_another_worker_forgets_the_sessions_this_one_remembers(
    relay, redis_url
):
    """services/session_cache: a committed sign-out, role change or deactivation on one worker
    is announced (live.announce, from the commit hook) and empties the others' memory."""
    import ticketapp.state  # noqa: F401  (registers the announcement and the remote listener)
    from ticketapp.services import session_cache

    task = asyncio.create_task(live.relay_loop())
    other = aioredis.Redis.from_url(redis_url)
    try:
        for _ in range(250):  # until the relay has subscribed
            if (await other.pubsub_numsub(live.CHANNEL))[0][1]:
                break
            await asyncio.sleep(0.02)
        session_cache.put("a-token", ("someone", False), session_cache.generation())
        message = {"worker": "another-worker", "kind": "auth", "ids": [], "actor": None}
        await other.publish(live.CHANNEL, json.dumps(message))
        await _until(lambda: session_cache.get("a-token") is None)
        assert session_cache.get("a-token") is None

        # And this worker's own bump is announced to the others, synchronously, from any thread.
        async with other.pubsub() as pubsub:
            await pubsub.subscribe(live.CHANNEL)
            await asyncio.to_thread(session_cache.memo.bump)
            heard = None
            for _ in range(100):
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.05)
                if message:
                    heard = json.loads(message["data"])
                    break
        assert heard is not None and heard["kind"] == "auth" and heard["worker"] == live._worker()
    finally:
        task.cancel()
        await other.aclose()
