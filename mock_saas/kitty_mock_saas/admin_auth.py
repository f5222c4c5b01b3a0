"""The admin token's guard: a wrong token costs the address that sent it, so it cannot be guessed.

Each client address has a bucket of `burst` wrong tokens that refills at `per_second`. While its
bucket is empty, no token from that address is even compared (not the right one either): the
answer is the admin API's 401 with `Retry-After`, so guessing runs at `per_second` at most, however
many requests are sent at once. A missing token is no guess and costs nothing. One guard serves
the whole process (every sandbox), for the admin API and the dashboard alike.
"""

from __future__ import annotations

import hmac
import math
from collections import OrderedDict
from collections.abc import Callable

from kitty_contracts import ErrorCode

from .errors import ApiError

# Addresses remembered at once; the one unused longest is forgotten first (bounded memory).
_MAX_ADDRESSES = 4096


class AdminTokenGuard:
    """Compares presented admin tokens, and limits the wrong ones per client address."""

    def __init__(
        self, admin_token: str, *, burst: int, per_second: float, clock: Callable[[], float]
    ) -> None:
        self._admin_token = admin_token
        self._burst = burst
        self._per_second = per_second
        self._clock = clock
        # address -> (wrong tokens it may still send, when that was computed)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def is_admin(self, token: str | None, address: str) -> bool:
        """Whether `token` is the admin token; a wrong one is counted against `address`.

        Raises:
            ApiError: 401 with Retry-After while `address` has used up its wrong tokens.
        """
        if token is None:
            return False
        left, now = self._refilled(address)
        if left < 1:
            wait = math.ceil((1 - left) / self._per_second)
            raise ApiError(
                ErrorCode.unauthenticated,
                f"Too many wrong admin tokens from {address}; the next one is checked in {wait} s.",
                retry_after_seconds=wait,
            )
        if hmac.compare_digest(token.encode(), self._admin_token.encode()):
            return True
        self._buckets[address] = (left - 1, now)
        self._buckets.move_to_end(address)
        while len(self._buckets) > _MAX_ADDRESSES:
            self._buckets.popitem(last=False)
        return False

    def _refilled(self, address: str) -> tuple[float, float]:
        now = self._clock()
        left, then = self._buckets.get(address, (float(self._burst), now))
        return min(float(self._burst), left + (now - then) * self._per_second), now
