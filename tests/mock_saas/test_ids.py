"""ULIDs as the mock writes them: 26 Crockford digits of time and randomness."""

from __future__ import annotations

import random
import re

from kitty_mock_saas.ids import ulid, ulid_text

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _one_digit_at_a_time(value: int) -> str:
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def test_digits_are_the_values_five_bit_groups() -> None:
    rng = random.Random(14)
    for value in [0, 1, 2**80, 2**128 - 1, *(rng.getrandbits(128) for _ in range(2000))]:
        assert ulid_text(value) == _one_digit_at_a_time(value)


def test_a_new_ulid_is_26_digits_and_sorts_by_time() -> None:
    first, second = ulid(), ulid()
    assert re.fullmatch(r"[0-7][0-9A-HJKMNP-TV-Z]{25}", first)
    assert first[:10] <= second[:10]
