import random

import pytest

from ticketapp.services.ranking import (
    DIGITS,
    MAX_RANK_LENGTH,
    is_valid,
    rank_between,
    spaced_ranks,
)


def test_first_key_and_open_ends():
    first = rank_between(None, None)
    assert rank_between(first, None) > first
    assert rank_between(None, first) < first


def test_between_is_strictly_between():
    assert "i0" < rank_between("i0", "i1") < "i1"
    assert "i0" < rank_between("i0", "i0V".lower()) < "i0v"


def test_random_inserts_keep_order_and_short_keys():
    rng = random.Random(42)
    keys = [rank_between(None, None)]
    for _ in range(2000):
        i = rng.randrange(len(keys) + 1)
        a = keys[i - 1] if i else None
        b = keys[i] if i < len(keys) else None
        key = rank_between(a, b)
        assert (a is None or a < key) and (b is None or key < b)
        assert is_valid(key)
        keys.insert(i, key)
    assert keys == sorted(keys)
    assert max(map(len, keys)) < 12


def test_appending_and_prepending_grow_logarithmically():
    top = bottom = rank_between(None, None)
    for _ in range(5000):
        bottom = rank_between(bottom, None)
        top = rank_between(None, top)
    assert len(bottom) <= 5 and len(top) <= 5
    assert top < bottom


def test_alphabet_is_collation_safe():
    # digits and lower-case letters only: byte order == en_US/ICU order
    assert set(DIGITS) == set("0123456789abcdefghijklmnopqrstuvwxyz")
    for key in spaced_ranks(500):
        assert set(key) <= set(DIGITS)


def test_repeated_insert_in_one_gap_grows_slowly():
    a, b = "i0", "i1"
    for _ in range(100):
        b = rank_between(a, b)
    assert len(b) < MAX_RANK_LENGTH


@pytest.mark.parametrize("bad", ["", "I0", "i", "i10", "!!", "z"])
def test_invalid_keys_are_refused(bad):
    with pytest.raises(ValueError):
        rank_between(bad, None)


def test_wrong_order_is_refused():
    with pytest.raises(ValueError):
        rank_between("i2", "i1")
    with pytest.raises(ValueError):
        rank_between("i1", "i1")


def test_spaced_ranks_are_increasing():
    keys = spaced_ranks(100)
    assert keys == sorted(keys) and len(set(keys)) == 100
