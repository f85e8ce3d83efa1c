"""Fractional-index ranks: order cards by a string, so a move rewrites one row.

A port of the well-known "fractional indexing" scheme (rocicorp / Figma) to base 36, digits and
lower-case letters only, so byte order and every common database collation (C, en_US, ICU)
agree. A key is a head character giving the length of an integer part, that integer part, then an
optional fraction without trailing zeros: "i0" is zero, "i1" one, "j10" 36, "hz" minus one.
Appending or prepending keeps keys short (integers grow logarithmically); inserting into the same
gap again and again adds about one character per five inserts, so callers rebalance a column
when a key grows past MAX_RANK_LENGTH.
"""

from __future__ import annotations

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
ZERO = "i0"
SMALLEST_INTEGER = "0" + "0" * 18
MAX_RANK_LENGTH = 48


def _int_len(head: str) -> int:
    i = DIGITS.find(head)
    if i < 0:
        raise ValueError(f"invalid rank head {head!r}")
    # 'i'..'z' -> 1..18 digits (non-negative); 'h'..'0' -> 1..18 digits (negative)
    return i - 17 if i >= 18 else 18 - i


def _integer_part(key: str) -> str:
    n = _int_len(key[0]) + 1
    if n > len(key):
        raise ValueError(f"invalid rank {key!r}")
    return key[:n]


def validate(key: str) -> None:
    if not key or any(c not in DIGITS for c in key):
        raise ValueError(f"invalid rank {key!r}")
    if key == SMALLEST_INTEGER:
        raise ValueError(f"invalid rank {key!r}")
    frac = key[len(_integer_part(key)) :]
    if frac.endswith("0"):
        raise ValueError(f"invalid rank {key!r}")


def is_valid(key: str | None) -> bool:
    try:
        validate(key or "")
    except ValueError:
        return False
    return True


def _midpoint(a: str, b: str | None) -> str:
    """A fraction strictly between fractions a < b (b None = 1); no trailing zeros."""
    if b is not None:
        n = 0
        while n < len(b) and (a[n] if n < len(a) else "0") == b[n]:
            n += 1
        if n > 0:
            return b[:n] + _midpoint(a[n:], b[n:])
    da = DIGITS.index(a[0]) if a else 0
    db = DIGITS.index(b[0]) if b is not None else BASE
    if db - da > 1:
        return DIGITS[(da + db) // 2]
    if b is not None and len(b) > 1:
        return b[0]
    return DIGITS[da] + _midpoint(a[1:], None)


def _increment(x: str) -> str | None:
    head, digs = x[0], list(x[1:])
    for i in range(len(digs) - 1, -1, -1):
        d = DIGITS.index(digs[i]) + 1
        if d < BASE:
            digs[i] = DIGITS[d]
            return head + "".join(digs)
        digs[i] = DIGITS[0]
    if head == "h":
        return ZERO
    if head == "z":
        return None
    new_head = DIGITS[DIGITS.index(head) + 1]
    if new_head > "i":
        digs.append(DIGITS[0])
    else:
        digs.pop()
    return new_head + "".join(digs)


def _decrement(x: str) -> str | None:
    head, digs = x[0], list(x[1:])
    for i in range(len(digs) - 1, -1, -1):
        d = DIGITS.index(digs[i]) - 1
        if d >= 0:
            digs[i] = DIGITS[d]
            return head + "".join(digs)
        digs[i] = DIGITS[-1]
    if head == "i":
        return "h" + DIGITS[-1]
    if head == "0":
        return None
    new_head = DIGITS[DIGITS.index(head) - 1]
    if new_head < "h":
        digs.append(DIGITS[-1])
    else:
        digs.pop()
    return new_head + "".join(digs)


def rank_between(a: str | None, b: str | None) -> str:
    """A key strictly between a and b (None = open end). Raises ValueError on bad input."""
    if a is not None:
        validate(a)
    if b is not None:
        validate(b)
    if a is not None and b is not None and a >= b:
        raise ValueError(f"{a!r} is not below {b!r}")
    if a is None and b is None:
        return ZERO
    if a is None:
        assert b is not None
        ib = _integer_part(b)
        if ib == SMALLEST_INTEGER:
            return ib + _midpoint("", b[len(ib) :])
        if ib < b:
            return ib
        lower = _decrement(ib)
        if lower is None:
            raise ValueError("cannot go below the smallest rank")
        return lower
    ia, fa = _integer_part(a), a[len(_integer_part(a)) :]
    if b is None:
        higher = _increment(ia)
        return ia + _midpoint(fa, None) if higher is None else higher
    ib, fb = _integer_part(b), b[len(_integer_part(b)) :]
    if ia == ib:
        return ia + _midpoint(fa, fb)
    higher = _increment(ia)
    if higher is None:
        raise ValueError("cannot go above the largest rank")
    return higher if higher < b else ia + _midpoint(fa, None)


def spaced_ranks(n: int) -> list[str]:
    """n increasing short keys, for seeding or rebalancing a whole column."""
    keys: list[str] = []
    key: str | None = None
    for _ in range(n):
        key = rank_between(key, None)
        keys.append(key)
    return keys
