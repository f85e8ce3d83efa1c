"""What every API call does first: find the token's actor (`Authorization: Bearer`), refuse a
read-only token anything but GET, take one from the token's rate-limit bucket, pick the
language; and `call`, which runs a services/ function in a worker thread in one transaction."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ticketapp import i18n
from ticketapp.api.errors import ApiError
from ticketapp.db import run_in_session
from ticketapp.i18n import N_
from ticketapp.services import api_tokens
from ticketapp.services.actor import Actor

R = TypeVar("R")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
bearer = HTTPBearer(auto_error=False, description="A personal access token (tka_...).")


class TokenBuckets:
    """Per-token token buckets in this process: `burst` calls at once, `rate` per second after."""

    def __init__(self, rate: float, burst: int):
        self.rate = rate
        self.burst = burst
        self._buckets: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: int) -> tuple[float, int]:
        """(0, calls left) if the call may go ahead, else (seconds until one is allowed, 0)."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0, int(tokens - 1)
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate, 0


def default_buckets() -> TokenBuckets:
    """TICKETAPP_API_RATE calls per second (default 10), bursts of TICKETAPP_API_BURST (100)."""
    rate = float(os.environ.get("TICKETAPP_API_RATE", "10"))
    burst = int(os.environ.get("TICKETAPP_API_BURST", "100"))
    return TokenBuckets(rate, burst)


async def call(request: Request, fn: Callable[..., R], *args, readonly: bool = False, **kw) -> R:
    """`fn(session, *args, **kw)` in one transaction, off the event loop."""
    return await run_in_session(fn, *args, readonly=readonly, engine=request.app.state.engine, **kw)


@dataclass(frozen=True)
class Caller:
    actor: Actor
    token_id: int
    can_write: bool


async def caller(
    request: Request,
    response: Response,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> Caller:
    """The token's actor, loaded from the user row on every call (role changes apply at once)."""
    accept = request.headers.get("accept-language")  # (errors.CatchAll has applied it)
    secret = credentials.credentials if credentials else None
    found = await call(request, api_tokens.resolve, secret, readonly=True) if secret else None
    if found is None:
        raise ApiError(401, headers={"WWW-Authenticate": 'Bearer realm="ticketapp"'})
    if found.must_enrol:  # the same rule as the pages' RoleGuard (ticketapp/state.py)
        raise ApiError(403, N_("Turn on two-factor sign-in first: your team requires it."))
    if not accept and found.actor.locale:
        i18n.use(found.actor.locale)
    buckets = request.app.state.buckets
    wait, left = buckets.take(found.token_id)
    limits = {"X-RateLimit-Limit": str(buckets.burst), "X-RateLimit-Remaining": str(left)}
    response.headers.update(limits)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiError(
            429,
            N_("Too many requests. Try again after the time in the Retry-After header."),
            headers={"Retry-After": str(seconds), **limits},
        )
    if request.method not in READ_METHODS and not found.can_write:
        raise ApiError(403, N_("This token can only read. Create a token with the write scope."))
    if found.touch_due:
        await call(request, api_tokens.touch, found.token_id)
    return Caller(found.actor, found.token_id, found.can_write)
