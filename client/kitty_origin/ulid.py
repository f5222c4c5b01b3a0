"""ULIDs: 48-bit millisecond time + 80 random bits in Crockford base32 (26 characters)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from kitty_contracts.validation import validator

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulid(
    timestamp_ms: int | None = None, *, randbytes: Callable[[int], bytes] = os.urandom
) -> str:
    """A new ULID; `timestamp_ms` defaults to now. Sorts by time as a plain string."""
    millis = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    if not 0 <= millis < 2**48:
        raise ValueError(f"ULID timestamp out of range: {millis}")
    value = (millis << 80) | int.from_bytes(randbytes(10), "big")
    chars = []
    for _ in range(26):
        chars.append(CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_ulid(value: str) -> bool:
    """Whether `value` is a canonical ULID: the contract's `Ulid`, and no time overflow."""
    return validator("Ulid").is_valid(value) and value[0] <= "7"
