"""`--record DIR`: every exchange as one JSON file, secrets masked, in the order it happened.

Each file holds the operation, the request (method, path, query, headers, body) and the answer
(status, headers, body). JSON bodies are stored parsed, others as text; credential headers are
dropped and secret values masked, so a recording can be committed as a fixture and served again
by `kitty-mock-saas serve --replay DIR` (`kitty_mock_saas.replay`).
"""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path
from typing import Any

from kitty_mock_saas.errors import ApiError
from kitty_mock_saas.stage.body import decode_content

from .findings import Exchange, Headers
from .journal import CREDENTIAL_HEADERS, mask, secrets_of

# Headers that describe the connection, not the exchange.
# Bodies are stored decoded, so their encoding goes too.
_SKIPPED = frozenset(
    {"content-length", "content-encoding", "connection", "date", "server", "transfer-encoding"}
)


def _headers(headers: Headers, secrets: set[str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").lower()
        if name in CREDENTIAL_HEADERS or name in _SKIPPED:
            continue
        kept[name] = mask(raw_value.decode("latin-1"), secrets)
    return kept


def recorded_body(data: bytes, headers: Headers, secrets: set[str], limit: int) -> Any:
    """A body as a recording keeps it: decoded, secrets masked, parsed when it is JSON."""
    if not data:
        return None
    encoding = dict((k.lower(), v) for k, v in headers).get(b"content-encoding", b"")
    if encoding:
        try:
            data = decode_content(data, encoding.decode("latin-1"), limit)
        except ApiError:
            return {"undecodable": encoding.decode("latin-1"), "bytes": len(data)}
    text = mask(data.decode("utf-8", "replace"), secrets)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
        return text


class Recorder:
    """Writes `NNNNN-<operationId>.json` files into `directory` (created when missing)."""

    def __init__(self, directory: Path, *, max_body_bytes: int) -> None:
        self.directory = directory
        self.max_body_bytes = max_body_bytes
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
                "body": recorded_body(
                    exchange.request_body, exchange.request_headers, secrets, self.max_body_bytes
                ),
            },
            "response": {
                "status": exchange.status,
                "headers": _headers(exchange.response_headers, secrets),
                "body": recorded_body(
                    exchange.response_body, exchange.response_headers, secrets, self.max_body_bytes
                ),
            },
        }
        with self._lock:
            path = self.directory / f"{next(self._numbers):05d}-{operation_id or 'unmatched'}.json"
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path
