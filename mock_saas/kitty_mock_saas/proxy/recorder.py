"""`--record DIR`: every exchange as one JSON file, secrets masked, in the order it happened.

Each file holds the operation, the request (method, path, query, headers, body) and the answer
(status, headers, body). JSON bodies are stored parsed, others as text; credential headers are
dropped and secret values masked, so a recording can be committed as a fixture.
"""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path
from typing import Any

from .findings import Exchange, Headers
from .journal import CREDENTIAL_HEADERS, mask, secrets_of

# Headers that describe the connection, not the exchange.
_SKIPPED = frozenset({"content-length", "connection", "date", "server", "transfer-encoding"})


def _headers(headers: Headers, secrets: set[str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").lower()
        if name in CREDENTIAL_HEADERS or name in _SKIPPED:
            continue
        kept[name] = mask(raw_value.decode("latin-1"), secrets)
    return kept


def _body(data: bytes, headers: Headers, secrets: set[str]) -> Any:
    if not data:
        return None
    text = mask(data.decode("utf-8", "replace"), secrets)
    encoding = dict((k.lower(), v) for k, v in headers).get(b"content-encoding", b"")
    if encoding:
        return {"encoding": encoding.decode("latin-1"), "bytes": len(data)}
    try:
        return json.loads(text)
    except ValueError:
        return text


class Recorder:
    """Writes `NNNNN-<operationId>.json` files into `directory` (created when missing)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        start = len(list(directory.glob("*.json")))
        self._numbers = itertools.count(start + 1)
        self._lock = threading.Lock()

    def write(self, exchange: Exchange, operation_id: str | None) -> Path:
        secrets = secrets_of(exchange)
        record = {
            "operation_id": operation_id,
            "request": {
                "method": exchange.method,
                "path": mask(exchange.path, secrets),
                "query": mask(exchange.query.decode("latin-1"), secrets),
                "headers": _headers(exchange.request_headers, secrets),
                "body": _body(exchange.request_body, exchange.request_headers, secrets),
            },
            "response": {
                "status": exchange.status,
                "headers": _headers(exchange.response_headers, secrets),
                "body": _body(exchange.response_body, exchange.response_headers, secrets),
            },
        }
        with self._lock:
            path = self.directory / f"{next(self._numbers):05d}-{operation_id or 'unmatched'}.json"
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path
