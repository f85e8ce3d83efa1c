"""The in-app scheduler: every TICKETAPP_SCHEDULER_INTERVAL seconds (default 60) one worker runs
the periodic jobs: SLA breach log + escalation rules, auto-close of long-resolved tickets, the
e-mail outbox, the webhook outbox.

With several workers only one runs them at a time: a lease in the `scheduler_lock` table (or in
Redis when REDIS_URL is set) held by one worker and renewed on every tick; if that worker dies,
the lease expires and another takes over. Firing is idempotent anyway (a unique key per rule,
ticket and target), so a restart or a lost lease never repeats an action.

`run_once(engine, now)` is the single entry point for a tick (also `python -m ticketapp
run-scheduler-once`); add further periodic jobs there.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col

from ticketapp import clock
from ticketapp.models import SchedulerLock
from ticketapp.services import escalation, notifications, security_log, tickets, webhooks
from ticketapp.services.mail import imap

log = logging.getLogger(__name__)

LOCK_NAME = "periodic"
AUTO_CLOSE_BATCH = 100
REDIS_KEY = "ticketapp:scheduler:" + LOCK_NAME
_RENEW_LUA = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""
_RELEASE_LUA = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


def enabled() -> bool:
    value = os.environ.get("TICKETAPP_SCHEDULER", "1").strip().lower()
    return value not in {"0", "false", "no", "off"}


def interval_seconds() -> float:
    try:
        return max(0.5, float(os.environ.get("TICKETAPP_SCHEDULER_INTERVAL", "60")))
    except ValueError:
        return 60.0


def new_holder() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _real_now() -> datetime:
    # Leases are about real time, not the (test-movable) SLA clock.
    return datetime.now(UTC)


# --- locks -----------------------------------------------------------------------------------


def acquire_db_lock(engine: Engine, holder: str, ttl: timedelta, name: str = LOCK_NAME) -> bool:
    """Take or renew the lease; False when another holder's lease is still valid."""
    now = _real_now()
    try:
        with Session(engine) as session:
            result = session.execute(
                update(SchedulerLock)
                .where(
                    col(SchedulerLock.name) == name,
                    or_(col(SchedulerLock.expires_at) < now, col(SchedulerLock.holder) == holder),
                )
                .values(holder=holder, expires_at=now + ttl)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                session.commit()
                return True
            if session.get(SchedulerLock, name) is not None:
                session.rollback()
                return False
            session.add(SchedulerLock(name=name, holder=holder, expires_at=now + ttl))
            session.commit()
            return True
    except IntegrityError:
        return False  # another worker inserted the row first
    except OperationalError:
        log.warning("scheduler lock: database busy", exc_info=True)
        return False


def release_db_lock(engine: Engine, holder: str, name: str = LOCK_NAME) -> None:
    with Session(engine) as session:
        session.execute(
            update(SchedulerLock)
            .where(col(SchedulerLock.name) == name, col(SchedulerLock.holder) == holder)
            .values(expires_at=_real_now() - timedelta(seconds=1))
        )
        session.commit()


def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=5)


def acquire_redis_lock(url: str, holder: str, ttl: timedelta, key: str = REDIS_KEY) -> bool:
    client = _redis(url)
    try:
        return bool(client.eval(_RENEW_LUA, 1, key, holder, int(ttl.total_seconds() * 1000)))
    finally:
        client.close()


def release_redis_lock(url: str, holder: str, key: str = REDIS_KEY) -> None:
    client = _redis(url)
    try:
        client.eval(_RELEASE_LUA, 1, key, holder)
    finally:
        client.close()


@dataclass
class TickResult:
    ran: bool
    escalation: escalation.RunResult = field(default_factory=escalation.RunResult)
    closed: list[int] = field(default_factory=list)  # auto-closed tickets
    mailed: int = 0
    webhooks: webhooks.RunResult = field(default_factory=webhooks.RunResult)
    pruned: int = 0  # security log rows past the retention
    mail: imap.PollResult = field(default_factory=imap.PollResult)

    @property
    def ticket_ids(self) -> tuple[int, ...]:
        """The tickets this tick changed (for the live feed)."""
        changed = [*self.escalation.ticket_ids, *self.closed, *self.mail.ticket_ids]
        return tuple(dict.fromkeys(changed))


def _acquire(
    engine: Engine, holder: str, ttl: timedelta, redis_url: str, key: str = REDIS_KEY
) -> bool:
    if redis_url:
        return acquire_redis_lock(redis_url, holder, ttl, key)
    return acquire_db_lock(engine, holder, ttl)


def _release(engine: Engine, holder: str, redis_url: str, key: str = REDIS_KEY) -> None:
    if redis_url:
        release_redis_lock(redis_url, holder, key)
    else:
        release_db_lock(engine, holder)


def run_jobs(engine: Engine, now: datetime | None = None) -> escalation.RunResult:
    """The SLA jobs themselves, in one transaction (no lock)."""
    with Session(engine, expire_on_commit=False) as session:
        result = escalation.run(session, now or clock.now())
        session.commit()
    return result


def auto_close(engine: Engine, now: datetime | None = None) -> list[int]:
    """Close what has been resolved for TICKETAPP_AUTO_CLOSE_DAYS (0: never), AUTO_CLOSE_BATCH
    a tick at most: a backlog (the first tick after an upgrade) drains over several ticks
    instead of one long write and a flood of e-mail."""
    from ticketapp.config import settings

    if settings.auto_close_days <= 0:
        return []
    with Session(engine, expire_on_commit=False) as session:
        closed = tickets.auto_close_resolved(
            session, now or clock.now(), settings.auto_close_days, limit=AUTO_CLOSE_BATCH
        )
        session.commit()
    return closed


def prune_security_log(engine: Engine, now: datetime | None = None) -> int:
    """Drop security log rows older than TICKETAPP_AUDIT_RETENTION_DAYS (real time)."""
    with Session(engine) as session:
        pruned = security_log.prune(session, now)
        session.commit()
    return pruned


def run_once(
    engine: Engine,
    now: datetime | None = None,
    *,
    holder: str | None = None,
    redis_url: str | None = None,
    keep_lease: timedelta | None = None,
    redis_key: str = REDIS_KEY,
) -> TickResult:
    """One tick under the lock. Without `keep_lease` the lock is released afterwards (CLI,
    tests); the app's loop keeps its lease so the other workers stay idle."""
    from ticketapp.config import settings

    url = settings.redis_url if redis_url is None else redis_url
    me = holder or new_holder()
    ttl = keep_lease or timedelta(minutes=5)
    if not _acquire(engine, me, ttl, url, redis_key):
        return TickResult(ran=False)
    try:
        result = TickResult(ran=True, escalation=run_jobs(engine, now))
        # Mail: new messages in the managers' IMAP mailboxes (services/mail/imap.py).
        result.mail = imap.poll_all(engine)
        result.closed = auto_close(engine, now)
        # The outbox: e-mail from this tick's escalations and from everything else since.
        result.mailed = notifications.deliver_outbox(engine)
        # Webhooks: this tick's events (SLA breaches) and everything due since.
        result.webhooks = webhooks.deliver_due(engine, now)
        result.pruned = prune_security_log(engine)
        return result
    finally:
        if keep_lease is None:
            _release(engine, me, url, redis_key)


async def scheduler_loop(
    on_tickets_changed: Callable[[tuple[int, ...]], None],
    on_notified: Callable[[], None] | None = None,
) -> None:
    """The app's lifespan task (registered in ticketapp.py). `on_tickets_changed` is told the
    tickets a tick changed (the app passes the live feed's publish); `on_notified`, that a tick
    notified people about no ticket (a webhook endpoint turned off)."""
    if not enabled():
        return
    from ticketapp.db import get_engine

    holder = new_holder()
    every = interval_seconds()
    lease = timedelta(seconds=max(3 * every, 10))
    try:
        while True:
            try:
                result = await asyncio.to_thread(
                    run_once, get_engine(), None, holder=holder, keep_lease=lease
                )
                if result.ran and result.ticket_ids:
                    on_tickets_changed(result.ticket_ids)
                if result.ran and result.webhooks.disabled and on_notified is not None:
                    on_notified()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduler tick failed")
            await asyncio.sleep(every)
    finally:
        # Hand the lease over at once on shutdown instead of letting it expire.
        from ticketapp.config import settings

        try:
            _release(get_engine(), holder, settings.redis_url)
        except Exception:
            log.warning("scheduler: could not release the lease", exc_info=True)
