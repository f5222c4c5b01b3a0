"""The proxy's journal: every exchange counted, those with findings kept (bounded), secrets redacted.

Credentials pass through the proxy but are never stored: the path and every finding's message go
through the redaction step (`kitty_mock_saas.redaction`), which finds the exchange's secrets in
its headers, query and decoded bodies.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from .findings import Exchange, Finding
from .recorder import redact


@dataclass(frozen=True)
class JournalEntry:
    """One exchange that broke the contract, as the dashboard and the report show it."""

    at: str
    method: str
    path: str
    operation_id: str | None
    status: int
    request_id: str | None
    strict_refusal: bool
    findings: list[dict[str, str]] = field(default_factory=list)
    # Why the answer was passed on without a check (too large), when it was.
    unchecked: str | None = None


class Journal:
    """Thread-safe: uvicorn runs one loop, but reports are written from the shutdown hook too."""

    def __init__(self, size: int, *, max_body_bytes: int) -> None:
        self.max_body_bytes = max_body_bytes
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._lock = threading.Lock()
        self.exchanges = 0
        self.violating = 0
        self.unchecked = 0

    def record(
        self,
        exchange: Exchange,
        operation_id: str | None,
        findings: list[Finding],
        *,
        strict_refusal: bool,
        unchecked: str | None = None,
    ) -> JournalEntry | None:
        # Decoding the bodies to find their secrets happens outside the lock, and only for
        # the exchanges that are kept.
        kept = findings or unchecked is not None
        redaction = redact(exchange, self.max_body_bytes).redaction if kept else None
        with self._lock:
            self.exchanges += 1
            if redaction is None:
                return None
            self.violating += bool(findings)
            self.unchecked += unchecked is not None
            headers = redaction.headers(exchange.response_headers)
            entry = JournalEntry(
                at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                method=exchange.method,
                path=redaction.text(exchange.path),
                operation_id=operation_id,
                status=exchange.status,
                request_id=headers.get("x-request-id"),
                strict_refusal=strict_refusal,
                findings=[
                    {"direction": f.direction, "message": redaction.text(f.message)}
                    for f in findings
                ],
                unchecked=unchecked,
            )
            self._entries.append(entry)
            return entry

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.exchanges = self.violating = self.unchecked = 0

    def report(self, upstream: str) -> dict[str, Any]:
        """The JSON report: counts and every kept violation or unchecked answer (newest last)."""
        with self._lock:
            return {
                "upstream": upstream,
                "exchanges": self.exchanges,
                "violating_exchanges": self.violating,
                "unchecked_exchanges": self.unchecked,
                "violations": [asdict(entry) for entry in self._entries],
            }
