"""The proxy's journal: every exchange counted, those with findings kept (bounded), secrets redacted.

Credentials pass through the proxy but are never stored: `Authorization` and other credential
headers are dropped, and any token value the request carried is masked wherever a finding's
message quotes it.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from .findings import Exchange, Finding

CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-admin-token"}
)
# Body fields whose values are secrets (OAuth token requests and answers).
SECRET_FIELDS = frozenset({"access_token", "refresh_token", "token", "client_secret", "password"})
MASK = "***"


def secrets_of(exchange: Exchange) -> set[str]:
    """Every credential value `exchange` carries, so no message or record repeats it."""
    found: set[str] = set()
    for name, value in [*exchange.request_headers, *exchange.response_headers]:
        if name.decode("latin-1").lower() in CREDENTIAL_HEADERS:
            text = value.decode("latin-1")
            found.add(text)
            found.update(part for part in text.split() if len(part) >= 6)
    for body in (exchange.request_body, exchange.response_body):
        found.update(_secret_values(body))
    return {secret for secret in found if secret}


def _secret_values(body: bytes) -> Iterable[str]:
    try:
        parsed: Any = json.loads(body)
    except RecursionError:
        return  # nested past the parser's depth: no field of it can be named
    except ValueError:
        parsed = dict(parse_qsl(body.decode("latin-1"))) if body else {}
    stack = [parsed]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in SECRET_FIELDS and isinstance(value, str):
                    yield value
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def mask(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


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

    def __init__(self, size: int) -> None:
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
        with self._lock:
            self.exchanges += 1
            if not findings and unchecked is None:
                return None
            self.violating += bool(findings)
            self.unchecked += unchecked is not None
            secrets = secrets_of(exchange)
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in exchange.response_headers
            }
            entry = JournalEntry(
                at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                method=exchange.method,
                path=mask(exchange.path, secrets),
                operation_id=operation_id,
                status=exchange.status,
                request_id=headers.get("x-request-id"),
                strict_refusal=strict_refusal,
                findings=[
                    {"direction": f.direction, "message": mask(f.message, secrets)}
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
